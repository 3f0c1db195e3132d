import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { mcpPostHeaders as unauthenticatedPostHeaders, openRawSession, rawRequest, rpc } from '../helpers/rawHttp.ts';
import { serveTestMcp } from '../helpers/serveTestMcp.ts';
import { createTestCatalog, echoTool, type TestCatalog } from '../helpers/testCatalog.ts';

let upstream: TestGraphqlServer;
let catalog: TestCatalog;
let mcp: McpHttpServer;
let session: Record<string, string>;
// An approved client's key on every request, so each refusal is the JSON-RPC check under test, not a 401.
let mcpPostHeaders: Record<string, string>;

beforeAll(async () => {
  upstream = await startGraphqlServer();
  catalog = createTestCatalog(upstream.url);
  const served = await serveTestMcp(catalog);
  mcp = served.mcp;
  mcpPostHeaders = { ...unauthenticatedPostHeaders, ...served.auth };
  session = await openRawSession(mcp.url, served.auth);
});
afterAll(async () => {
  await mcp.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
  catalog.calls.length = 0;
});

const expectJsonError = (response: { status: number; headers: Record<string, unknown>; json: any }, status: number, code?: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.json.jsonrpc).toBe('2.0');
  if (code !== undefined) expect(response.json.error.code).toBe(code);
};

describe('security G: JSON-RPC input', () => {
  it('G1 answers malformed JSON with -32700 as JSON, not an HTML page', async () => {
    for (const headers of [mcpPostHeaders, session]) {
      const response = await rawRequest(mcp.url, { headers, body: '{"jsonrpc":"2.0", "id": 1, "method": ' });
      expectJsonError(response, 400, -32700);
      expect(response.body).not.toMatch(/<html|<pre|at JSON\.parse/i);
    }
  });

  it('G2 rejects JSON-RPC batch arrays with -32600', async () => {
    const batch = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]);
    expectJsonError(await rawRequest(mcp.url, { headers: session, body: batch }), 400, -32600);
    expectJsonError(await rawRequest(mcp.url, { headers: mcpPostHeaders, body: batch }), 400, -32600);
  });

  it('G3 refuses jsonrpc "1.0", an object id and a missing method with 400', async () => {
    const bodies = [
      { jsonrpc: '1.0', id: 1, method: 'tools/list' },
      { jsonrpc: '2.0', id: { nested: 1 }, method: 'tools/list' },
      { jsonrpc: '2.0', id: 1 },
    ];
    for (const body of bodies) {
      expectJsonError(await rawRequest(mcp.url, { headers: session, body: JSON.stringify(body) }), 400, -32700);
    }
  });

  it('G4 answers an unknown method with -32601', async () => {
    const response = await rpc(mcp.url, session, 'resources/list');
    expect(response.json.error.code).toBe(-32601);
    const proto = await rpc(mcp.url, session, '__proto__');
    expect(proto.json.error.code).toBe(-32601);
  });

  it('G4 lets __proto__ and constructor keys in arguments pollute nothing', async () => {
    const body = '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"test_echo","arguments":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"text":"hi"}}}';
    const response = await rawRequest(mcp.url, { headers: session, body });
    expect(response.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
    const args = catalog.calls[0]?.args;
    expect((args as Record<string, unknown> | undefined)?.polluted).toBeUndefined();
  });

  it('G5 returns isError for an unknown tool and for arguments that break the schema', async () => {
    const unknown = await rpc(mcp.url, session, 'tools/call', { name: 'not_a_tool', arguments: {} });
    expect(unknown.json.result.isError).toBe(true);
    const extra = await rpc(mcp.url, session, 'tools/call', { name: 'test_echo', arguments: { text: 'x', extra: 1 } });
    expect(extra.json.result.isError).toBe(true);
    expect(extra.json.result.content[0].text).toMatch(/input schema/);
    const wrongType = await rpc(mcp.url, session, 'tools/call', { name: 'test_echo', arguments: { text: 5 } });
    expect(wrongType.json.result.isError).toBe(true);
    expect(upstream.requests).toHaveLength(0);
  });

  it('G5 answers -32602 when tools/call params are not an object with a name', async () => {
    const response = await rpc(mcp.url, session, 'tools/call', { arguments: {} });
    expect(response.json.error.code).toBe(-32602);
  });

  it('G6 answers 20000-deep nesting with 400 (or an isError result inside arguments) and keeps serving', async () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    const inParams = await rawRequest(mcp.url, { headers: session, body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":${deep}}` });
    expectJsonError(inParams, 400, -32700);
    const inArguments = await rawRequest(mcp.url, { headers: session, body: `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"test_echo","arguments":{"text":${deep}}}}` });
    expect(inArguments.status).toBe(200);
    expect(inArguments.json.result.isError).toBe(true);
    const after = await rpc(mcp.url, session, 'tools/list');
    expect(after.json.result.tools.length).toBeGreaterThan(0);
  });

  it('G7 answers an unsupported MCP-Protocol-Version with 400, a missing Accept with 406, a wrong Content-Type with 415', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expectJsonError(await rawRequest(mcp.url, { headers: { ...session, 'mcp-protocol-version': '1999-01-01' }, body: list }), 400);
    const { accept: _accept, ...noAccept } = session;
    expectJsonError(await rawRequest(mcp.url, { headers: noAccept, body: list }), 406);
    expectJsonError(await rawRequest(mcp.url, { headers: { ...session, accept: 'application/json' }, body: list }), 406);
    expectJsonError(await rawRequest(mcp.url, { headers: { ...session, 'content-type': 'text/plain' }, body: list }), 415);
  });

  it('G7 answers an unknown session id with 404 and a missing one with 400', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expectJsonError(await rawRequest(mcp.url, { headers: { ...session, 'mcp-session-id': 'not-a-session' }, body: list }), 404, -32001);
    expectJsonError(await rawRequest(mcp.url, { headers: mcpPostHeaders, body: list }), 400);
  });

  it('G8 sends GraphQL injection strings only as variables, with the operation text fixed', async () => {
    const injections = ['"} } mutation { deleteAll }', 'query { __schema { types { name } } }', 'a: hello b: hello', '... on Query { hello }', '#'];
    for (const text of injections) {
      const response = await rpc(mcp.url, session, 'tools/call', { name: 'test_echo', arguments: { text } });
      expect(response.json.result.structuredContent).toEqual({ data: { echo: text } });
    }
    for (const request of upstream.requests) {
      const body = JSON.parse(request.body);
      expect(body.query).toBe(echoTool.document);
      expect(body.operationName).toBe('Echo');
    }
    expect(upstream.requests.map((request) => JSON.parse(request.body).variables.text)).toEqual(injections);
  });
});
