import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSchemaFiles, startTasksApi } from '../../electron/core/demo/demoApis.ts';
import type { GraphqlHttpServer } from '../../electron/core/demo/serveGraphql.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import { waitForState } from '../helpers/authHarness.ts';
import { connectToCore } from '../helpers/connectClient.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';

const repoOps = path.join(import.meta.dirname, '../../operations');
const noopOpen = async () => {};

// Each connection is its own approved client: an access key made through the window's contract, whose mutations
// run without asking (these tests are about the engine; the approval gate has its own tests).
async function connect(core: CoreHandle): Promise<Client> {
  const { client, clientId } = await connectToCore(core, 'engine-test');
  const allowed = await core.bridge['clients:setPolicy'](clientId, 'allow');
  if (!allowed.ok) throw new Error(allowed.error.message);
  return client;
}

describe('engine: SDK client ↔ MCP server ↔ GraphQL API', () => {
  let core: CoreHandle;
  let client: Client;
  const emptyHome = mkdtempSync(path.join(os.tmpdir(), 'gmd-home-'));

  beforeAll(async () => {
    // No config file at the default location: the built-in demo starts.
    core = await startCore({ openExternal: noopOpen, logger: silentLogger, env: { XDG_CONFIG_HOME: emptyHome, HOME: emptyHome }, port: 0, watch: false, secrets: memorySecretStore() });
    // The demo's tasks API accepts only tokens minted for it, so sign in once first (issue 3).
    await loginOverHttp((await core.auth.signIn()).authorizationUrl, 'alice', { follow: true });
    await waitForState(core.auth, 'signed-in');
    client = await connect(core);
  });
  afterAll(async () => { await client?.close(); await core?.close(); rmSync(emptyHome, { recursive: true, force: true }); });

  it('runs the built-in demo on 127.0.0.1 when there is no config file', async () => {
    expect(core.mode).toBe('demo');
    expect(new URL(core.endpoint).hostname).toBe('127.0.0.1');
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['ListProjects', 'SearchTasks', 'FindUser', 'CreateTask', 'UpdateTaskStatus', 'directory_ListPeople', 'introspect', 'directory_introspect']));
    expect(names).not.toContain('execute');
    expect(core.problems().filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('calls a query tool and returns structured data and text', async () => {
    const result = await client.callTool({ name: 'SearchTasks', arguments: { where: { filter: { status: ['TODO'] } }, first: 2 } });
    expect(result.isError).toBeFalsy();
    const data = (result.structuredContent as { data: { tasks: { id: string }[] } }).data;
    expect(data.tasks.map((task) => task.id)).toEqual(['t3', 't6']);
    expect((result.content as { type: string; text: string }[])[0]?.text).toContain('t3');
  });

  it('runs a mutation tool in explicit mode and marks it destructive', async () => {
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'CreateTask')?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
    const result = await client.callTool({ name: 'CreateTask', arguments: { input: { projectId: 'p2', title: 'Archive dashboards' } } });
    expect((result.structuredContent as any).data.createTask).toMatchObject({ title: 'Archive dashboards', priority: 'MEDIUM' });
  });

  it('refuses bad arguments before any upstream call, naming the path and rule', async () => {
    const result = await client.callTool({ name: 'SearchTasks', arguments: { first: 'ten', where: { filter: { priority: 'SOMEDAY' } } } });
    expect(result.isError).toBe(true);
    const text = (result.content as { text: string }[])[0]!.text;
    expect(text).toMatch(/first/);
    expect(text).toMatch(/priority/);
  });

  it('returns GraphQL errors as an isError result with partial data kept', async () => {
    const result = await client.callTool({ name: 'CreateTask', arguments: { input: { projectId: 'nope', title: 'x' } } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toContain('No project with id "nope"');
  });

  it('lists connected clients by name for the window, and drops one when its session ends', async () => {
    const listed = await core.bridge['clients:list']();
    expect(listed.ok && listed.value.flatMap((c) => c.sessions.map((s) => [s.clientName, s.clientVersion, s.id.length]))).toEqual([['engine-test', '1.0.0', 8]]);
    const events: unknown[] = [];
    const unsubscribe = core.bridge.subscribe((event, payload) => { if (event === 'clients:changed') events.push(payload); });
    const second = await connect(core);
    const names = (list: unknown) => (list as { sessions: { clientName?: string }[] }[] | undefined)?.flatMap((client) => client.sessions.map((session) => session.clientName));
    await expect.poll(() => names(events.at(-1))).toEqual(['engine-test', 'engine-test']);
    await (second.transport as StreamableHTTPClientTransport).terminateSession();
    await expect.poll(() => names(events.at(-1))).toEqual(['engine-test']);
    unsubscribe();
  });

  it('records each tool call in activity:list and activity:appended, and counts it in clients:list', async () => {
    const appended: { tool: string; outcome: string }[] = [];
    const unsubscribe = core.bridge.subscribe((event, payload) => { if (event === 'activity:appended') appended.push(payload as { tool: string; outcome: string }); });
    await client.callTool({ name: 'ListProjects', arguments: {} });
    await client.callTool({ name: 'SearchTasks', arguments: { first: 'ten' } });
    unsubscribe();
    expect(appended.map(({ tool, outcome }) => [tool, outcome])).toEqual([['ListProjects', 'ok'], ['SearchTasks', 'error']]);
    const listed = await core.bridge['activity:list']({ tool: 'ListProjects', limit: 1 });
    expect(listed.ok && listed.value[0]).toMatchObject({ tool: 'ListProjects', api: 'tasks', outcome: 'ok', clientName: expect.stringMatching(/^engine-test-/) });
    expect(JSON.stringify(listed)).not.toContain('"arguments"');
    const clients = await core.bridge['clients:list']();
    const mine = clients.ok ? clients.value.find((view) => view.sessions.some((session) => session.clientName === 'engine-test')) : undefined;
    expect(mine?.calls).toBeGreaterThanOrEqual(2);
    expect(mine?.errors).toBeGreaterThanOrEqual(1);
    expect(mine?.lastActivityAt).toMatch(/^\d{4}-/);
  });

  it('answers introspection tools from the schema', async () => {
    const result = await client.callTool({ name: 'introspect', arguments: { type: 'Priority' } });
    expect(result.isError).toBeFalsy();
    expect((result.content as { text: string }[])[0]!.text).toContain('URGENT');
  });
});

describe('engine: config file, duplicates and hot reload', () => {
  let api: GraphqlHttpServer;
  let dir: string;
  let core: CoreHandle;
  let client: Client;

  beforeAll(async () => {
    api = await startTasksApi();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gmd-config-'));
    cpSync(path.join(repoOps, 'tasks'), path.join(dir, 'ops'), { recursive: true });
    cpSync(path.join(repoOps, 'tasks'), path.join(dir, 'ops2'), { recursive: true });
    cpSync(demoSchemaFiles.tasks, path.join(dir, 'tasks.graphql'));
    writeFileSync(path.join(dir, 'config.yaml'), `server: { port: 0 }
apis:
  - name: first
    endpoint: ${api.url}
    schema: { file: ./tasks.graphql }
    operations: [./ops]
    mutations: all
    introspection: { execute: true }
  - name: second
    endpoint: ${api.url}
    schema: { file: ./tasks.graphql }
    operations: [./ops2]
    introspection: { introspect: false, search: false, validate: false }
`);
    core = await startCore({ configPath: path.join(dir, 'config.yaml'), dataDir: path.join(dir, 'data'), openExternal: noopOpen, logger: silentLogger, port: 0, watch: true, secrets: memorySecretStore() });
    client = await connect(core);
    // The hot-reload tests wait for tools/list_changed, which travels on the GET stream the SDK opens after initialize.
    while (!core.mcp.liveSessions().some((session) => session.listening)) await new Promise((resolve) => setTimeout(resolve, 10));
  });
  afterAll(async () => { await client?.close(); await core?.close(); await api?.close(); rmSync(dir, { recursive: true, force: true }); });

  it('refuses duplicate tool names across APIs, naming both sources and toolPrefix', () => {
    const duplicate = core.problems().find((problem) => problem.message.includes('"ListProjects"'));
    expect(duplicate?.message).toContain(path.join(dir, 'ops', 'ListProjects.graphql'));
    expect(duplicate?.message).toContain('toolPrefix');
    expect(duplicate?.api).toBe('second');
  });

  it('lets execute run mutations only in mode all', async () => {
    const result = await client.callTool({ name: 'execute', arguments: { query: 'mutation { deleteTask(id: "t5") }' } });
    expect((result.structuredContent as any).data.deleteTask).toBe(true);
  });

  it('reloads the schema file: a changed field description reaches the generated tool description', async () => {
    const schemaFile = path.join(dir, 'tasks.graphql');
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    writeFileSync(schemaFile, readFileSync(schemaFile, 'utf8').replace('"One project by id, or null when there is none."', '"One project, looked up by its id."'));
    await changed;
    const { tools } = await client.listTools();
    expect(tools.find((tool) => tool.name === 'GetProject')?.description).toContain('One project, looked up by its id.');
  });

  it('reloads an edited operation, notifies clients, and keeps the last good tool on a broken edit', async () => {
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    writeFileSync(path.join(dir, 'ops', 'Extra.graphql'), 'query CountProjects { projects { id } }\n');
    await changed;
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('CountProjects');

    // The window and the CLI hear about the problem although the tool list stays the same.
    const announced: { file?: string; severity: string }[][] = [];
    const unsubscribe = core.bridge.subscribe((event, payload) => { if (event === 'problems:changed') announced.push(payload as { file?: string; severity: string }[]); });
    writeFileSync(path.join(dir, 'ops', 'Extra.graphql'), 'query CountProjects { projects { id \n');
    await expect.poll(() => core.problems().some((p) => p.file?.endsWith('Extra.graphql') && p.severity === 'error'), { timeout: 5000 }).toBe(true);
    await expect.poll(() => announced.at(-1)?.some((p) => p.file?.endsWith('Extra.graphql') && p.severity === 'error')).toBe(true);
    unsubscribe();
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('CountProjects');
    expect(core.problems().some((p) => p.message.includes('last good version of tool "CountProjects"'))).toBe(true);
  });
});

describe('engine: a config it cannot load', () => {
  it('keeps the desktop app running with no tools and every problem listed, when asked to', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gmd-bad-'));
    const file = path.join(dir, 'config.yaml');
    writeFileSync(file, 'apis:\n  - name: Bad\n    endpoint: ftp://x\n');
    const core = await startCore({ configPath: file, dataDir: path.join(dir, 'data'), openExternal: noopOpen, logger: silentLogger, port: 0, watch: false, secrets: memorySecretStore(), keepRunningOnBadConfig: true });
    try {
      const client = await connect(core);
      expect((await client.listTools()).tools).toEqual([]);
      await client.close();
      const problems = await core.bridge['problems:list']();
      const listed = problems.ok ? problems.value : [];
      expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ file, line: 2, key: 'apis[0].name' }), expect.objectContaining({ file, line: 3, key: 'apis[0].endpoint' })]));
      expect(listed.at(-1)?.message).toContain('saving the fixed file applies it');
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('engine: state a crash left behind', () => {
  it('sweeps the temp copies a kill -9 left between write and rename, at start, and keeps the state files', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gmd-crash-'));
    const dataDir = path.join(dir, 'data');
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const file of [path.join(dataDir, '.clients.json.0123456789ab.tmp'), path.join(dataDir, 'cache', '.tasks.json.abcdef012345.tmp')]) {
      mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      writeFileSync(file, '{"half":');
      utimesSync(file, hourAgo, hourAgo);
    }
    const core = await startCore({ dataDir, openExternal: noopOpen, logger: silentLogger, env: { XDG_CONFIG_HOME: dir, HOME: dir }, port: 0, watch: false, secrets: memorySecretStore() });
    try {
      // Only the planted ones: the tool cache may be writing its own temp files right now.
      expect(readdirSync(dataDir)).not.toContain('.clients.json.0123456789ab.tmp');
      expect(readdirSync(path.join(dataDir, 'cache'))).not.toContain('.tasks.json.abcdef012345.tmp');
    } finally {
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
