import { request, type ClientRequest } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { initializeBody, mcpPostHeaders as unauthenticatedPostHeaders, openRawSession as openSession, rawRequest, rpc } from '../helpers/rawHttp.ts';
import { serveTestMcp, type ServeTestMcpOptions } from '../helpers/serveTestMcp.ts';
import { createTestCatalog } from '../helpers/testCatalog.ts';

let upstream: TestGraphqlServer;
const servers: McpHttpServer[] = [];

beforeAll(async () => {
  upstream = await startGraphqlServer();
});
afterAll(() => upstream.close());
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  upstream.reset();
});

// The client approved on the last server started: its key goes on every request below.
let mcpPostHeaders: Record<string, string> = unauthenticatedPostHeaders;
let openRawSession: (url: string) => Promise<Record<string, string>>;

async function serve(overrides: ServeTestMcpOptions = {}): Promise<McpHttpServer> {
  const { mcp: server, auth } = await serveTestMcp(createTestCatalog(upstream.url), overrides);
  servers.push(server);
  mcpPostHeaders = { ...unauthenticatedPostHeaders, ...auth };
  openRawSession = (url) => openSession(url, auth);
  return server;
}

/** Opens a session's GET stream and resolves once the server answered 200; `destroy()` drops it like a client that quit. */
async function openStream(url: string, session: Record<string, string>): Promise<ClientRequest> {
  const stream = request(url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' }, agent: false });
  const opened = new Promise<number>((resolve) => stream.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))));
  stream.on('error', () => {});
  stream.end();
  if ((await opened) !== 200) throw new Error('the GET stream was refused');
  return stream;
}

/** Sends the headers and only the first part of a body that claims to be `length` bytes; resolves on the response. */
function partialBody(url: string, headers: Record<string, string>, length: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(length) }, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.write('{"jsonrpc":"2.0",');
  });
}

describe('security H: resource exhaustion', () => {
  it('H1 answers a body over maxBodyBytes with 413 JSON when Content-Length announces it', async () => {
    const mcp = await serve({ maxBodyBytes: 1024 });
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(5000) } });
    const response = await rawRequest(mcp.url, { headers: mcpPostHeaders, body });
    expect(response.status).toBe(413);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json.error.message).toMatch(/1024 bytes/);
  });

  it('H1 answers a chunked body that grows past the limit with 413 JSON', async () => {
    const mcp = await serve({ maxBodyBytes: 64 * 1024 });
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(mcp.url, { method: 'POST', headers: { ...mcpPostHeaders, 'transfer-encoding': 'chunked' }, agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('x'.repeat(16 * 1024));
      req.end();
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).error.code).toBe(-32000);
  });

  it('H1 refuses a foreign Host before reading the body', async () => {
    const mcp = await serve();
    // The body never arrives: a 403 can only come from a check that does not wait for it.
    const response = await partialBody(mcp.url, { ...mcpPostHeaders, host: 'evil.example' }, 500_000);
    expect(response.status).toBe(403);
  });

  it('H1 refuses a foreign Origin before reading the body', async () => {
    const mcp = await serve();
    const response = await partialBody(mcp.url, { ...mcpPostHeaders, origin: 'https://evil.example' }, 500_000);
    expect(response.status).toBe(403);
  });

  it('H1 accepts a body just under the default 1 MiB limit', async () => {
    const mcp = await serve();
    const session = await openRawSession(mcp.url);
    const response = await rpc(mcp.url, session, 'tools/call', { name: 'test_echo', arguments: { text: 'y'.repeat(900_000) } });
    expect(response.status).toBe(200);
    expect(response.json.result.structuredContent.data.echo).toHaveLength(900_000);
  });

  it('H2 answers headers over 16 KB with 431', async () => {
    const mcp = await serve();
    const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, 'x-big': 'a'.repeat(17 * 1024) }, body: initializeBody });
    expect(response.status).toBe(431);
  });

  it('H3 answers 503 JSON when every session up to the cap holds a stream, and accepts again after one closes', async () => {
    const mcp = await serve({ maxSessions: 2 });
    const first = await openRawSession(mcp.url);
    const streams = [await openStream(mcp.url, first), await openStream(mcp.url, await openRawSession(mcp.url))];
    const refused = await rawRequest(mcp.url, { headers: mcpPostHeaders, body: initializeBody });
    expect(refused.status).toBe(503);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(mcp.sessionCount()).toBe(2);
    await rawRequest(mcp.url, { method: 'DELETE', headers: first });
    expect(mcp.sessionCount()).toBe(1);
    expect((await rawRequest(mcp.url, { headers: mcpPostHeaders, body: initializeBody })).status).toBe(200);
    streams.forEach((stream) => stream.destroy());
  });

  it('H3 makes room at the cap by closing the stalest session that holds no stream', async () => {
    const mcp = await serve({ maxSessions: 2 });
    const stale = await openRawSession(mcp.url);
    const stream = await openStream(mcp.url, await openRawSession(mcp.url));
    expect((await rawRequest(mcp.url, { headers: mcpPostHeaders, body: initializeBody })).status).toBe(200);
    expect(mcp.sessionCount()).toBe(2);
    expect((await rpc(mcp.url, stale, 'tools/list')).status).toBe(404);
    stream.destroy();
  });

  // Idle time runs on an injected clock: on the wall clock a loaded machine could pass sessionIdleMs between a
  // session's initialize and its next request, or let the test's sleep end before the sweep ran.
  it('H3 evicts a session that has no open stream and saw no request for sessionIdleMs', async () => {
    let now = 1_000_000;
    const mcp = await serve({ sessionIdleMs: 150, sweepIntervalMs: 10, now: () => now });
    const session = await openRawSession(mcp.url);
    now += 149;
    expect((await rpc(mcp.url, session, 'tools/list')).status).toBe(200); // a request restarts the idle time
    now += 149;
    expect(mcp.sessionCount()).toBe(1);
    now += 1;
    await expect.poll(() => mcp.sessionCount()).toBe(0);
    expect((await rpc(mcp.url, session, 'tools/list')).status).toBe(404);
  });

  it('H3 keeps a session while its GET stream is open and evicts it after the stream closes', async () => {
    let now = 1_000_000;
    const mcp = await serve({ sessionIdleMs: 150, sweepIntervalMs: 10, now: () => now });
    const session = await openRawSession(mcp.url);
    const stream = request(mcp.url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' }, agent: false });
    const opened = new Promise<number>((resolve) => stream.on('response', (res) => (res.resume(), resolve(res.statusCode ?? 0))));
    stream.on('error', () => {});
    stream.end();
    expect(await opened).toBe(200);
    await openRawSession(mcp.url); // as idle, without a stream: its eviction proves the sweep ran past sessionIdleMs
    now += 60_000;
    await expect.poll(() => mcp.sessionCount()).toBe(1);
    expect(mcp.liveSessions()).toMatchObject([{ id: session['mcp-session-id']!.slice(0, 8), listening: true }]);
    stream.destroy(); // the idle time starts again when the stream closes
    await expect.poll(() => mcp.liveSessions()).toMatchObject([{ listening: false }]);
    now += 60_000;
    await expect.poll(() => mcp.sessionCount()).toBe(0);
  });

  it('H3 drops a client that sends headers too slowly (headersTimeout)', async () => {
    const mcp = await serve({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const started = Date.now();
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connectTcp(mcp.port, '127.0.0.1', () => socket.write(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${mcp.port}\r\n`));
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(reply).toMatch(/^HTTP\/1\.1 408|^$/);
  });

  it('H4 caps a huge API response before it reaches the client', async () => {
    const mcp = await serve();
    upstream.respond = (_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: { echo: 'z'.repeat(3 * 1024 * 1024) } }));
      return true;
    };
    const session = await openRawSession(mcp.url);
    const response = await rpc(mcp.url, session, 'tools/call', { name: 'test_echo', arguments: { text: 'a' } });
    expect(response.json.result.isError).toBe(true);
    expect(response.json.result.content[0].text).toMatch(/more than 2097152 bytes/);
    expect(response.body.length).toBeLessThan(10_000);
  });
});
