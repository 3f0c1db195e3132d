import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema, type CallToolRequest, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { ToolCatalog } from '../ToolCatalog.ts';
import { errorMessages } from '../errors.ts';
import { errorResult } from '../graphql/toToolResult.ts';
import type { Logger } from '../log/Logger.ts';

export interface CreateMcpServerOptions {
  /** The app version reported in `serverInfo`. */
  version: string;
  logger?: Logger;
}

/** Name reported in `serverInfo` during initialize. */
export const mcpServerName = 'graphql-mcp-desktop';

// Parsed loosely at registration so the Server's own CallToolRequestSchema check runs and answers bad params with
// -32602 Invalid params; the strict schema here would fail first and surface as -32603 Internal error.
const looseCallToolRequestSchema = z.object({ method: z.literal('tools/call'), params: z.unknown() });

const instructions =
  'Each tool runs one fixed GraphQL operation against a configured API; arguments are passed only as GraphQL ' +
  'variables. Results carry the GraphQL response ({data, errors}); errors are reported with isError.';

/**
 * Creates the low-level MCP `Server` for one session: `tools/list` and `tools/call` answered from the catalog,
 * with `listChanged` so hot reloads reach clients. Incoming HTTP headers (`extra.requestInfo`) are never passed on:
 * upstream credentials come only from the API's own authorizer.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices#token-passthrough
 */
export function createMcpServer(catalog: ToolCatalog, options: CreateMcpServerOptions): Server {
  const server = new Server({ name: mcpServerName, version: options.version }, { capabilities: { tools: { listChanged: true } }, instructions });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: catalog.listTools() }));
  server.setRequestHandler(looseCallToolRequestSchema, (request, extra) => {
    const { params } = request as CallToolRequest; // validated by the Server's tools/call wrapper
    return callTool(catalog, params.name, params.arguments ?? {}, extra.signal, options.logger);
  });
  return server;
}

async function callTool(catalog: ToolCatalog, name: string, args: Record<string, unknown>, signal: AbortSignal, logger?: Logger): Promise<CallToolResult> {
  // Unknown tools are a tool error, not a protocol error, so the model can see and correct the name.
  if (!catalog.listTools().some((tool) => tool.name === name)) return errorResult(`${errorMessages.TOOL_NOT_FOUND}: ${name.slice(0, 128)}`);
  try {
    return await catalog.callTool(name, args, signal);
  } catch (error) {
    // The catalog promises not to throw; if it does, that is our bug: report it without its details.
    logger?.error('tool call failed unexpectedly', { tool: name, error });
    return errorResult(`The tool ${name} failed unexpectedly.`);
  }
}
