/** Everything needed to build one upstream GraphQL request; nothing here comes from the MCP client's HTTP request. */
export interface GraphqlRequestInput {
  endpoint: string;
  /** Static headers from config (env references already expanded). */
  headers: Record<string, string>;
  /** The operation text, sent as is: arguments only ever travel as `variables`. */
  document: string;
  operationName?: string;
  variables: Record<string, unknown>;
  /** Bearer token minted for this API's audience; no Authorization header when undefined. */
  token?: string;
}

export interface GraphqlRequest {
  url: string;
  init: { method: 'POST'; headers: Record<string, string>; body: string };
}

// Headers that fetch manages or that would let config smuggle framing; dropped from static config headers.
const managedHeaders = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade']);

/**
 * Builds the upstream POST: headers from scratch (static config headers, JSON content type, the GraphQL-over-HTTP
 * Accept, and `Authorization: Bearer` only when a token is given) and a body of `{ query, variables, operationName }`.
 * Pure: no IO, no incoming headers.
 *
 * @see https://graphql.github.io/graphql-over-http/draft/#sec-POST
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices#token-passthrough
 */
export function buildGraphqlRequest(input: GraphqlRequestInput): GraphqlRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    const key = name.toLowerCase();
    if (!managedHeaders.has(key)) headers[key] = value;
  }
  headers['content-type'] = 'application/json';
  headers['accept'] = 'application/graphql-response+json, application/json';
  if (input.token !== undefined) headers['authorization'] = `Bearer ${input.token}`;
  const body = JSON.stringify({ query: input.document, variables: input.variables, operationName: input.operationName });
  return { url: input.endpoint, init: { method: 'POST', headers, body } };
}
