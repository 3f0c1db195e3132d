import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GraphQLError, Kind, parse, validate, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { executeOperation, type ExecuteOperationDeps } from './graphql/executeOperation.ts';
import { introspectType } from './graphql/introspectType.ts';
import { searchSchema } from './graphql/searchSchema.ts';
import { errorResult } from './graphql/toToolResult.ts';
import { validateOperationText } from './graphql/validateOperationText.ts';

export interface IntrospectionCallDeps extends ExecuteOperationDeps {
  schema: GraphQLSchema;
}

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** Runs one of an API's introspection tools (`introspect`, `search`, `validate`, `execute`) by its unprefixed name. */
export async function callIntrospectionTool(kind: string, args: Record<string, unknown>, deps: IntrospectionCallDeps, signal?: AbortSignal): Promise<CallToolResult> {
  switch (kind) {
    case 'introspect':
      return text(introspectType(deps.schema, String(args.type), typeof args.depth === 'number' ? args.depth : undefined));
    case 'search':
      return text(searchSchema(deps.schema, String(args.query), typeof args.limit === 'number' ? args.limit : undefined));
    case 'validate':
      return text(validateOperationText(deps.schema, String(args.operation)));
    case 'execute':
      return executeText(args, deps, signal);
    default:
      return errorResult(`Unknown introspection tool "${kind}"`);
  }
}

/** `execute` runs ad-hoc operation text, but only within the API's mutation mode: mutations need `mutations: all`. */
async function executeText(args: Record<string, unknown>, deps: IntrospectionCallDeps, signal?: AbortSignal): Promise<CallToolResult> {
  const query = String(args.query);
  const operationName = typeof args.operationName === 'string' ? args.operationName : undefined;
  const checked = checkExecutable(query, operationName, deps);
  if ('error' in checked) return errorResult(checked.error);
  const variables = args.variables && typeof args.variables === 'object' ? (args.variables as Record<string, unknown>) : {};
  return executeOperation({ api: deps.api.name, document: query, operationName: checked.operationName }, variables, deps, signal);
}

function checkExecutable(query: string, operationName: string | undefined, deps: IntrospectionCallDeps): { operationName?: string } | { error: string } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { error: `The operation does not parse: ${error instanceof GraphQLError ? error.message : String(error)}` };
  }
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((op) => op.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { error: operations.length === 0 ? 'The text holds no operation' : 'Give operationName: the text holds several operations (or none by that name)' };
  if (operation.operation === 'subscription') return { error: 'Subscriptions cannot be executed as a tool call' };
  if (operation.operation === 'mutation' && deps.api.mutations !== 'all') {
    return { error: `Mutations through execute are disabled for API "${deps.api.name}" (mutations: ${deps.api.mutations}; "all" allows them)` };
  }
  const errors = validate(deps.schema, document);
  if (errors.length > 0) return { error: `The operation is not valid against the schema:\n${errors.map((e) => `${e.locations?.[0] ? `${e.locations[0].line}:${e.locations[0].column} ` : ''}${e.message}`).join('\n')}` };
  return { operationName: operation.name?.value };
}
