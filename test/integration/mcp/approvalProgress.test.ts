import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApprovalGate } from '../../../electron/core/approvals/ApprovalGate.ts';
import { createApprovalHook } from '../../../electron/core/approvals/createApprovalHook.ts';
import { serveBridgeSocket, type BridgeSocketServer } from '../../../electron/core/bridge/serveBridgeSocket.ts';
import type { OperationTool } from '../../../electron/core/graphql/OperationTool.ts';
import { createMcpServer } from '../../../electron/core/mcp/createMcpServer.ts';
import { bridgeClient, bridgeTransport, makeTempHome, waitFor, type TempHome } from '../../helpers/bridge/bridgeHarness.ts';
import { createTestAuthority as createBridgeAuthority } from '../../helpers/bridge/testAuthority.ts';
import { connectClient } from '../../helpers/connectClient.ts';
import { startGraphqlServer, testSchemaSource, type TestGraphqlServer } from '../../helpers/graphqlServer.ts';
import { serveTestMcp, type TestMcp } from '../../helpers/serveTestMcp.ts';
import { createTestCatalog } from '../../helpers/testCatalog.ts';

// Scaled down from the app's 2-minute approval wait, 15 s progress interval and the SDK's 60 s request timeout:
// the client gives up long before the user decides unless progress keeps it waiting.
const approvalTimeoutMs = 6000;
const progressIntervalMs = 100;
const clientTimeoutMs = 2000;

const addTaskTool: OperationTool = {
  kind: 'operation', name: 'test_add_task', title: 'AddTask', description: 'Runs AddTask',
  inputSchema: { type: 'object', properties: { title: { type: 'string' } }, required: ['title'], additionalProperties: false },
  annotations: { destructiveHint: true, openWorldHint: true },
  api: 'test', operationName: 'AddTask', operationType: 'mutation', document: 'mutation AddTask($title: String!) { addTask(title: $title) }', source: { file: 'test.graphql' },
};

let api: TestGraphqlServer;
let served: TestMcp;
let client: Client;
let home: TempHome;
let bridge: BridgeSocketServer;
let stdioClient: Client;
const gate = new ApprovalGate({ policyFor: () => 'ask', timeoutMs: approvalTimeoutMs, progressIntervalMs });

beforeAll(async () => {
  api = await startGraphqlServer(buildSchema(`${testSchemaSource}\ntype Mutation { addTask(title: String!): String }\n`));
  const catalog = createTestCatalog(api.url);
  catalog.setTools([addTaskTool]);
  served = await serveTestMcp(catalog, { gateway: { beforeCall: createApprovalHook({ gate, kindOf: () => 'operation' }) } });
  // Progress travels on the call's own response stream: the client's GET stream (open or not) plays no part.
  client = await connectClient(served.mcp.url, served.token);
  // The same gateway behind the stdio bridge, as Claude Desktop reaches the app (`--stdio` relay as a child process).
  home = await makeTempHome();
  const authority = createBridgeAuthority();
  bridge = await serveBridgeSocket({
    dataDir: home.dataDir, authority, onToolsChanged: (listener) => served.gateway.onToolsChanged(listener),
    createServer: (principal) => createMcpServer(served.gateway, { version: '1', principal: () => authority.principalOf(principal.clientId) }),
  });
  stdioClient = bridgeClient();
  const connected = stdioClient.connect(bridgeTransport(home));
  await waitFor(() => authority.pending.length === 1);
  authority.pending[0]!.allow();
  await connected;
});
afterAll(async () => {
  await stdioClient?.close();
  await bridge?.close();
  await home?.remove();
  await client?.close();
  await served?.mcp.close();
  await api?.close();
});

const mutationsSent = () => api.requests.filter((request) => request.body.includes('AddTask')).length;
const textOf = (result: CallToolResult) => result.content.map((item) => (item.type === 'text' ? item.text : '')).join('');

/** Calls the destructive tool as a client that resets its (short) request timeout on progress. */
function callWithProgress(onprogress: (update: Progress) => void, caller = client): Promise<CallToolResult> {
  const options = { timeout: clientTimeoutMs, resetTimeoutOnProgress: true, onprogress };
  return caller.callTool({ name: 'test_add_task', arguments: { title: 'Ship 1.0' } }, undefined, options) as Promise<CallToolResult>;
}

describe('a destructive call waiting for approval keeps an MCP client waiting with progress notifications', () => {
  it.each([['Streamable HTTP', () => client], ['the stdio bridge', () => stdioClient]])('an SDK client over %s whose request timeout is shorter than the wait still gets the result once the user allows the call', async (_, caller) => {
    api.reset();
    const updates: Progress[] = [];
    // The user decides once 1.5 times the client's own request timeout has passed: by the clock, not after a number
    // of updates, which a loaded machine could send too slowly to arrive before the approval's own timeout. The 2 s
    // client timeout leaves 2 s for a stall between updates or for the call itself once allowed (no progress then).
    const started = performance.now();
    let decided = false;
    const result = await callWithProgress((update) => {
      updates.push(update);
      if (decided || performance.now() - started < 1.5 * clientTimeoutMs) return;
      decided = true;
      gate.decide(gate.pending()[0]!.id, 'allow-once');
    }, caller());
    expect(result.isError).toBeUndefined();
    expect(mutationsSent()).toBe(1);
    // Kept waiting past its own timeout: one update before it ran out, and the one the user decided on.
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[0]!.message).toContain('Waiting for the user to allow test_add_task in GraphQL MCP Desktop');
    // The spec wants progress to increase with every notification.
    expect(updates.every((update, index) => index === 0 || update.progress > updates[index - 1]!.progress)).toBe(true);
  });

  it('over HTTP, progress goes on the call\'s own POST response, which becomes an SSE stream ending with the answer (no GET stream needed)', async () => {
    api.reset();
    const headers = { ...served.auth, 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
    const post = (body: unknown, sessionId?: string) => fetch(served.mcp.url, { method: 'POST', headers: { ...headers, ...(sessionId ? { 'mcp-session-id': sessionId } : {}) }, body: JSON.stringify(body) });
    const initialized = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    const sessionId = initialized.headers.get('mcp-session-id')!;
    await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, sessionId);
    const callParams = { name: 'test_add_task', arguments: { title: 'Raw' }, _meta: { progressToken: 'p1' } };
    const response = await post({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: callParams }, sessionId);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const events: { method?: string; id?: number; params?: { progressToken?: string }; result?: CallToolResult }[] = [];
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of response.body!) {
      buffered += decoder.decode(chunk, { stream: true });
      for (let end = buffered.indexOf('\n\n'); end >= 0; end = buffered.indexOf('\n\n')) {
        events.push(JSON.parse(buffered.slice(0, end).split('\n').find((line) => line.startsWith('data: '))!.slice(6)));
        buffered = buffered.slice(end + 2);
        if (events.length === 1) gate.decide(gate.pending()[0]!.id, 'allow-once');
      }
    }
    expect(events[0]).toMatchObject({ method: 'notifications/progress', params: { progressToken: 'p1' } });
    expect(events.at(-1)).toMatchObject({ id: 2, result: { content: [{ type: 'text' }] } });
    expect(events.at(-1)!.result!.isError).toBeUndefined();
    expect(mutationsSent()).toBe(1);
    // A call that sends no progress is still answered with one JSON body.
    const plain = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, sessionId);
    expect(plain.headers.get('content-type')).toBe('application/json');
  });

  it('a call the user never decides ends with the approval timeout\'s refusal, not the client\'s timeout, and sends nothing', async () => {
    api.reset();
    let updates = 0;
    const result = await callWithProgress(() => void (updates += 1));
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('No decision within 6 seconds');
    expect(updates).toBeGreaterThan(0);
    expect(mutationsSent()).toBe(0);
    expect(gate.pending()).toEqual([]);
  });
});
