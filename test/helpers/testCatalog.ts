import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiAuthorizer } from '../../electron/core/auth/ApiAuthorizer.ts';
import { noAuthorization } from '../../electron/core/auth/ApiAuthorizer.ts';
import { executeOperation } from '../../electron/core/graphql/executeOperation.ts';
import type { OperationTool } from '../../electron/core/graphql/OperationTool.ts';
import { errorResult } from '../../electron/core/graphql/toToolResult.ts';
import { createUpstreamClient } from '../../electron/core/http/createUpstreamClient.ts';
import type { ToolCatalog } from '../../electron/core/ToolCatalog.ts';
import { testApiConfig } from './graphqlServer.ts';

/** A ToolCatalog for tests whose tools run through executeOperation against a real GraphQL server. */
export interface TestCatalog extends ToolCatalog {
  tools: OperationTool[];
  /** Every call the catalog received, to assert what reached it (never incoming HTTP headers). */
  calls: { name: string; args: Record<string, unknown> }[];
  /** Replaces the tool list and tells listeners, like a hot reload. */
  setTools(tools: OperationTool[]): void;
}

function operationTool(name: string, document: string, operationName: string, properties: Record<string, unknown>, required: string[] = []): OperationTool {
  return {
    kind: 'operation',
    name,
    title: operationName,
    description: `Runs ${operationName}`,
    inputSchema: { type: 'object', properties, required, additionalProperties: false },
    annotations: { readOnlyHint: true, openWorldHint: true },
    api: 'test',
    operationName,
    operationType: 'query',
    document,
    source: { file: 'test.graphql' },
  };
}

export const helloTool = operationTool('test_hello', 'query Hello($name: String) { hello(name: $name) }', 'Hello', { name: { type: 'string', maxLength: 100 } });
export const echoTool = operationTool('test_echo', 'query Echo($text: String) { echo(text: $text) }', 'Echo', { text: { type: 'string' } });
export const userTool = operationTool('test_user', 'query User($id: ID!) { user(id: $id) { id name } }', 'User', { id: { type: 'string' } }, ['id']);

export function createTestCatalog(endpoint: string, authorizer: ApiAuthorizer = noAuthorization): TestCatalog {
  const listeners = new Set<() => void>();
  const deps = { api: testApiConfig(endpoint), upstream: createUpstreamClient(), authorizer };
  const catalog: TestCatalog = {
    tools: [helloTool, echoTool, userTool],
    calls: [],
    listTools: () => catalog.tools.map(({ name, title, description, inputSchema, annotations }) => ({ name, title, description, inputSchema, annotations })),
    callTool: async (name, args, signal): Promise<CallToolResult> => {
      catalog.calls.push({ name, args });
      const tool = catalog.tools.find((candidate) => candidate.name === name);
      if (!tool) return errorResult(`No tool has that name: ${name}`);
      const problem = checkArguments(tool, args);
      if (problem) return errorResult(`The tool arguments do not match its input schema: ${problem}`);
      return executeOperation(tool, args, deps, signal);
    },
    onToolsChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setTools: (tools) => {
      catalog.tools = tools;
      for (const listener of listeners) listener();
    },
  };
  return catalog;
}

// A small stand-in for the real catalog's JSON Schema validation: known keys, string types, required keys.
function checkArguments(tool: OperationTool, args: Record<string, unknown>): string | undefined {
  const properties = tool.inputSchema.properties as Record<string, { type: string }>;
  for (const key of Object.keys(args)) {
    if (!Object.hasOwn(properties, key)) return `unexpected property ${key}`;
    if (typeof args[key] !== properties[key]!.type) return `${key} must be a ${properties[key]!.type}`;
  }
  const missing = ((tool.inputSchema.required as string[] | undefined) ?? []).find((key) => !(key in args));
  return missing ? `missing property ${missing}` : undefined;
}
