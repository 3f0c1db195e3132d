import { connect, type Socket } from 'node:net';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveBridgeSocket, type BridgeSocketServer, type ServeBridgeSocketOptions } from '../../../electron/core/bridge/serveBridgeSocket.ts';
import { mcpServerName } from '../../../electron/core/mcp/createMcpServer.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../../helpers/graphqlServer.ts';
import { createTestCatalog, helloTool, type TestCatalog } from '../../helpers/testCatalog.ts';
import { bridgeClient, bridgeTransport, collectStderr, initializeRequest, makeTempHome, spawnRelay, waitFor, type TempHome } from '../../helpers/bridge/bridgeHarness.ts';
import { createTestAuthority, testServerFactory, type TestAuthority } from '../../helpers/bridge/testAuthority.ts';

let upstream: TestGraphqlServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  upstream = await startGraphqlServer();
});
afterAll(() => upstream.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(limits: Partial<ServeBridgeSocketOptions> = {}): Promise<{ home: TempHome; authority: TestAuthority; catalog: TestCatalog; bridge: BridgeSocketServer }> {
  const home = await makeTempHome();
  cleanups.push(home.remove);
  const authority = createTestAuthority();
  const catalog = createTestCatalog(upstream.url);
  const bridge = await serveBridgeSocket({
    ...limits, dataDir: home.dataDir, authority,
    createServer: testServerFactory(catalog, authority),
    onToolsChanged: (listener) => catalog.onToolsChanged(listener),
  });
  cleanups.push(() => bridge.close());
  return { home, authority, catalog, bridge };
}

describe('serveBridgeSocket with the relay as a child process', () => {
  it('relays a whole session (initialize, tools/list, tools/call, list_changed) once the user approves the client', async () => {
    const { home, authority, catalog, bridge } = await serve();
    const client = bridgeClient();
    const transport = bridgeTransport(home);
    const stderr = collectStderr(transport);
    cleanups.push(() => client.close());
    const connected = client.connect(transport);
    await waitFor(() => authority.pending.length === 1);
    expect(authority.pending[0]!.info).toEqual({ name: 'Claude Desktop (test)', version: '0.9.0' });
    authority.pending[0]!.allow();
    await connected;

    expect(client.getServerVersion()).toEqual({ name: mcpServerName, version: '9.9.9' });
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['test_hello', 'test_echo', 'test_user']);
    const result = await client.callTool({ name: 'test_hello', arguments: { name: 'bridge' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ data: { hello: 'Hello, bridge!' } });
    expect(bridge.liveSessions()).toMatchObject([{ clientId: 'bridge-Claude Desktop (test)', clientName: 'Claude Desktop (test)', clientVersion: '0.9.0' }]);

    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
    catalog.setTools([helloTool]);
    await waitFor(() => listChanged === 1);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['test_hello']);
    expect(stderr()).toBe('');

    await client.close();
    await waitFor(() => bridge.liveSessions().length === 0);
  });
});

describe('serveBridgeSocket refusals', () => {
  it('answers a denied client with a JSON-RPC error for its initialize and closes; the relay exits 1', async () => {
    const { home, authority, bridge } = await serve();
    const relay = spawnRelay(home);
    relay.send(initializeRequest(7));
    await waitFor(() => authority.pending.length === 1);
    authority.pending[0]!.deny();
    expect(await relay.exited).toBe(1);
    expect(JSON.parse(relay.stdout())).toEqual({ jsonrpc: '2.0', id: 7, error: { code: -32001, message: 'Access denied: "Claude Desktop (test)" was not approved in GraphQL MCP Desktop.' } });
    expect(relay.stderr()).toMatch(/closed the connection/);
    expect(bridge.liveSessions()).toEqual([]);
  });

  it('answers requests before initialize with an error and keeps the connection for the initialize that follows (2026-07-28 probe)', async () => {
    const { home, authority, bridge } = await serve();
    const relay = spawnRelay(home);
    cleanups.push(async () => relay.child.kill());
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} };
    relay.send({ jsonrpc: '2.0', id: 'probe', method: 'server/discover', params: { _meta: meta } });
    await waitFor(() => relay.stdout().includes('"probe"'));
    expect(JSON.parse(relay.stdout())).toEqual({ jsonrpc: '2.0', id: 'probe', error: { code: -32601, message: 'This server speaks MCP 2025-11-25 on the bridge: send initialize before server/discover.' } });
    expect(authority.pending).toEqual([]);

    relay.send(initializeRequest(1));
    await waitFor(() => authority.pending.length === 1);
    authority.pending[0]!.allow();
    await waitFor(() => relay.stdout().includes('"serverInfo"'));
    relay.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await waitFor(() => relay.stdout().includes('"id":2'));
    const lines = relay.stdout().trim().split('\n').map((line) => JSON.parse(line) as { id?: unknown; result?: { tools?: unknown[] } });
    expect(lines.map((line) => line.id)).toEqual(['probe', 1, 2]); // the answered probe never reached the Server
    expect(lines[2]!.result?.tools).toHaveLength(3);
    expect(bridge.liveSessions()).toHaveLength(1);
  });

  it('closes a connection that sends more than 8 messages before initialize, without asking the user', async () => {
    const { home, authority } = await serve();
    const relay = spawnRelay(home);
    for (let id = 1; id <= 9; id++) relay.send({ jsonrpc: '2.0', id, method: 'tools/list' });
    expect(await relay.exited).toBe(1);
    const lines = relay.stdout().trim().split('\n').map((line) => JSON.parse(line) as { id: number; error: { message: string } });
    expect(lines).toHaveLength(9);
    expect(lines.at(-1)).toMatchObject({ id: 9, error: { code: -32000, message: 'Too many messages before initialize.' } });
    expect(authority.pending).toEqual([]);
  });

  it('answers a line that is not JSON with a parse error and keeps the session', async () => {
    const { home, authority } = await serve();
    const relay = spawnRelay(home);
    cleanups.push(async () => relay.child.kill());
    relay.send(initializeRequest(1));
    await waitFor(() => authority.pending.length === 1);
    authority.pending[0]!.allow();
    await waitFor(() => relay.stdout().includes('"serverInfo"'));
    relay.child.stdin.write('{not json\n');
    relay.send({ jsonrpc: '2.0', id: 2, method: 'ping' });
    await waitFor(() => relay.stdout().includes('"id":2'));
    const lines = relay.stdout().trim().split('\n').map((line) => JSON.parse(line) as { id?: unknown; error?: { code: number } });
    expect(lines[1]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(lines[2]).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  });

  it('closes connections still waiting for the user when the app quits, instead of waiting for them', async () => {
    const { home, authority, bridge } = await serve();
    const relay = spawnRelay(home);
    relay.send(initializeRequest(1));
    await waitFor(() => authority.pending.length === 1);
    await bridge.close();
    expect(await relay.exited).toBe(1);
    expect(relay.stderr()).toMatch(/closed the connection/);
  });

  it("closes a revoked client's live session at once; the relay exits 1", async () => {
    const { home, authority, bridge } = await serve();
    const relay = spawnRelay(home);
    relay.send(initializeRequest(1));
    await waitFor(() => authority.pending.length === 1);
    authority.pending[0]!.allow();
    await waitFor(() => bridge.liveSessions().length === 1);
    authority.revoke(bridge.liveSessions()[0]!.clientId);
    expect(await relay.exited).toBe(1);
    expect(bridge.liveSessions()).toEqual([]);
  });
});

/** A raw connection to the bridge socket: what arrives, and when it closes. */
function rawConnection(socketPath: string): { socket: Socket; received(): string; closed: Promise<void> } {
  const socket = connect(socketPath);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  socket.on('error', () => {});
  return { socket, received: () => text, closed: new Promise((resolve) => socket.once('close', () => resolve())) };
}

describe('serveBridgeSocket limits', () => {
  it('closes a connection whose line grows past the limit, before any approval is asked', async () => {
    const { authority, bridge } = await serve({ maxLineBytes: 1024 });
    const connection = rawConnection(bridge.path);
    connection.socket.write('x'.repeat(4096));
    await connection.closed;
    expect(JSON.parse(connection.received())).toMatchObject({ id: null, error: { code: -32600, message: 'A message is longer than 1024 bytes' } });
    expect(authority.pending).toEqual([]);
  });

  it('closes a connection that sends no initialize in time, even while it keeps sending other requests', async () => {
    const { bridge } = await serve({ initializeTimeoutMs: 300 });
    const connection = rawConnection(bridge.path);
    const probe = setInterval(() => connection.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' })}\n`), 100);
    await connection.closed;
    clearInterval(probe);
    expect(connection.received()).toContain('send initialize before ping');
  });

  it('closes a silent connection that sends no initialize in time', async () => {
    const { bridge } = await serve({ initializeTimeoutMs: 200 });
    const connection = rawConnection(bridge.path);
    await connection.closed;
    expect(connection.received()).toBe('');
  });

  it('closes a connection that queues too many messages while the user decides', async () => {
    const { authority, bridge } = await serve();
    const connection = rawConnection(bridge.path);
    connection.socket.write(`${JSON.stringify(initializeRequest(1))}\n`);
    await waitFor(() => authority.pending.length === 1);
    connection.socket.write(Array.from({ length: 100 }, (_, id) => `${JSON.stringify({ jsonrpc: '2.0', id: id + 2, method: 'ping' })}\n`).join(''));
    await connection.closed;
    expect(connection.received()).toContain('Too many messages before the client was approved');
  });
});
