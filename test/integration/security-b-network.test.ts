import { connect as connectTcp } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveMcp, type McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { ToolGateway } from '../../electron/core/mcp/ToolGateway.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { initializeBody, mcpPostHeaders as unauthenticatedPostHeaders, openRawSession, rawRequest } from '../helpers/rawHttp.ts';
import { serveTestMcp } from '../helpers/serveTestMcp.ts';
import { createTestAuthority } from '../helpers/testAuthority.ts';
import { createTestCatalog } from '../helpers/testCatalog.ts';

let upstream: TestGraphqlServer;
let mcp: McpHttpServer;
// Every request below carries an approved client's key, so each refusal is the check under test, not a 401.
let mcpPostHeaders: Record<string, string>;
let auth: Record<string, string>;

beforeAll(async () => {
  upstream = await startGraphqlServer();
  const served = await serveTestMcp(createTestCatalog(upstream.url));
  mcp = served.mcp;
  auth = served.auth;
  mcpPostHeaders = { ...unauthenticatedPostHeaders, ...auth };
});
afterAll(async () => {
  await mcp.close();
  await upstream.close();
});

const expectJsonRefusal = (response: { status: number; headers: Record<string, unknown>; json: any }, status: number) => {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: expect.any(Number), message: expect.any(String) } });
};

/**
 * Resolves with what the server wrote back on a raw socket: up to its close, or its first complete response head (a
 * server that switched protocols would keep the socket open; a 2 s cut-off instead lost slow answers).
 */
function rawExchange(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

describe('security B: network exposure', () => {
  it('B1 refuses forged Host headers with 403 JSON before reading the body', async () => {
    for (const host of [`evil.example:${mcp.port}`, 'localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0', `0.0.0.0:${mcp.port}`]) {
      const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, host }, body: initializeBody });
      expectJsonRefusal(response, 403);
    }
    expect(mcp.sessionCount()).toBe(0);
  });

  it('B1 accepts the loopback Host names when they carry our port', async () => {
    for (const host of [`127.0.0.1:${mcp.port}`, `localhost:${mcp.port}`, `[::1]:${mcp.port}`]) {
      const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, host }, body: initializeBody });
      expect(response.status, host).toBe(200);
    }
  });

  it('B2 refuses Origin https://evil.example and Origin null with 403', async () => {
    for (const origin of ['https://evil.example', 'null']) {
      const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, origin }, body: initializeBody });
      expectJsonRefusal(response, 403);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('B3 refuses another local web app, Origin http://localhost:5173, with 403', async () => {
    const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, origin: 'http://localhost:5173' }, body: initializeBody });
    expectJsonRefusal(response, 403);
  });

  it("B3 allows the server's own origin and refuses the same host on another port", async () => {
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) {
      const own = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, origin: `http://${name}:${mcp.port}` }, body: initializeBody });
      expect(own.status, name).toBe(200);
    }
    for (const origin of [`http://127.0.0.1:${mcp.port + 1}`, `https://127.0.0.1:${mcp.port}`, `http://localhost`]) {
      expectJsonRefusal(await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, origin }, body: initializeBody }), 403);
    }
  });

  it('B3 allows exactly the configured origin and echoes it in CORS headers', async () => {
    const { mcp: own, auth: ownAuth } = await serveTestMcp(createTestCatalog(upstream.url), { allowedOrigins: ['http://127.0.0.1:4173'] });
    const mcpPostHeaders = { ...unauthenticatedPostHeaders, ...ownAuth };
    try {
      const allowed = await rawRequest(own.url, { headers: { ...mcpPostHeaders, origin: 'http://127.0.0.1:4173' }, body: initializeBody });
      expect(allowed.status).toBe(200);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:4173');
      const other = await rawRequest(own.url, { headers: { ...mcpPostHeaders, origin: 'http://127.0.0.1:4174' }, body: initializeBody });
      expect(other.status).toBe(403);
    } finally {
      await own.close();
    }
  });

  it('B4 allows a native client that sends no Origin', async () => {
    const response = await rawRequest(mcp.url, { headers: mcpPostHeaders, body: initializeBody });
    expect(response.status).toBe(200);
    expect(response.json.result.serverInfo.name).toBe('graphql-mcp-desktop');
    expect(response.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('B5 gives a CORS preflight from a foreign origin no Access-Control-Allow-Origin', async () => {
    const response = await rawRequest(mcp.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, mcp-session-id' },
    });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('B6 refuses simple CSRF content types with 415', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain; a=application/json']) {
      const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, 'content-type': contentType }, body: initializeBody });
      expectJsonRefusal(response, 415);
    }
  });

  it('B7 binds the socket to 127.0.0.1 only', async () => {
    expect(mcp.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    const external = Object.values(networkInterfaces()).flat().find((info) => info && !info.internal && info.family === 'IPv4');
    if (!external) {
      console.info('B7: no non-loopback IPv4 interface here; only the bound address is checked');
      return;
    }
    await expect(rawRequest(`http://${external.address}:${mcp.port}/mcp`, { headers: mcpPostHeaders, body: initializeBody })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('B7 refuses to start on 0.0.0.0 or ::', async () => {
    for (const host of ['0.0.0.0', '::']) {
      const gateway = new ToolGateway({ catalog: createTestCatalog(upstream.url) });
      await expect(serveMcp({ authority: createTestAuthority(), gateway, version: '1', port: 0, host })).rejects.toMatchObject({ code: 'SERVER_LISTEN_FAILED' });
    }
  });

  it('B8 refuses the GET SSE stream with 403 when the Origin is foreign', async () => {
    const session = await openRawSession(mcp.url, auth);
    const response = await rawRequest(mcp.url, { method: 'GET', headers: { ...session, accept: 'text/event-stream', origin: 'https://evil.example' } });
    expectJsonRefusal(response, 403);
    expect(response.headers['content-type']).not.toBe('text/event-stream');
  });

  it('B8 refuses a WebSocket upgrade', async () => {
    const reply = await rawExchange(
      mcp.port,
      `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${mcp.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 /);
    expect(reply).not.toMatch(/101 Switching Protocols/);
  });
});
