import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApprovalPolicies } from '../../electron/core/approvals/ApprovalPolicies.ts';
import { createAuth } from '../../electron/core/auth/createAuth.ts';
import { loadConfig } from '../../electron/core/config/loadConfig.ts';
import { createLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createSwappableAuth, type SwappableAuth } from '../../electron/core/settings/createSwappableAuth.ts';
import { startLiveConfig, type LiveConfigService } from '../../electron/core/settings/startLiveConfig.ts';
import { ToolRegistry } from '../../electron/core/ToolRegistry.ts';
import type { MainEvent } from '../../electron/ipc/contract.ts';

const logger = createLogger({ level: 'error', write: () => {} });
const schema = 'type Query { task(id: ID!): String, tasks: [String] }\ntype Mutation { addTask(title: String!): String }\n';
const config = (port: number, ops = './ops', extra = '') => `# Tasks for the team
server:
  port: ${port}   # fixed so client setups keep working
apis:
  - name: tasks   # our own API
    endpoint: http://127.0.0.1:4000/graphql
    schema: { file: ./schema.graphql }
    operations: [${ops}]
    mutations: explicit
    introspection: { introspect: false, search: false, validate: false }
${extra}`;

let dir: string;
let file: string;
let service: LiveConfigService;
let registry: ToolRegistry;
let policies: ApprovalPolicies;
let swappable: SwappableAuth;
const events: MainEvent[] = [];

async function start(text: string): Promise<void> {
  await writeFile(file, text);
  const { config: loaded, warnings } = await loadConfig(file, { env: {} });
  const authOptions = { secrets: memorySecretStore(), openExternal: async () => {}, logger };
  swappable = createSwappableAuth(createAuth({ ...authOptions, config: loaded }));
  registry = await ToolRegistry.create({ config: loaded, authorizer: swappable.auth.authorizer, logger });
  policies = await ApprovalPolicies.load(path.join(dir, 'data', 'policies.json'), loaded.approvals);
  service = startLiveConfig({
    config: loaded, mode: 'config', startupProblems: warnings, env: {}, registry, auth: swappable, authOptions, policies,
    listeningPort: 47320, toolProblems: () => registry.problems(), logger, watch: true,
  });
  service.bridgePart.subscribe!((event) => events.push(event));
}

/** Waits for the watcher to pick up an edit (no timed assertion: it polls until the condition holds). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'live-config-'));
  file = path.join(dir, 'config.yaml');
  await writeFile(path.join(dir, 'schema.graphql'), schema);
  await mkdir(path.join(dir, 'ops'));
  await mkdir(path.join(dir, 'more'));
  await writeFile(path.join(dir, 'ops', 'task.graphql'), 'query Task($id: ID!) { task(id: $id) }\n');
  await writeFile(path.join(dir, 'more', 'add.graphql'), 'mutation AddTask($title: String!) { addTask(title: $title) }\n');
  events.length = 0;
});
afterEach(async () => {
  service.live.close();
  registry.close();
  await rm(dir, { recursive: true, force: true });
});

describe('config file watching', () => {
  it('applies an edit made in an editor (write to a temp file, rename over) without a restart', async () => {
    await start(config(47320));
    expect(registry.listTools().map((tool) => tool.name)).toEqual(['Task']);
    await writeFile(`${file}.swp`, config(47320, './ops, ./more', 'approvals: { default: deny }\n'));
    await rename(`${file}.swp`, file);
    await until(() => registry.listTools().length === 2);
    expect(registry.listTools().map((tool) => tool.name).sort()).toEqual(['AddTask', 'Task']);
    expect(policies.policyFor('any-client', 'tasks')).toBe('deny');
    await until(() => events.includes('settings:changed'));
  });

  it('keeps the last good config running on a broken edit and shows the problem at its line, until the file is fixed', async () => {
    await start(config(47320));
    await writeFile(file, config(47320).replace('mutations: explicit', 'mutations: sometimes'));
    await until(() => service.problems().length > 0);
    const [problem] = service.problems();
    expect(problem).toMatchObject({ severity: 'error', file, line: 9, key: 'apis[0].mutations' });
    expect(service.problems().at(-1)?.message).toContain('last good config keeps running');
    expect(registry.listTools().map((tool) => tool.name)).toEqual(['Task']);
    expect(events).toContain('problems:changed');
    await writeFile(file, config(47320, './more'));
    await until(() => service.problems().length === 0 && registry.listTools()[0]?.name === 'AddTask');
  });

  it('says a changed port takes effect at the next start', async () => {
    await start(config(47320));
    await service.live.update({ port: 47399 });
    expect(service.problems()).toMatchObject([{ severity: 'warning', message: expect.stringContaining('listens on 47320 until it restarts') }]);
  });
});

describe('settings:update', () => {
  it('writes the change back keeping comments and order, and applies it at once', async () => {
    await start(config(47320));
    const result = await service.bridgePart['settings:update']!({ approvals: { default: 'allow' }, apis: [{ name: 'tasks', operations: ['./ops', './more'] }] });
    expect(result).toMatchObject({ ok: true, value: { approvals: { default: 'allow' }, apis: [{ name: 'tasks', operations: ['./ops', './more'] }] } });
    const text = await readFile(file, 'utf8');
    for (const comment of ['# Tasks for the team', '# fixed so client setups keep working', '# our own API']) expect(text).toContain(comment);
    expect(text.indexOf('server:')).toBeLessThan(text.indexOf('apis:'));
    expect(registry.listTools()).toHaveLength(2);
    expect(policies.policyFor('c', 'tasks')).toBe('allow');
  });

  it('refuses a change the config file would refuse, naming the key, and writes nothing', async () => {
    await start(config(47320));
    const before = await readFile(file, 'utf8');
    const result = await service.bridgePart['settings:update']!({ apis: [{ name: 'tasks', endpoint: 'ftp://example.com/graphql' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', message: expect.stringContaining('apis[0].endpoint') } });
    expect(await readFile(file, 'utf8')).toBe(before);
    const unknown = await service.bridgePart['settings:update']!({ apis: [{ name: 'shop', endpoint: 'https://x' }] });
    expect(unknown).toMatchObject({ ok: false, error: { message: expect.stringContaining('No API named "shop"') } });
  });

  it("keeps the demo's settings read-only", async () => {
    await start(config(47320));
    const demo = startLiveConfig({
      config: { server: { port: 47320 }, apis: [] }, mode: 'demo', startupProblems: [], env: {}, registry, auth: createSwappableAuth(createAuth({ config: { server: { port: 0 }, apis: [] }, secrets: memorySecretStore(), openExternal: async () => {}, logger })),
      authOptions: { secrets: memorySecretStore(), openExternal: async () => {}, logger }, policies, listeningPort: 47320, toolProblems: () => [], logger, watch: false,
    });
    expect(await demo.bridgePart['settings:get']!()).toMatchObject({ ok: true, value: { writable: false } });
    expect(await demo.bridgePart['settings:update']!({ port: 1 })).toMatchObject({ ok: false, error: { code: 'SETTINGS_READ_ONLY' } });
  });
});

const signIn = `signIn:
  issuer: https://login.example.com   # our IdP
  clientId: desktop
  scopes: [openid]
`;

describe('settings:update of sign-in and of the list of APIs', () => {
  it('writes a changed sign-in keeping comments, and swaps the sign-in at once as a file edit does', async () => {
    await start(config(47320, './ops', signIn));
    const before = swappable.current();
    const result = await service.bridgePart['settings:update']!({ signIn: { scopes: ['openid', 'email'], resource: 'https://mcp.example.com' } });
    expect(result).toMatchObject({ ok: true, value: { signIn: { issuer: 'https://login.example.com', clientId: 'desktop', scopes: ['openid', 'email'], resource: 'https://mcp.example.com' } } });
    const text = await readFile(file, 'utf8');
    for (const comment of ['# Tasks for the team', '# our own API', '# our IdP']) expect(text).toContain(comment);
    expect(text).toContain('  scopes: [ openid, email ]\n  resource: https://mcp.example.com\n');
    expect(swappable.current()).not.toBe(before);
    expect(swappable.auth.state()).toMatchObject({ status: 'signed-out' });
  });

  it('refuses an http: issuer at signIn.issuer and leaves the file and the running sign-in as they were', async () => {
    await start(config(47320, './ops', signIn));
    const before = await readFile(file, 'utf8');
    const auth = swappable.current();
    const result = await service.bridgePart['settings:update']!({ signIn: { issuer: 'http://login.example.com' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', message: expect.stringMatching(/must use https:.*\(signIn\.issuer\)$/) } });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(swappable.current()).toBe(auth);
  });

  it('adds an API whose tools appear at once, then removes it and its tools are gone, without a restart', async () => {
    await start(config(47320, './ops', 'approvals: { default: ask }\n'));
    const added = await service.bridgePart['settings:update']!({
      addApis: [{ name: 'more', endpoint: 'http://127.0.0.1:4001/graphql', schema: { file: './schema.graphql' }, operations: ['./more'], mutations: 'explicit', tokenStrategy: 'none' }],
    });
    expect(added).toMatchObject({ ok: true, value: { apis: [{ name: 'tasks' }, { name: 'more', operations: ['./more'], mutations: 'explicit' }] } });
    expect(registry.listTools().map((tool) => tool.name)).toEqual(expect.arrayContaining(['Task', 'AddTask']));
    expect(await readFile(file, 'utf8')).toMatch(/# our own API[\s\S]*- name: more\n[\s\S]*approvals:/);
    await service.bridgePart['settings:update']!({ approvals: { apis: { more: 'deny' } } });
    const removed = await service.bridgePart['settings:update']!({ removeApis: ['more'] });
    expect(removed).toMatchObject({ ok: true, value: { apis: [{ name: 'tasks' }], approvals: { apis: {} } } });
    expect(registry.listTools().map((tool) => tool.name)).toEqual(['Task']);
    expect(await readFile(file, 'utf8')).not.toContain('more');
    expect(events.filter((event) => event === 'settings:changed')).toHaveLength(3);
  });

  it('refuses a new API the config file would refuse (a duplicate name), naming the key, and writes nothing', async () => {
    await start(config(47320));
    const before = await readFile(file, 'utf8');
    const result = await service.bridgePart['settings:update']!({ addApis: [{ name: 'tasks', endpoint: 'http://127.0.0.1:4001/graphql', schema: { introspect: true }, operations: [], mutations: 'none', tokenStrategy: 'none' }] });
    expect(result).toMatchObject({ ok: false, error: { code: 'CONFIG_INVALID', message: expect.stringContaining('duplicate API name "tasks"') } });
    expect(await readFile(file, 'utf8')).toBe(before);
  });
});

describe('the running app follows its config file', () => {
  it('a desktop app started on a broken config serves the tools once the file is fixed, without a restart', async () => {
    const { startCore } = await import('../../electron/core/startCore.ts');
    const broken = config(0).replace('mutations: explicit', 'mutations: sometimes');
    await writeFile(file, broken);
    const core = await startCore({ configPath: file, dataDir: path.join(dir, 'data'), port: 0, watch: true, secrets: memorySecretStore(), openExternal: async () => {}, logger, keepRunningOnBadConfig: true });
    try {
      const listTools = async () => ((await core.bridge['tools:list']()) as { ok: true; value: { name: string }[] }).value.map((tool) => tool.name);
      expect(await listTools()).toEqual([]);
      expect(core.problems()).toEqual(expect.arrayContaining([expect.objectContaining({ file, key: 'apis[0].mutations' })]));
      const seen: string[] = [];
      core.bridge.subscribe((event) => seen.push(event));
      await writeFile(file, config(0));
      while ((await listTools()).length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await listTools()).toEqual(['Task']);
      expect(core.problems()).toEqual([]);
      expect(seen).toEqual(expect.arrayContaining(['tools:changed', 'problems:changed', 'settings:changed']));
    } finally {
      await core.close();
    }
  });
});
