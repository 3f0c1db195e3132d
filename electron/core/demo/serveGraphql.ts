import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphql, type GraphQLSchema } from 'graphql';

/** Decides whether a request may run; the demo APIs plug JWT audience verification in here. */
export type VerifyRequest = (authorization: string | undefined) => Promise<{ ok: true } | { ok: false; status: number; wwwAuthenticate: string }>;

export interface ServeGraphqlOptions {
  schema: GraphQLSchema;
  rootValue: unknown;
  port?: number;
  verify?: VerifyRequest;
  maxBodyBytes?: number;
}

export interface GraphqlHttpServer {
  url: string;
  close(): Promise<void>;
}

/** A small GraphQL-over-HTTP server (POST JSON at /graphql) on 127.0.0.1, for the built-in demo. */
export async function serveGraphql(options: ServeGraphqlOptions): Promise<GraphqlHttpServer> {
  const server = http.createServer((req, res) => {
    handle(req, options).then(
      ({ status, body, headers }) => send(res, status, body, headers),
      () => send(res, 500, { errors: [{ message: 'Internal server error' }] }),
    );
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

interface Reply { status: number; body: unknown; headers?: Record<string, string> }

async function handle(req: http.IncomingMessage, options: ServeGraphqlOptions): Promise<Reply> {
  if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/graphql') return { status: 404, body: { errors: [{ message: 'Not found: POST to /graphql' }] } };
  if (req.method !== 'POST') return { status: 405, body: { errors: [{ message: 'Use POST' }] }, headers: { allow: 'POST' } };
  if (options.verify) {
    const verdict = await options.verify(req.headers.authorization);
    if (!verdict.ok) return { status: verdict.status, body: { errors: [{ message: 'Unauthorized' }] }, headers: { 'www-authenticate': verdict.wwwAuthenticate } };
  }
  const text = await readBody(req, options.maxBodyBytes ?? 1_048_576);
  if (text === undefined) return { status: 413, body: { errors: [{ message: 'Request body too large' }] } };
  const request = parseRequest(text);
  if (!request) return { status: 400, body: { errors: [{ message: 'Body must be JSON: { "query": string, "variables"?: object, "operationName"?: string }' }] } };
  const result = await graphql({ schema: options.schema, rootValue: options.rootValue, source: request.query, variableValues: request.variables, operationName: request.operationName });
  return { status: 200, body: result };
}

function parseRequest(text: string): { query: string; variables?: Record<string, unknown>; operationName?: string } | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.query !== 'string') return undefined;
    const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : undefined;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    return { query: body.query, variables, operationName };
  } catch {
    return undefined;
  }
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
