import type { ApiConfig, IntrospectionToolsConfig, JsonSchema } from '../config/AppConfig.ts';
import { defaultIntrospectDepth, defaultSearchLimit, maxIntrospectDepth, maxSearchLimit } from './introspectionLimits.ts';
import type { ToolDefinition } from './OperationTool.ts';

export type IntrospectionToolKind = keyof IntrospectionToolsConfig;

const kinds: readonly IntrospectionToolKind[] = ['introspect', 'search', 'validate', 'execute'];

// Same ApiConfig object → same definition objects, so compiled argument validators (cached per schema object) are reused.
const cache = new WeakMap<ApiConfig, ToolDefinition[]>();

/**
 * The enabled introspection tools of one API, named `<toolPrefix>introspect`, `…search`, `…validate`, `…execute`.
 * Running them is callIntrospectionTool's job; argument names here are the ones it reads.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool
 */
export function introspectionToolDefinitions(api: ApiConfig): ToolDefinition[] {
  let definitions = cache.get(api);
  if (!definitions) {
    definitions = kinds.filter((kind) => api.introspection[kind]).map((kind) => definitionOf(kind, api));
    cache.set(api, definitions);
  }
  return definitions;
}

function definitionOf(kind: IntrospectionToolKind, api: ApiConfig): ToolDefinition {
  const readOnly = kind !== 'execute' || api.mutations !== 'all';
  const title = titles[kind].replace('{api}', api.name);
  return {
    name: `${api.toolPrefix}${kind}`,
    title,
    description: describeTool(kind, api),
    inputSchema: inputSchemas[kind],
    annotations: readOnly ? { title, readOnlyHint: true } : { title, readOnlyHint: false, destructiveHint: true },
  };
}

const titles: Record<IntrospectionToolKind, string> = {
  introspect: 'Describe a {api} GraphQL type',
  search: 'Search the {api} GraphQL schema',
  validate: 'Validate a {api} GraphQL operation',
  execute: 'Run a {api} GraphQL operation',
};

function describeTool(kind: IntrospectionToolKind, api: ApiConfig): string {
  switch (kind) {
    case 'introspect':
      return `Describes a type of the ${api.name} GraphQL API by name (e.g. Query, Mutation or a type from search): fields with arguments and descriptions, as compact SDL. depth 2-3 also describes the types its fields return.`;
    case 'search':
      return `Searches the ${api.name} GraphQL schema for types and fields by words (e.g. "pull request review"); best matches first, one line each as Type.field(args): Type # description.`;
    case 'validate':
      return `Checks a GraphQL operation text against the ${api.name} schema without running it; answers "valid" or line:column errors.`;
    case 'execute':
      return `Runs a GraphQL operation text against the ${api.name} API and returns the response. ${mutationNote(api)} Validate first if unsure.`;
  }
}

function mutationNote(api: ApiConfig): string {
  if (api.mutations === 'all') return 'Queries and mutations are allowed; mutations change data.';
  if (api.mutations === 'explicit') return 'Only queries: mutations are allowed only through the dedicated operation tools.';
  return 'Only queries: mutations are disabled for this API.';
}

function objectSchema(properties: Record<string, JsonSchema>, required: string[]): JsonSchema & { type: 'object' } {
  return { type: 'object', properties, required, additionalProperties: false };
}

const inputSchemas: Record<IntrospectionToolKind, JsonSchema & { type: 'object' }> = {
  introspect: objectSchema(
    {
      type: { type: 'string', pattern: '^[_A-Za-z][_0-9A-Za-z]*$', description: 'The type name, e.g. Query' },
      depth: { type: 'integer', minimum: 1, maximum: maxIntrospectDepth, default: defaultIntrospectDepth, description: 'Also describe the types its fields refer to, this many hops deep' },
    },
    ['type'],
  ),
  search: objectSchema(
    {
      query: { type: 'string', minLength: 1, maxLength: 200, description: 'Words to look for in type and field names and descriptions' },
      limit: { type: 'integer', minimum: 1, maximum: maxSearchLimit, default: defaultSearchLimit },
    },
    ['query'],
  ),
  validate: objectSchema({ operation: { type: 'string', minLength: 1, maxLength: 100_000, description: 'GraphQL operation text' } }, ['operation']),
  execute: objectSchema(
    {
      query: { type: 'string', minLength: 1, maxLength: 100_000, description: 'GraphQL operation text' },
      variables: { type: 'object', description: 'Variable values by name' },
      operationName: { type: 'string', description: 'Which operation to run when the text holds several' },
    },
    ['query'],
  ),
};
