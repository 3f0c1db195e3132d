import { createRequire } from 'node:module';
import type * as GraphqlLanguage from 'graphql/language/index.js';
import type { ToolDefinition } from '../graphql/OperationTool.ts';

/**
 * Whether a call can change data: a mutation tool, or `execute` whose text holds a mutation. Conservative like the
 * gateway's scope check: `operationName` may select any operation in the text, so any mutation in it counts. Text
 * that does not parse is refused by `execute` itself before anything is sent, so it needs no approval.
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-annotations
 */
export function isDestructiveCall(tool: ToolDefinition, kind: 'operation' | 'introspection' | undefined, args: Record<string, unknown>): boolean {
  if (tool.annotations?.destructiveHint !== true) return false;
  if (kind !== 'introspection') return true;
  return holdsMutation(args.query);
}

function holdsMutation(query: unknown): boolean {
  if (typeof query !== 'string') return false;
  try {
    const { Kind, parse } = requireGraphqlLanguage();
    return parse(query, { noLocation: true }).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation');
  } catch {
    return false;
  }
}

/**
 * graphql's parser (~20 of its ~130 modules, CommonJS) on the first `execute` call: a cached restart lists tools
 * without it; sync, like this check. Bundled (build/bundleCore.ts), `require` is the bundler's and returns the bundled
 * copy, which the rest of graphql (in a chunk loaded on first use) shares: a second graphql from node_modules would
 * fail graphql's instanceof checks. Run from source (ES module) there is no `require`.
 */
function requireGraphqlLanguage(): typeof GraphqlLanguage {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundler's require, resolved at build time
  return (typeof require === 'function' ? require('graphql/language/index.js') : createRequire(import.meta.url)('graphql/language/index.js')) as typeof GraphqlLanguage;
}
