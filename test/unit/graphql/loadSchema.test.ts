import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, graphqlSync, isInputObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors.ts';
import { loadSchema } from '../../../electron/core/graphql/loadSchema.ts';

const upstream = buildSchema('input By @oneOf { id: ID, name: String } type Query { "Find one." find(by: By!): String }');

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;
let server: Server;
let base: string;
const handlers = new Map<string, Handler>();
const seen: { path: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ path: request.url ?? '', headers: request.headers, body });
      (handlers.get(request.url ?? '') ?? ((_, __, res) => res.writeHead(404).end()))(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function answerGraphql(request: IncomingMessage, body: string, response: ServerResponse): void {
  const { query } = JSON.parse(body) as { query: string };
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(graphqlSync({ schema: upstream, source: query })));
}

handlers.set('/graphql', answerGraphql);
// An older server: no `isOneOf` on __Type, so the full introspection query fails validation there.
handlers.set('/old', (request, body, response) => {
  const { query } = JSON.parse(body) as { query: string };
  if (query.includes('isOneOf')) {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: 'Cannot query field "isOneOf" on type "__Type".' }] }));
  } else answerGraphql(request, body, response);
});
handlers.set('/redirect', (_, __, response) => response.writeHead(302, { location: `${base}/graphql` }).end());
handlers.set('/fail', (_, __, response) => response.writeHead(500).end('boom'));
handlers.set('/html', (_, __, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>'));
handlers.set('/errors', (_, __, response) => response.writeHead(200).end(JSON.stringify({ errors: [{ message: 'introspection is disabled' }] })));
handlers.set('/slow', () => undefined);
handlers.set('/big', (_, __, response) => response.writeHead(200).end('x'.repeat(5000)));

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  if (error instanceof AppError) return error;
  throw new Error(`expected an AppError, got ${String(error)}`);
}

describe('loadSchema', () => {
  it('reads and parses the SDL file when the source is a file', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'schema-'));
    try {
      const file = join(folder, 'schema.graphql');
      writeFileSync(file, 'type Query { a: Int, a: Int }');
      const { schema, problems } = await loadSchema({ file }, { endpoint: `${base}/graphql` });
      expect(schema.getQueryType()?.getFields().a).toBeDefined();
      expect(problems).toEqual([expect.objectContaining({ severity: 'warning', file, line: 1 })]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('throws SCHEMA_INVALID naming the file when the file does not exist', async () => {
    const error = await rejection(loadSchema({ file: '/nonexistent/schema.graphql' }, { endpoint: `${base}/graphql` }));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toBe('/nonexistent/schema.graphql: schema file not found');
  });

  it('says what to fix when the schema path is a folder, not a bare "could not be read" (issue 7)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'schema-folder-'));
    try {
      const error = await rejection(loadSchema({ file: folder }, { endpoint: `${base}/graphql` }));
      expect(error.message).toBe(`${folder}: schema file is a folder; point schema.file at the .graphql file`);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('builds the schema from the endpoint, with @oneOf, when the source is introspection', async () => {
    seen.length = 0;
    const { schema, problems } = await loadSchema({ introspect: true }, { endpoint: `${base}/graphql`, headers: { 'x-client-name': 'mcp' }, fetch });
    const by = schema.getType('By');
    expect(isInputObjectType(by) && by.isOneOf).toBe(true);
    expect(schema.getQueryType()?.getFields().find?.description).toBe('Find one.');
    expect(problems).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.headers['x-client-name']).toBe('mcp');
    expect(seen[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0]?.body ?? '{}')).toMatchObject({ operationName: 'IntrospectionQuery' });
  });

  it('retries with the plain introspection query when the server does not know isOneOf', async () => {
    seen.length = 0;
    const { schema } = await loadSchema({ introspect: true }, { endpoint: `${base}/old` });
    expect(schema.getType('By')).toBeDefined();
    expect(seen.map((request) => request.body.includes('isOneOf'))).toEqual([true, false]);
  });

  it('does not follow a redirect and reports the HTTP status', async () => {
    seen.length = 0;
    const error = await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/redirect` }));
    expect(error.code).toBe('GRAPHQL_HTTP_ERROR');
    expect(error.message).toContain('HTTP 302 (redirects are not followed)');
    expect(seen.map((request) => request.path)).toEqual(['/redirect']);
  });

  it('throws GRAPHQL_HTTP_ERROR with the status when the endpoint answers 500', async () => {
    const error = await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/fail` }));
    expect(error.code).toBe('GRAPHQL_HTTP_ERROR');
    expect(error.details).toMatchObject({ status: 500 });
  });

  it('throws GRAPHQL_RESPONSE_INVALID when the endpoint answers something other than JSON', async () => {
    expect((await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/html` }))).code).toBe('GRAPHQL_RESPONSE_INVALID');
  });

  it('throws SCHEMA_INVALID with the GraphQL errors when introspection is refused', async () => {
    const error = await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/errors` }));
    expect(error.code).toBe('SCHEMA_INVALID');
    expect(error.message).toContain('introspection is disabled');
  });

  it('throws GRAPHQL_TIMEOUT when the endpoint does not answer in time', async () => {
    expect((await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/slow`, timeoutMs: 100 }))).code).toBe('GRAPHQL_TIMEOUT');
  });

  it('throws GRAPHQL_RESPONSE_TOO_LARGE when the answer exceeds the cap', async () => {
    const error = await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/big`, maxResponseBytes: 1000 }));
    expect(error.code).toBe('GRAPHQL_RESPONSE_TOO_LARGE');
  });

  it('never puts the request headers into the error', async () => {
    const error = await rejection(loadSchema({ introspect: true }, { endpoint: `${base}/fail`, headers: { authorization: 'Bearer secret-token' } }));
    expect(JSON.stringify(error.toJSON())).not.toContain('secret-token');
  });
});
