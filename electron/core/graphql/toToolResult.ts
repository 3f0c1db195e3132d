import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { scrubSecrets } from '../secrets/scrubSecrets.ts';

/** The parts of a GraphQL response the tool result keeps (`extensions` is dropped to keep model input small). */
export interface GraphqlResponse {
  data?: unknown;
  errors?: GraphqlError[];
}

interface GraphqlError {
  message?: unknown;
  path?: unknown;
}

const maxSnippetChars = 200;

/**
 * Interprets an upstream answer: a GraphQL response becomes `structuredContent` plus one compact JSON text item;
 * GraphQL `errors` make it an `isError` result that keeps partial data; anything else is an `isError` result
 * naming the HTTP status. Pure.
 *
 * @see https://spec.graphql.org/October2021/#sec-Response-Format
 * @see https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool-result
 */
export function toToolResult(status: number, body: string): CallToolResult {
  const response = parseGraphqlResponse(body);
  const ok = status >= 200 && status < 300;
  if (!response) {
    return ok
      ? errorResult('The GraphQL API answered with something that is not a GraphQL response.')
      : errorResult(`The GraphQL API answered with HTTP ${status}.${snippetOf(body)}`);
  }
  const structuredContent: Record<string, unknown> = { data: response.data ?? null };
  if (response.errors) structuredContent.errors = response.errors;
  let json: string;
  try {
    json = JSON.stringify(structuredContent);
  } catch {
    // Only a response nested deeper than the stack allows gets here; it could not be sent to the client either.
    return errorResult('The GraphQL API answered with a response nested too deeply to pass on.');
  }
  if (!response.errors?.length && ok) return { content: [{ type: 'text', text: json }], structuredContent };
  const prefix = ok ? '' : `The GraphQL API answered with HTTP ${status}. `;
  const text = `${prefix}GraphQL errors:\n${listErrors(response.errors ?? [])}\nResponse: ${json}`;
  return { content: [{ type: 'text', text }], structuredContent, isError: true };
}

/** An `isError` tool result with one text item. */
export function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function parseGraphqlResponse(body: string): GraphqlResponse | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const candidate = value as Record<string, unknown>;
  const hasData = 'data' in candidate;
  const errors = candidate.errors;
  if (errors !== undefined && !Array.isArray(errors)) return undefined;
  if (!hasData && !Array.isArray(errors)) return undefined;
  return errors === undefined ? { data: candidate.data } : { data: candidate.data, errors: errors as GraphqlError[] };
}

function listErrors(errors: GraphqlError[]): string {
  return errors
    .map((error) => {
      const message = typeof error?.message === 'string' ? error.message : JSON.stringify(error);
      const path = Array.isArray(error?.path) ? ` (at ${error.path.join('.')})` : '';
      return `- ${message}${path}`;
    })
    .join('\n');
}

// A short, single-line, token-free excerpt of a non-GraphQL body; none for HTML pages, which say nothing useful.
function snippetOf(body: string): string {
  const trimmed = body.trim();
  if (trimmed === '' || trimmed.startsWith('<')) return '';
  // Scrubbed before it is cut: a token cut in two would no longer be recognised (issue 7). Tokens are far below 8 KB.
  const line = scrubSecrets(trimmed.slice(0, 8192)).replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').slice(0, maxSnippetChars);
  return ` Body starts with: ${line}`;
}
