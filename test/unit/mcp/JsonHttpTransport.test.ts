import { createServer, request as httpRequest, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { connectMcpServer } from '../../../electron/core/mcp/connectMcpServer.ts';
import { JsonHttpTransport } from '../../../electron/core/mcp/JsonHttpTransport.ts';
import { serializeMessage } from '../../../electron/core/mcp/serializeMessage.ts';
import { toJsonRpcMessage } from '../../../electron/core/mcp/toJsonRpcMessage.ts';

const tools = [{ name: 'echo', description: 'Echoes its text', inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } } } }];

interface Harness {
  url: string;
  transport: JsonHttpTransport;
  server: Server;
  /** Tool calls wait for this before answering (to test disconnects mid-call). */
  gate?: Promise<void>;
  closed: string[];
}

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

/** One SDK Server on one JsonHttpTransport behind a real node:http server that parses POST bodies, as serveMcp does. */
async function startHarness(): Promise<Harness> {
  const transport = new JsonHttpTransport({ sessionIdGenerator: () => 'session-1', onsessionclosed: (id) => harness.closed.push(id) });
  const server = new Server({ name: 'test', version: '1' }, { capabilities: { tools: { listChanged: true } } });
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    await harness.gate;
    return { content: [{ type: 'text', text: String(request.params.arguments?.text) }] };
  });
  await connectMcpServer(server, transport); // as McpSessions connects them
  const http: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString();
      void transport.handleRequest(req, res, text ? JSON.parse(text) : undefined);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const harness: Harness = { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`, transport, server, closed: [] };
  cleanups.push(async () => {
    await server.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });
  return harness;
}

async function connect(url: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(url));
  const client = new Client({ name: 'test-client', version: '1' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return { client, transport };
}

function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(body) });
}

const session = { 'mcp-session-id': 'session-1', 'mcp-protocol-version': '2025-11-25' };
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

describe('JsonHttpTransport', () => {
  it('serves initialize, tools/list and tools/call to the official SDK client, as plain JSON', async () => {
    const harness = await startHarness();
    const { client, transport } = await connect(harness.url);
    expect(transport.sessionId).toBe('session-1');
    expect((await client.listTools()).tools).toEqual(tools);
    expect(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })).toEqual({ content: [{ type: 'text', text: 'hi' }] });
    const raw = await post(harness.url, { jsonrpc: '2.0', id: 7, method: 'tools/list' }, session);
    expect(raw.headers.get('content-type')).toBe('application/json');
    expect(raw.headers.get('mcp-session-id')).toBe('session-1');
    expect(await raw.json()).toEqual({ jsonrpc: '2.0', id: 7, result: { tools } });
  });

  it('hands requests straight to the Server (connectMcpServer): only notifications pass through the SDK\'s zod routing', async () => {
    const harness = await startHarness();
    const routed: string[] = [];
    const onmessage = harness.transport.onmessage!;
    harness.transport.onmessage = (message, extra) => {
      routed.push('method' in message ? message.method : 'response');
      onmessage(message, extra);
    };
    const requests: string[] = [];
    expect(harness.transport.onrequest, 'the SDK Protocol no longer has _onrequest: see connectMcpServer').toBeTypeOf('function');
    const onrequest = harness.transport.onrequest!;
    harness.transport.onrequest = (request, extra) => {
      requests.push(request.method);
      onrequest(request, extra);
    };
    const { client } = await connect(harness.url);
    expect(await client.callTool({ name: 'echo', arguments: { text: 'direct' } })).toEqual({ content: [{ type: 'text', text: 'direct' }] });
    expect(requests).toEqual(['initialize', 'tools/call']);
    expect(routed).toEqual(['notifications/initialized']);
  });

  it('keeps no entry per request once answered (SDK issue #2559: JSON mode grew ~5 KB per call)', async () => {
    const harness = await startHarness();
    const { client } = await connect(harness.url);
    for (let call = 0; call < 200; call += 1) await client.callTool({ name: 'echo', arguments: { text: String(call) } });
    expect(harness.transport.pendingCount).toBe(0);
  });

  it('drops the entry of a request whose client disconnected before the answer, and the late answer with it', async () => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    let release!: () => void;
    harness.gate = new Promise((resolve) => (release = resolve));
    const errors: Error[] = [];
    harness.transport.onerror = (error) => errors.push(error);
    const call = httpRequest(harness.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...session } });
    call.on('error', () => {});
    call.end(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }));
    await expect.poll(() => harness.transport.pendingCount).toBe(1);
    call.destroy();
    await expect.poll(() => harness.transport.pendingCount).toBe(0);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(harness.transport.pendingCount).toBe(0);
    expect(errors).toEqual([]);
  });

  it('turns a request\'s answer into an SSE stream when a notification of that request goes out first; the answer is its last event', async () => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    let release!: () => void;
    harness.gate = new Promise((resolve) => (release = resolve));
    const answer = post(harness.url, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }, session);
    await expect.poll(() => harness.transport.pendingCount).toBe(1);
    const progress = { jsonrpc: '2.0' as const, method: 'notifications/progress', params: { progressToken: 't', progress: 1 } };
    await harness.transport.send(progress, { relatedRequestId: 2 });
    await harness.transport.send({ ...progress, params: { progressToken: 't', progress: 9 } }, { relatedRequestId: 99 }); // no such request: dropped
    release();
    const response = await answer;
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('mcp-session-id')).toBe('session-1');
    const events = (await response.text()).split('\n\n').filter(Boolean).map((event) => JSON.parse(event.split('data: ')[1]!));
    expect(events).toEqual([progress, { jsonrpc: '2.0', id: 2, result: { content: [{ type: 'text', text: 'x' }] } }]);
    expect(harness.transport.pendingCount).toBe(0);
  });

  it('ends a request\'s SSE stream when the session closes before the answer', async () => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    harness.gate = new Promise(() => {}); // never answers
    const answer = post(harness.url, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' } } }, session);
    await expect.poll(() => harness.transport.pendingCount).toBe(1);
    await harness.transport.send({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 't', progress: 1 } }, { relatedRequestId: 2 });
    await harness.transport.close();
    const text = await (await answer).text();
    expect(text.split('\n\n').filter(Boolean)).toHaveLength(1);
    expect(harness.transport.pendingCount).toBe(0);
  });

  it('answers notifications with 202 and no body', async () => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    const response = await post(harness.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, session);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
  });

  it('refuses a second initialize in the same session with 400 -32600', async () => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    const response = await post(harness.url, { ...initialize, id: 2 }, session);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: -32600, message: 'Invalid Request: Server already initialized' } });
  });

  it.each([
    ['no session id', { 'mcp-protocol-version': '2025-11-25' }, 400, -32000, 'Bad Request: Mcp-Session-Id header is required'],
    ['another session id', { 'mcp-session-id': 'other', 'mcp-protocol-version': '2025-11-25' }, 404, -32001, 'Session not found'],
    ['an unsupported protocol version', { 'mcp-session-id': 'session-1', 'mcp-protocol-version': '1999-01-01' }, 400, -32000, 'Bad Request: Unsupported protocol version: 1999-01-01'],
  ])('refuses a request with %s', async (_case, headers, status, code, message) => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    const response = await post(harness.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, headers);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: number; message: string } };
    expect(body.error.code).toBe(code);
    expect(body.error.message).toContain(message);
  });

  it('refuses a request before initialize with 400', async () => {
    const harness = await startHarness();
    const response = await post(harness.url, { jsonrpc: '2.0', id: 3, method: 'tools/list' }, session);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'Bad Request: Server not initialized' } });
  });

  it('refuses a body that is not a JSON-RPC message with 400 -32700, and a batch with 400 -32600', async () => {
    const harness = await startHarness();
    const invalid = await post(harness.url, { jsonrpc: '2.0', id: 1, method: 'initialize', extra: true });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: -32700 } });
    const batch = await post(harness.url, [initialize]);
    expect(batch.status).toBe(400);
    expect(await batch.json()).toMatchObject({ error: { code: -32600 } });
  });

  it('refuses a POST whose Accept lacks text/event-stream with 406', async () => {
    const harness = await startHarness();
    const response = await fetch(harness.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(initialize) });
    expect(response.status).toBe(406);
  });

  it('sends server notifications on the one GET stream and refuses a second stream with 409', async () => {
    const harness = await startHarness();
    const { client } = await connect(harness.url);
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    // The SDK client opens its GET stream after initialized; wait until the transport holds it.
    await expect.poll(async () => (await fetch(harness.url, { headers: { accept: 'text/event-stream', ...session } })).status).toBe(409);
    await harness.server.sendToolListChanged();
    await changed;
  });

  it('ends the session on DELETE: the close is reported and later requests are refused', async () => {
    const harness = await startHarness();
    await post(harness.url, initialize);
    const deleted = await fetch(harness.url, { method: 'DELETE', headers: session });
    expect(deleted.status).toBe(200);
    expect(harness.closed).toEqual(['session-1']);
    const after = await post(harness.url, { jsonrpc: '2.0', id: 4, method: 'tools/list' }, session);
    expect(after.status).toBe(404);
  });
});

describe('serializeMessage', () => {
  const text = (body: string | Buffer[]) => (typeof body === 'string' ? body : Buffer.concat(body).toString('utf8'));

  it('writes the same JSON as JSON.stringify for any message', () => {
    for (const message of [initialize, { jsonrpc: '2.0' as const, id: 'x', result: { tools, nextCursor: 'n' } }, { jsonrpc: '2.0' as const, id: 1, result: { content: [] } }]) {
      expect(JSON.parse(text(serializeMessage(message as never)))).toEqual(message);
    }
  });

  it('reuses the JSON of a tools array it has serialized (the catalog replaces the array on change)', () => {
    const list = [{ ...tools[0]!, name: 'before' }];
    serializeMessage({ jsonrpc: '2.0', id: 1, result: { tools: list } });
    list[0]!.name = 'mutated';
    expect(JSON.parse(text(serializeMessage({ jsonrpc: '2.0', id: 2, result: { tools: list } }))).result.tools[0].name).toBe('before');
    expect(JSON.parse(text(serializeMessage({ jsonrpc: '2.0', id: 3, result: { tools: [...list] } }))).result.tools[0].name).toBe('mutated');
  });
});

describe('toJsonRpcMessage', () => {
  it.each([
    [{ jsonrpc: '2.0', id: 1, method: 'tools/list' }, true],
    [{ jsonrpc: '2.0', id: 'a', method: 'tools/call', params: { name: 'x' } }, true],
    [{ jsonrpc: '2.0', method: 'notifications/initialized' }, true],
    [{ jsonrpc: '2.0', id: 1, result: {} }, true],
    [{ jsonrpc: '2.0', id: 1, error: { code: -1, message: 'no' } }, true],
    [{ jsonrpc: '1.0', id: 1, method: 'x' }, false],
    [{ jsonrpc: '2.0', id: 1.5, method: 'x' }, false],
    [{ jsonrpc: '2.0', id: null, method: 'x' }, false],
    [{ jsonrpc: '2.0', id: 1, method: 'x', params: [1] }, false],
    [{ jsonrpc: '2.0', id: 1, method: 7 }, false],
    [{ jsonrpc: '2.0', id: 1, method: 'x', other: 1 }, false],
    [{ jsonrpc: '2.0', id: 1, result: [] }, false],
    [{ jsonrpc: '2.0', id: 1, error: { code: 'x', message: 'no' } }, false],
    ['text', false],
  ])('%j is a message: %s', (value, valid) => {
    expect(toJsonRpcMessage(value) !== undefined).toBe(valid);
  });
});
