import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveMcp, type McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { mcpServerName } from '../../electron/core/mcp/createMcpServer.ts';
import { ToolGateway } from '../../electron/core/mcp/ToolGateway.ts';
import { connectClient } from '../helpers/connectClient.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { serveTestMcp, type ServeTestMcpOptions } from '../helpers/serveTestMcp.ts';
import { createTestAuthority } from '../helpers/testAuthority.ts';
import { createTestCatalog, helloTool, type TestCatalog } from '../helpers/testCatalog.ts';
import { initializeBody, mcpPostHeaders, rawRequest } from '../helpers/rawHttp.ts';

let upstream: TestGraphqlServer;
const opened: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  upstream = await startGraphqlServer();
});
afterAll(() => upstream.close());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((item) => item.close()));
  upstream.reset();
});

let token = '';

async function serve(overrides: ServeTestMcpOptions = {}): Promise<{ mcp: McpHttpServer; catalog: TestCatalog }> {
  const catalog = createTestCatalog(upstream.url);
  const served = await serveTestMcp(catalog, { version: '9.9.9', ...overrides });
  token = served.token;
  opened.push(served.mcp);
  return { mcp: served.mcp, catalog };
}

async function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  const client = await connectClient(url, token, { headers });
  opened.unshift(client);
  return client;
}

const waitFor = async (check: () => boolean, ms = 3000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Sessions whose client has its GET stream attached: only those can receive notifications. */
const listeningSessions = (mcp: McpHttpServer) => mcp.liveSessions().filter((session) => session.listening).length;

describe('serveMcp', () => {
  it('initializes with the server name, version, tools capability and instructions when a client connects', async () => {
    const { mcp } = await serve();
    expect(mcp.url).toBe(`http://127.0.0.1:${mcp.port}/mcp`);
    expect(mcp.port).toBeGreaterThan(0);
    const client = await connect(mcp.url);
    expect(client.getServerVersion()).toEqual({ name: mcpServerName, version: '9.9.9' });
    expect(client.getServerCapabilities()?.tools).toEqual({ listChanged: true });
    expect(client.getInstructions()).toMatch(/GraphQL/);
    expect(mcp.sessionCount()).toBe(1);
  });

  it('lists the catalog tools with title and annotations when asked for tools/list', async () => {
    const { mcp } = await serve();
    const client = await connect(mcp.url);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['test_hello', 'test_echo', 'test_user']);
    expect(tools[0]).toMatchObject({ title: 'Hello', annotations: { readOnlyHint: true }, inputSchema: { type: 'object' } });
  });

  it('runs the operation upstream and returns structuredContent when a tool is called', async () => {
    const { mcp } = await serve();
    const client = await connect(mcp.url);
    const result = await client.callTool({ name: 'test_user', arguments: { id: '2' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ data: { user: { id: '2', name: 'Grace' } } });
    expect(result.content).toEqual([{ type: 'text', text: '{"data":{"user":{"id":"2","name":"Grace"}}}' }]);
  });

  it('passes no incoming header upstream when the client sends Authorization and cookies', async () => {
    const { mcp, catalog } = await serve();
    const client = await connect(mcp.url, { cookie: 'sid=1', 'x-forwarded-for': '1.2.3.4' });
    await client.callTool({ name: 'test_hello', arguments: { name: 'Ada' } });
    const sent = upstream.requests[0]!;
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers.cookie).toBeUndefined();
    expect(sent.headers['x-forwarded-for']).toBeUndefined();
    expect(JSON.stringify(catalog.calls)).not.toContain(token);
  });

  it('returns an isError result when the tool is unknown', async () => {
    const { mcp } = await serve();
    const client = await connect(mcp.url);
    const result = await client.callTool({ name: 'nope', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('No tool has that name');
  });

  it('sends notifications/tools/list_changed over the GET stream when the catalog changes', async () => {
    const { mcp, catalog } = await serve();
    const client = await connect(mcp.url);
    const second = await connect(mcp.url);
    const received: string[] = [];
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void received.push('first'));
    second.setNotificationHandler(ToolListChangedNotificationSchema, () => void received.push('second'));
    // The SDK client opens its GET stream after `initialized`; a notification sent before it is attached is lost.
    await waitFor(() => listeningSessions(mcp) === 2);
    catalog.setTools([helloTool]);
    await waitFor(() => received.length === 2);
    expect(received.sort()).toEqual(['first', 'second']);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['test_hello']);
  });

  it('keeps a session whose client holds the GET stream open, and evicts it once the client goes away', async () => {
    // An injected clock: on the wall clock a slow machine could pass sessionIdleMs before the client's GET arrives.
    let now = 1_000_000;
    const { mcp } = await serve({ sessionIdleMs: 150, sweepIntervalMs: 10, now: () => now });
    const client = await connect(mcp.url);
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;
    await waitFor(() => listeningSessions(mcp) === 1);
    // A session without a GET stream, idle as long: its eviction proves the sweep ran past sessionIdleMs.
    expect((await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, authorization: `Bearer ${token}` }, body: initializeBody })).status).toBe(200);
    expect(mcp.sessionCount()).toBe(2);
    now += 60_000;
    await waitFor(() => mcp.sessionCount() === 1);
    expect(mcp.liveSessions()).toMatchObject([{ id: sessionId.slice(0, 8), listening: true }]);
    await client.close(); // drops the GET stream without DELETE, like a client that quit
    await waitFor(() => listeningSessions(mcp) === 0); // the idle time starts again when the stream closes
    now += 60_000;
    await waitFor(() => mcp.sessionCount() === 0);
    const list = { jsonrpc: '2.0', id: 9, method: 'tools/list' };
    const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, authorization: `Bearer ${token}` };
    const response = await fetch(mcp.url, { method: 'POST', headers, body: JSON.stringify(list) });
    expect(response.status).toBe(404);
  });

  it('keeps a session that is in use when sessionIdleMs passes between calls', async () => {
    const { mcp } = await serve({ sessionIdleMs: 500 });
    const client = await connect(mcp.url);
    for (let i = 0; i < 12; i++) {
      await client.listTools();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(mcp.sessionCount()).toBe(1);
  });

  it('closes the session when the client sends DELETE', async () => {
    const { mcp } = await serve();
    const client = await connect(mcp.url);
    const transport = client.transport as StreamableHTTPClientTransport;
    await transport.terminateSession();
    await waitFor(() => mcp.sessionCount() === 0);
  });

  it('closes promptly with open SSE streams when close() is called', async () => {
    const { mcp } = await serve();
    await connect(mcp.url);
    await connect(mcp.url);
    await waitFor(() => listeningSessions(mcp) === 2);
    const started = performance.now();
    await mcp.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(mcp.sessionCount()).toBe(0);
    await expect(fetch(mcp.url, { method: 'POST' })).rejects.toThrow();
  });

  it('works with SSE responses when enableJsonResponse is false', async () => {
    const { mcp } = await serve({ enableJsonResponse: false });
    const client = await connect(mcp.url);
    const result = await client.callTool({ name: 'test_hello', arguments: { name: 'SSE' } });
    expect(result.structuredContent).toEqual({ data: { hello: 'Hello, SSE!' } });
  });

  it('refuses to listen on anything but 127.0.0.1', async () => {
    const gateway = new ToolGateway({ catalog: createTestCatalog(upstream.url) });
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.2']) {
      await expect(serveMcp({ authority: createTestAuthority(), gateway, version: '1', port: 0, host })).rejects.toMatchObject({ code: 'SERVER_LISTEN_FAILED' });
    }
  });

  it('rejects with SERVER_LISTEN_FAILED when the port is taken', async () => {
    const { mcp } = await serve();
    await expect(serveTestMcp(createTestCatalog(upstream.url), { port: mcp.port })).rejects.toMatchObject({ code: 'SERVER_LISTEN_FAILED' });
  });

  it('tells the authority its resource URL once listening', async () => {
    const authority = createTestAuthority();
    const { mcp } = await serve({ authority });
    expect(authority.attachedUrl).toBe(mcp.url);
  });
});
