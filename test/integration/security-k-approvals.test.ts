import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { buildSchema } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import { serveUi, type UiServer } from '../../electron/core/ui/serveUi.ts';
import type { PendingCallView } from '../../electron/ipc/contract.ts';
import { createAccessKey } from '../helpers/connectClient.ts';
import { startGraphqlServer, testSchemaSource, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { rawRequest } from '../helpers/rawHttp.ts';

const schema = `${testSchemaSource}\ntype Mutation { addTask(title: String!): String }\n`;
let dir: string;
let api: TestGraphqlServer;
let core: CoreHandle;
let ui: UiServer;
let cursor: { client: Client; clientId: string };
const elicitations: unknown[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'k-approvals-'));
  api = await startGraphqlServer(buildSchema(schema));
  await writeFile(path.join(dir, 'schema.graphql'), schema);
  await mkdir(path.join(dir, 'ops'));
  await writeFile(path.join(dir, 'ops', 'tasks.graphql'), 'query Hello { hello }\nmutation AddTask($title: String!) { addTask(title: $title) }\n');
  await writeFile(path.join(dir, 'config.yaml'), `apis:
  - name: tasks
    endpoint: ${api.url}
    schema: { file: ./schema.graphql }
    operations: [./ops]
    mutations: explicit
    introspection: { introspect: false, search: false, validate: false, execute: false }
`);
  core = await startCore({
    configPath: path.join(dir, 'config.yaml'), dataDir: path.join(dir, 'data'), port: 0, watch: false, secrets: memorySecretStore(),
    openExternal: async () => {}, logger: createLogger({ level: 'error', write: () => {} }),
  });
  ui = await serveUi({ bridge: core.bridge, rendererDir: path.join(dir, 'no-renderer') });
  // An MCP client that offers elicitation would get the question there if the app ever asked it: it never does (K2).
  const { clientId, key } = await createAccessKey(core, 'Cursor');
  const client = new Client({ name: 'Cursor', version: '1.0.0' }, { capabilities: { elicitation: {} } });
  client.setRequestHandler(ElicitRequestSchema, (request) => (elicitations.push(request), { action: 'accept', content: {} }));
  await client.connect(new StreamableHTTPClientTransport(new URL(core.endpoint), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  cursor = { client, clientId };
});
afterAll(async () => {
  await cursor?.client.close();
  await ui?.close();
  await core?.close();
  await api?.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => api.reset());

/** Starts a call and resolves with it once the app shows it as pending (no timed assertion: it polls). */
async function callAndWait(client: Client, name: string, args: Record<string, unknown>): Promise<{ pending: PendingCallView; result: Promise<CallToolResult> }> {
  const before = new Set(core.approvals.gate.pending().map((call) => call.id));
  const result = client.callTool({ name, arguments: args }) as Promise<CallToolResult>;
  for (;;) {
    const pending = (await core.bridge['approvals:pending']()) as { ok: true; value: PendingCallView[] };
    const added = pending.value.find((call) => !before.has(call.id));
    if (added) return { pending: added, result };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const mutationsSent = () => api.requests.filter((request) => request.body.includes('AddTask')).length;
const textOf = (result: CallToolResult) => result.content.map((item) => (item.type === 'text' ? item.text : '')).join('');

describe('K1: a destructive call under the ask policy', () => {
  it('K1: waits with client, tool, API and arguments shown; nothing reaches the API until the user allows it once', async () => {
    const { pending, result } = await callAndWait(cursor.client, 'AddTask', { title: 'Ship 1.0' });
    expect(pending).toMatchObject({ clientId: cursor.clientId, clientName: expect.stringContaining('Cursor'), tool: 'AddTask', api: 'tasks', arguments: { title: 'Ship 1.0' } });
    expect(mutationsSent()).toBe(0);
    expect(await core.bridge['approvals:decide'](pending.id, 'allow-once')).toEqual({ ok: true, value: undefined });
    expect((await result).isError).toBeFalsy();
    expect(mutationsSent()).toBe(1);
  });

  it('K1: a denied call is an isError result with the reason, and nothing was sent', async () => {
    const { pending, result } = await callAndWait(cursor.client, 'AddTask', { title: 'Drop prod' });
    await core.bridge['approvals:decide'](pending.id, 'deny');
    const denied = await result;
    expect(denied.isError).toBe(true);
    expect(textOf(denied)).toContain('denied');
    expect(mutationsSent()).toBe(0);
    const activity = await core.bridge['activity:list']({ clientId: cursor.clientId, outcome: 'denied' });
    expect(activity).toMatchObject({ ok: true, value: [expect.objectContaining({ tool: 'AddTask', outcome: 'denied' })] });
  });

  it('K1: queries run without asking', async () => {
    const result = (await cursor.client.callTool({ name: 'Hello', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(core.approvals.gate.pending()).toEqual([]);
  });

  it('K1: "allow this tool" lets the next call of that client run; the deny policy refuses at once; allow runs without asking', async () => {
    const first = await callAndWait(cursor.client, 'AddTask', { title: 'a' });
    await core.bridge['approvals:decide'](first.pending.id, 'allow-tool');
    await first.result;
    expect(((await cursor.client.callTool({ name: 'AddTask', arguments: { title: 'b' } })) as CallToolResult).isError).toBeFalsy();
    expect(mutationsSent()).toBe(2);
    expect(await core.bridge['clients:setPolicy'](cursor.clientId, 'deny')).toEqual({ ok: true, value: undefined });
    const refused = (await cursor.client.callTool({ name: 'AddTask', arguments: { title: 'c' } })) as CallToolResult;
    expect([refused.isError, textOf(refused)]).toEqual([true, expect.stringContaining('approval policy: deny')]);
    await core.bridge['clients:setPolicy'](cursor.clientId, 'allow');
    expect(((await cursor.client.callTool({ name: 'AddTask', arguments: { title: 'd' } })) as CallToolResult).isError).toBeFalsy();
    expect(mutationsSent()).toBe(3);
    await core.bridge['clients:setPolicy'](cursor.clientId, 'ask');
  });
});

describe('Try it from the window', () => {
  it('K1: runs through the same gateway as a client: a query answers at once, a mutation waits for approval and is recorded', async () => {
    const query = await core.bridge['tools:try']('Hello', {});
    expect(query).toMatchObject({ ok: true, value: { isError: false, text: expect.stringContaining('Hello, world!') } });
    const tried = core.bridge['tools:try']('AddTask', { title: 'from Try it' });
    while (core.approvals.gate.pending().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const [pending] = core.approvals.gate.pending();
    expect(pending).toMatchObject({ clientId: 'app', tool: 'AddTask', arguments: { title: 'from Try it' } });
    expect(mutationsSent()).toBe(0);
    await core.bridge['approvals:decide'](pending!.id, 'allow-once');
    expect(await tried).toMatchObject({ ok: true, value: { isError: false } });
    expect(mutationsSent()).toBe(1);
    expect(await core.bridge['activity:list']({ clientId: 'app', tool: 'AddTask' })).toMatchObject({ ok: true, value: [expect.objectContaining({ outcome: 'ok' })] });
  });

  it('disabled tools are gone for every client and for Try it, and come back when enabled', async () => {
    expect(await core.bridge['tools:setEnabled']('Hello', false)).toEqual({ ok: true, value: undefined });
    expect((await cursor.client.listTools()).tools.map((tool) => tool.name)).toEqual(['AddTask']);
    expect(((await cursor.client.callTool({ name: 'Hello', arguments: {} })) as CallToolResult).isError).toBe(true);
    expect(await core.bridge['tools:list']()).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ name: 'Hello', enabled: false, inputSchema: expect.objectContaining({ type: 'object' }) })]) });
    await core.bridge['tools:setEnabled']('Hello', true);
    expect((await cursor.client.listTools()).tools.map((tool) => tool.name)).toEqual(['Hello', 'AddTask']);
  });
});

describe('K2: the approval channel', () => {
  it('K2: an MCP client cannot approve its own call: no approval method or tool on /mcp, and no elicitation is ever sent', async () => {
    const { pending, result } = await callAndWait(cursor.client, 'AddTask', { title: 'self-approve' });
    const { tools } = await cursor.client.listTools();
    expect(tools.map((tool) => tool.name).filter((name) => /approv|decide/i.test(name))).toEqual([]);
    await expect(cursor.client.request({ method: 'approvals/decide', params: { id: pending.id, decision: 'allow-once' } } as never, (await import('zod')).z.object({}).loose())).rejects.toThrow(/Method not found/);
    const viaTool = (await cursor.client.callTool({ name: 'approvals:decide', arguments: { id: pending.id, decision: 'allow-once' } })) as CallToolResult;
    expect(viaTool.isError).toBe(true);
    expect(core.approvals.gate.pending().map((call) => call.id)).toContain(pending.id);
    expect(mutationsSent()).toBe(0);
    await core.bridge['approvals:decide'](pending.id, 'deny');
    expect((await result).isError).toBe(true);
    expect(elicitations).toEqual([]);
  });

  it('K2: a decision for an unknown or already decided call is refused', async () => {
    expect(await core.bridge['approvals:decide']('no-such-id', 'allow-once')).toMatchObject({ ok: false, error: { code: 'APPROVAL_NOT_FOUND' } });
    expect(await core.bridge['approvals:decide']('x', 'yes' as never)).toMatchObject({ ok: false, error: { code: 'UI_REQUEST_REFUSED' } });
  });
});

describe('K6: the headless UI', () => {
  const decide = (headers: Record<string, string>, body: string) => rawRequest(`${ui.origin}/api/approvals:decide`, { headers: { 'content-type': 'application/json', ...headers }, body });
  const token = () => new URL(ui.url).searchParams.get('token')!;

  it('K6: deciding needs the launch token, a loopback Host of this port and no foreign Origin; with them the call goes on', async () => {
    const { pending, result } = await callAndWait(cursor.client, 'AddTask', { title: 'via headless UI' });
    const body = JSON.stringify([pending.id, 'allow-once']);
    const host = new URL(ui.origin).host;
    expect((await decide({ host }, body)).status).toBe(401);
    expect((await decide({ host, authorization: 'Bearer not-the-token' }, body)).status).toBe(401);
    expect((await decide({ host: 'evil.example', authorization: `Bearer ${token()}` }, body)).status).toBe(403);
    expect((await decide({ host, origin: 'http://evil.example', authorization: `Bearer ${token()}` }, body)).status).toBe(403);
    expect((await decide({ host, origin: `http://127.0.0.1:${Number(new URL(ui.origin).port) + 1}`, authorization: `Bearer ${token()}` }, body)).status).toBe(403);
    expect(core.approvals.gate.pending().map((call) => call.id)).toContain(pending.id);
    expect(mutationsSent()).toBe(0);
    const allowed = await decide({ host, origin: ui.origin, authorization: `Bearer ${token()}` }, body);
    expect([allowed.status, allowed.json]).toEqual([200, { ok: true }]);
    expect((await result).isError).toBeFalsy();
    expect(mutationsSent()).toBe(1);
  });
});
