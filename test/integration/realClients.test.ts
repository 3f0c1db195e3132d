import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRoot } from '../../electron/core/appRoot.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import { applyClientSetup, listClientSetups } from '../../electron/core/setup/clientSetup.ts';
import { defaultDataDir } from '../../electron/core/store/defaultDataDir.ts';
import type { CallDecision, ClientView, PendingCallView } from '../../electron/ipc/contract.ts';
import { waitForState } from '../helpers/authHarness.ts';
import { decideFirstPending, node24, waitFor } from '../helpers/bridge/bridgeHarness.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import { startAuthorityServer } from '../helpers/clients/authorityHarness.ts';
import { approveInApp, followDecidedRequest, type DecisionChannels } from '../helpers/realClients/approveInApp.ts';
import { startClaudeControl } from '../helpers/realClients/claudeControl.ts';
import { startCodexAppServer, type CodexAppServer } from '../helpers/realClients/codexAppServer.ts';
import { findRealClients } from '../helpers/realClients/findRealClients.ts';
import { runClient, runToEnd, type RunningClient } from '../helpers/realClients/runClient.ts';

// The real Codex CLI and Claude Code, as installed from npm, against the real core: each adds the app's /mcp, logs in
// through the app's own authorization server (the user approves in the window's contract), lists and calls tools
// through its own MCP client (no model, no vendor login), survives a restart of the app and is cut off by revocation.
const clients = findRealClients();
for (const reason of clients.missing) console.log(`realClients: skipped: ${reason}`);

const noopOpen = async () => {};
const authorizeUrl = /http:\/\/127\.0\.0\.1:\d+\/authorize\?[^\s\x1b]+/;

async function startDemoCore(dataDir: string, home: string, port = 0): Promise<CoreHandle> {
  const core = await startCore({ openExternal: noopOpen, logger: silentLogger, env: { XDG_CONFIG_HOME: home, HOME: home }, port, watch: false, secrets: memorySecretStore(), dataDir });
  // The demo's tasks API takes only tokens minted for it: sign in once so tool calls reach a real GraphQL API.
  await loginOverHttp((await core.auth.signIn()).authorizationUrl, 'alice', { follow: true });
  await waitForState(core.auth, 'signed-in');
  return core;
}

/** Codex's own MCP client is connected to `name` (`status`, asked for now unless given) and runs a tool through it. */
async function expectCodexToCallTools(server: CodexAppServer, name: string, status = server.serverStatus(name)): Promise<void> {
  expect(await status).toMatchObject({ runtimeStatus: 'connected', toolsError: null });
  expect((await server.callTool(name, 'directory_validate', { operation: '{ __typename }' })).result?.content?.[0]?.text).toBe('valid: query');
}

/** A new Codex session (its app server, started as for a conversation) connects to `graphql` and runs a tool. */
async function expectNewCodexSessionToCallTools(codex: string, env: Record<string, string>): Promise<void> {
  const server = await startCodexAppServer(codex, env);
  try {
    await expectCodexToCallTools(server, 'graphql');
  } finally {
    server.close();
  }
}

type ClientEnv = Record<string, string> & { HOME: string; CODEX_HOME: string };

/** The environment every real client runs in here: a private HOME (and CODEX_HOME), no updater, no extra traffic. */
function clientEnv(home: string): ClientEnv {
  return { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: path.join(home, '.codex'), LANG: 'C.UTF-8', TERM: 'xterm', DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
}

// A client starts the bridge (`cli.ts --stdio`) with XDG_CONFIG_HOME set to this; it finds the app's socket from there.
const configHomeOf = (home: string) => path.join(home, '.config');
const bridgeDataDirOf = (home: string) => defaultDataDir({ env: { XDG_CONFIG_HOME: configHomeOf(home) }, home });

interface DemoSection {
  home: string;
  env: ClientEnv;
  core: CoreHandle;
}

/** For one describe: a signed-in demo core of its own in a temp folder (data in `dataDirOf(home)`), removed after. */
function useDemoCore(name: string, dataDirOf = (home: string) => path.join(path.dirname(home), 'data')): DemoSection {
  const root = mkdtempSync(path.join(os.tmpdir(), `gmd-${name}-`));
  const home = path.join(root, 'home');
  const section = { home, env: clientEnv(home) } as DemoSection;
  beforeAll(async () => {
    mkdirSync(section.env.CODEX_HOME, { recursive: true });
    section.core = await startDemoCore(dataDirOf(home), home);
  }, slow.timeout);
  afterAll(async () => {
    await section.core?.close();
    rmSync(root, { recursive: true, force: true });
  });
  return section;
}

async function listClients(core: CoreHandle): Promise<ClientView[]> {
  const listed = await core.bridge['clients:list']();
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value;
}

/** The `n`th (from 1) match of `pattern` in what the client printed, once there is one. */
async function nthMatch(running: RunningClient, pattern: RegExp, n: number): Promise<string> {
  await running.waitFor(new RegExp(`(?:${pattern.source}[\\s\\S]*?){${n}}`));
  return running.output().match(new RegExp(pattern.source, 'g'))![n - 1]!;
}

/** Tool and outcome of every call in the app's activity list. */
async function toolOutcomes(core: CoreHandle): Promise<Array<[string, string]>> {
  const activity = await core.bridge['activity:list']({});
  if (!activity.ok) throw new Error(activity.error.message);
  return activity.value.map((entry) => [entry.tool, entry.outcome]);
}

async function revokeAll(core: CoreHandle): Promise<void> {
  for (const client of await listClients(core)) await core.bridge['clients:revoke'](client.clientId);
}

/** Who the metadata-document client is: unverified on a machine that cannot fetch its https client_id (offline, CI). */
function expectIdentity(request: { name: string; identity: string; domain?: string }, clientId: string): void {
  if (request.identity === 'verified') expect(request.domain).toBe(new URL(clientId).host);
  else expect(request).toMatchObject({ identity: 'self-asserted', name: `unverified: could not fetch ${clientId}` });
}

// Each real client takes a few seconds per command, more on a loaded machine.
const slow = { timeout: 180_000 };

describe.skipIf(!clients.codex)('Codex CLI (real, from npm)', slow, () => {
  const codex = clients.codex!;
  const root = mkdtempSync(path.join(os.tmpdir(), 'gmd-codex-'));
  const home = path.join(root, 'home');
  const dataDir = path.join(root, 'data');
  // A private HOME and no D-Bus: Codex keeps its MCP tokens in its own file there, never in the machine's keychain.
  const env = { PATH: process.env.PATH ?? '', HOME: home, CODEX_HOME: path.join(home, '.codex'), LANG: 'C.UTF-8' };
  let core: CoreHandle;

  beforeAll(async () => {
    mkdirSync(env.CODEX_HOME, { recursive: true });
    writeFileSync(path.join(env.CODEX_HOME, 'config.toml'), 'mcp_oauth_credentials_store = "file"\n');
    core = await startDemoCore(dataDir, home);
  }, slow.timeout);
  afterAll(async () => {
    await core?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('`codex mcp add` finds the OAuth server itself, registers by its metadata document, and is approved in the app', async () => {
    const adding = runClient(codex, ['mcp', 'add', 'graphql', '--url', core.endpoint], env);
    try {
      const url = new URL((await adding.waitFor(authorizeUrl))[0]);
      const clientId = url.searchParams.get('client_id')!;
      expect(clientId).toBe('https://chatgpt.com/oauth/codex/client.json');
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ response_type: 'code', code_challenge_method: 'S256', resource: core.endpoint, scope: 'tools:read tools:write offline_access' });
      expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const approval = await approveInApp(core.bridge, url.href, 'allow-write');
      expect(approval.callbackStatus).toBe(200);
      expectIdentity(approval.request, clientId);
      expect(approval.request.scopes).toEqual(['tools:read', 'tools:write']);
      expect(await adding.exited).toBe(0);
    } finally {
      adding.stop();
    }
    expect(await runToEnd(codex, ['mcp', 'list'], env)).toMatch(/graphql\s+http:\/\/127\.0\.0\.1:\d+\/mcp\s+-\s+enabled\s+OAuth/);
    expect(await listClients(core)).toMatchObject([{ kind: 'oauth', access: 'write', identity: expect.any(String) }]);
  });

  it('Codex\'s own MCP client lists the tools and calls one against the demo API (app-server, no model)', async () => {
    const server = await startCodexAppServer(codex, env);
    try {
      const status = await server.serverStatus('graphql');
      expect(status).toMatchObject({ runtimeStatus: 'connected', toolsError: null });
      expect(Object.keys(status!.tools)).toEqual(expect.arrayContaining(['ListProjects', 'CreateTask', 'directory_validate']));
      const called = await server.callTool('graphql', 'ListProjects', {});
      expect(called.result?.isError).toBeFalsy();
      expect(called.result?.content?.[0]?.text).toContain('p1');
    } finally {
      server.close();
    }
    expect(await toolOutcomes(core)).toContainEqual(['ListProjects', 'ok']);
  });

  it('after the app restarts (access tokens are in memory only) Codex refreshes and calls tools again', async () => {
    const port = Number(new URL(core.endpoint).port);
    await core.close();
    core = await startDemoCore(dataDir, home, port);
    await expectNewCodexSessionToCallTools(codex, env);
  });

  it('`codex mcp login --no-browser` with dynamic registration: approved read-only, it lists tools but cannot run a mutation', async () => {
    await revokeAll(core);
    const login = runClient(codex, ['mcp', 'login', 'graphql', '--no-browser', '--oauth-client-registration', 'dcr'], env);
    try {
      const url = new URL((await login.waitFor(authorizeUrl))[0]);
      expect(url.searchParams.get('client_id')).not.toMatch(/^https:/);
      const approval = await approveInApp(core.bridge, url.href, 'allow-read');
      expect(approval.request).toMatchObject({ name: 'Codex', identity: 'self-asserted', scopes: ['tools:read', 'tools:write'] });
      expect(await login.exited).toBe(0);
      expect(login.output()).toContain("Successfully logged in to MCP server 'graphql'");
    } finally {
      login.stop();
    }
    expect(await listClients(core)).toMatchObject([{ name: 'Codex', kind: 'oauth', access: 'read' }]);
    const server = await startCodexAppServer(codex, env);
    try {
      expect((await server.callTool('graphql', 'ListProjects', {})).result?.isError).toBeFalsy();
      // The 403 insufficient_scope reaches Codex as an error of that call ("Insufficient scope"); its session goes on.
      const mutation = await server.callTool('graphql', 'CreateTask', { input: { projectId: 'p1', title: 'from Codex' } });
      expect(mutation.error !== undefined || mutation.result?.isError === true, JSON.stringify(mutation)).toBe(true);
      expect((await server.callTool('graphql', 'directory_validate', { operation: '{ __typename }' })).result?.content?.[0]?.text).toBe('valid: query');
    } finally {
      server.close();
    }
    expect(await toolOutcomes(core)).toContainEqual(['CreateTask', 'denied']);
  });

  it('revoked in the app, Codex is cut off: its MCP client can no longer connect', async () => {
    await revokeAll(core);
    const server = await startCodexAppServer(codex, env);
    try {
      const status = await server.serverStatus('graphql');
      expect(status?.runtimeStatus).not.toBe('connected');
      expect(Object.keys(status?.tools ?? {})).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('denied in the app, `codex mcp login` fails; its immediate retry ("retrying without scopes") is denied without asking the user twice; no client is added', async () => {
    await revokeAll(core);
    const login = runClient(codex, ['mcp', 'login', 'graphql', '--no-browser'], env);
    try {
      const denied = await approveInApp(core.bridge, await nthMatch(login, authorizeUrl, 1), 'deny');
      expect(denied.redirectedTo.searchParams.get('error')).toBe('access_denied');
      const retry = await followDecidedRequest(await nthMatch(login, authorizeUrl, 2));
      expect(retry.redirectedTo.searchParams.get('error')).toBe('access_denied');
      expect(await core.bridge['clients:pending']()).toEqual({ ok: true, value: [] });
      expect(await login.exited).not.toBe(0);
      expect(login.output()).toContain('access_denied');
    } finally {
      login.stop();
    }
    expect(await listClients(core)).toEqual([]);
  });
});

// Codex has the 2026-07-28 revision behind a feature flag: it probes with server/discover first and falls back to
// initialize only on answers it knows from 2025 servers (docs/protocol-2026-07-28.md). An access key over HTTP and
// the stdio bridge, so no OAuth login is needed.
describe.skipIf(!clients.codex)('Codex CLI with its 2026-07-28 support on (real, from npm)', slow, () => {
  const codex = clients.codex!;
  const demo = useDemoCore('codex-2026', bridgeDataDirOf);
  const { env } = demo;
  const configHome = configHomeOf(demo.home);

  beforeAll(async () => {
    const created = await demo.core.authority.bridgePart['keys:create']!('codex-2026', true);
    if (!created.ok) throw new Error(created.error.message);
    env.GMD_ACCESS_KEY = created.value.key;
    writeFileSync(path.join(env.CODEX_HOME, 'config.toml'), [
      '[features]', 'mcp_2026_07_28 = true', '',
      '[mcp_servers.graphql]', `url = ${JSON.stringify(demo.core.endpoint)}`, 'bearer_token_env_var = "GMD_ACCESS_KEY"', '',
      '[mcp_servers.graphql_stdio]', `command = ${JSON.stringify(node24)}`, `args = [${JSON.stringify(path.join(appRoot, 'electron', 'core', 'cli.ts'))}, "--stdio"]`,
      `env = { XDG_CONFIG_HOME = ${JSON.stringify(configHome)} }`, '',
    ].join('\n'));
  }, slow.timeout);

  it('over HTTP, its server/discover probe gets the 2025 answer it knows, and it falls back to initialize and calls a tool', async () => {
    await expectNewCodexSessionToCallTools(codex, env);
  });

  // Codex 0.171 sends initialize at once on stdio (no probe); the in-place probe is dualEraClients.test.ts's case.
  it('over the stdio bridge, approved in the app, it calls a tool', async () => {
    const server = await startCodexAppServer(codex, env);
    try {
      const status = server.serverStatus('graphql_stdio');
      expect(await decideFirstPending(demo.core, 'allow-read')).toMatchObject({ name: 'codex-mcp-client', kind: 'bridge' });
      await expectCodexToCallTools(server, 'graphql_stdio', status);
    } finally {
      server.close();
    }
  });
});

// Promise 3 with a real client: Codex's mutation waits for the user's decision in the app (K1), and a Codex that
// stops waiting (its tool_timeout_sec) takes the request back with it, so a late "allow" can never run it unseen.
describe.skipIf(!clients.codex)('Codex CLI asks you before it changes data (real, from npm)', slow, () => {
  const codex = clients.codex!;
  const demo = useDemoCore('codex-ask');
  const { env } = demo;

  beforeAll(async () => {
    const created = await demo.core.authority.bridgePart['keys:create']!('codex-ask', false);
    if (!created.ok) throw new Error(created.error.message);
    env.GMD_ACCESS_KEY = created.value.key;
    const server = (name: string, extra = '') => [`[mcp_servers.${name}]`, `url = ${JSON.stringify(demo.core.endpoint)}`, 'bearer_token_env_var = "GMD_ACCESS_KEY"', extra, ''];
    writeFileSync(path.join(env.CODEX_HOME, 'config.toml'), [...server('graphql'), ...server('impatient', 'tool_timeout_sec = 3')].join('\n'));
  }, slow.timeout);

  const pendingCalls = async () => {
    const pending = await demo.core.bridge['approvals:pending']();
    if (!pending.ok) throw new Error(pending.error.message);
    return pending.value;
  };

  it('a mutation waits for the decision in the app, with its arguments shown; allowed once, it runs and Codex gets the task', async () => {
    const server = await startCodexAppServer(codex, env);
    try {
      const call = server.callTool('graphql', 'CreateTask', { input: { projectId: 'p1', title: 'Asked first' } });
      await waitFor(async () => (await pendingCalls()).length === 1);
      const [waiting] = await pendingCalls();
      expect(waiting).toMatchObject({ clientName: 'codex-ask', tool: 'CreateTask', api: 'tasks', arguments: { input: { projectId: 'p1', title: 'Asked first' } } });
      expect(await demo.core.bridge['approvals:decide'](waiting!.id, 'allow-once')).toEqual({ ok: true, value: undefined });
      const { result } = await call;
      expect(result?.isError).toBeFalsy();
      expect(result?.content?.[0]?.text).toContain('Asked first');
    } finally {
      server.close();
    }
  });

  it('when Codex stops waiting, its call is withdrawn from the app and never runs', async () => {
    const server = await startCodexAppServer(codex, env);
    try {
      const call = server.callTool('impatient', 'CreateTask', { input: { projectId: 'p1', title: 'Never sent' } });
      await waitFor(async () => (await pendingCalls()).length === 1);
      expect((await call).error?.message).toMatch(/timed out/);
      await waitFor(async () => (await pendingCalls()).length === 0);
    } finally {
      server.close();
    }
    const activity = await demo.core.bridge['activity:list']({ tool: 'CreateTask', outcome: 'denied' });
    expect(activity.ok && activity.value).toMatchObject([{ error: 'The client cancelled the call before it was approved.' }]);
  });
});

describe.skipIf(!clients.claude)('Claude Code asks you before it changes data (real, from npm)', slow, () => {
  const demo = useDemoCore('claude-ask');
  const { env } = demo;

  beforeAll(async () => {
    const created = await demo.core.authority.bridgePart['keys:create']!('claude-ask', false);
    if (!created.ok) throw new Error(created.error.message);
    await runToEnd(clients.claude!, ['mcp', 'add', '--transport', 'http', '--scope', 'user', 'graphql', demo.core.endpoint, '--header', `Authorization: Bearer ${created.value.key}`], env);
  }, slow.timeout);

  const decideNext = async (decision: CallDecision) => {
    let pending: PendingCallView[] = [];
    await waitFor(async () => {
      const answer = await demo.core.bridge['approvals:pending']();
      pending = answer.ok ? answer.value : [];
      return pending.length === 1;
    });
    expect(await demo.core.bridge['approvals:decide'](pending[0]!.id, decision)).toEqual({ ok: true, value: undefined });
    return pending[0]!;
  };

  it('a mutation waits for the decision in the app; allowed once it runs, denied Claude Code is told why', async () => {
    const control = startClaudeControl(clients.claude!, env);
    try {
      const allowed = control.callTool('graphql', 'CreateTask', { input: { projectId: 'p1', title: 'Claude asked first' } });
      expect(await decideNext('allow-once')).toMatchObject({ clientName: 'claude-ask', tool: 'CreateTask', arguments: { input: { title: 'Claude asked first' } } });
      expect(JSON.stringify((await allowed).response?.content)).toContain('Claude asked first');
      const denied = control.callTool('graphql', 'CreateTask', { input: { projectId: 'p1', title: 'Not this one' } });
      await decideNext('deny');
      expect(JSON.stringify(await denied)).toContain('The user denied this call in GraphQL MCP Desktop; nothing was sent to the API.');
    } finally {
      control.close();
    }
  });
});

// K3 with the real readers: what the window's Connect view writes into Claude Code's and Codex's own files is what they
// load (an existing Codex file keeps its comment, settings and other server).
describe.skipIf(!clients.claude || !clients.codex)('The Connect view\'s one-click setup, read by the real clients (real, from npm)', slow, () => {
  const demo = useDemoCore('setup');
  const { env } = demo;

  it('after the one-click write (what setup:apply runs) both list the app\'s endpoint; Claude Code sees it needs authentication', async () => {
    const codexFile = path.join(env.CODEX_HOME, 'config.toml');
    writeFileSync(codexFile, '# mine\nmodel = "o3"\n\n[mcp_servers.other]\ncommand = "echo"\n');
    const environment = { platform: process.platform, home: demo.home, env, listDir: () => [] };
    for (const target of ['claude-code', 'codex'] as const) {
      expect(await applyClientSetup(target, { endpoint: demo.core.endpoint, environment })).toMatchObject({ target, changed: true });
    }
    expect(readFileSync(codexFile, 'utf8')).toMatch(/^# mine\nmodel = "o3"\n[\s\S]*\[mcp_servers\.other\]/);
    const endpoint = demo.core.endpoint.replace(/[.]/g, '\\.');
    expect(await runToEnd(clients.claude!, ['mcp', 'list'], env)).toMatch(new RegExp(`graphql: ${endpoint} \\(HTTP\\) - ! Needs authentication`));
    expect(await runToEnd(clients.codex!, ['mcp', 'list'], env)).toMatch(new RegExp(`graphql\\s+${endpoint}\\s+-\\s+enabled\\s+Not logged in`));
  });

  it('the next step the Connect view shows after the write (a sign-in command) signs both in, approved in the app', async () => {
    const environment = { platform: process.platform, home: demo.home, env, listDir: () => [] };
    const views = await listClientSetups({ endpoint: demo.core.endpoint, environment });
    const commandOf = (target: string) => views.find((view) => view.target === target)?.nextStep?.command ?? '';
    expect(commandOf('claude-code')).toMatch(/^claude /);
    expect(commandOf('codex')).toMatch(/^codex /);
    // Run as shown, with the real binaries and --no-browser (this machine opens no browser); Claude Code wants a terminal.
    const asShown = (command: string, binary: string) => `'${binary}' ${command.split(' ').slice(1).join(' ')} --no-browser`;
    for (const [target, binary, signedIn] of [['codex', clients.codex!, /Successfully logged in/], ['claude-code', clients.claude!, /Authenticated with "graphql"/]] as const) {
      const login = runClient('script', ['-qfec', asShown(commandOf(target), binary), '/dev/null'], env);
      try {
        await approveInApp(demo.core.bridge, (await login.waitFor(authorizeUrl))[0], 'allow-read');
        await login.waitFor(signedIn);
      } finally {
        login.stop();
      }
    }
    const endpoint = demo.core.endpoint.replace(/[.]/g, '\\.');
    expect(await runToEnd(clients.claude!, ['mcp', 'list'], env)).toMatch(new RegExp(`graphql: ${endpoint} \\(HTTP\\) - ✔ Connected`));
    expect(await runToEnd(clients.codex!, ['mcp', 'list'], env)).toMatch(new RegExp(`graphql\\s+${endpoint}\\s+-\\s+enabled\\s+OAuth`));
  });
});

// notifications/tools/list_changed with real clients: Claude Code re-lists at once; Codex 0.171 only with its
// mcp_tool_list_changed feature on (without it, at its next start). The app refuses a tool taken away either way.
describe.skipIf(!clients.claude || !clients.codex)('An allow-list change reaches the real clients (real, from npm)', slow, () => {
  const demo = useDemoCore('list-changed');
  const { env } = demo;
  let clientId = '';

  beforeAll(async () => {
    const created = await demo.core.authority.bridgePart['keys:create']!('lister', true);
    if (!created.ok) throw new Error(created.error.message);
    ({ clientId, key: env.GMD_ACCESS_KEY } = created.value);
    writeFileSync(path.join(env.CODEX_HOME, 'config.toml'), ['[features]', 'mcp_tool_list_changed = true', '', '[mcp_servers.graphql]', `url = ${JSON.stringify(demo.core.endpoint)}`, 'bearer_token_env_var = "GMD_ACCESS_KEY"', ''].join('\n'));
    await runToEnd(clients.claude!, ['mcp', 'add', '--transport', 'http', '--scope', 'user', 'graphql', demo.core.endpoint, '--header', `Authorization: Bearer ${env.GMD_ACCESS_KEY}`], env);
  }, slow.timeout);

  it('both re-list their tools while connected; Claude Code then no longer offers the tool taken away', async () => {
    const claude = startClaudeControl(clients.claude!, env);
    const codex = await startCodexAppServer(clients.codex!, env);
    const toolCounts = async () => [(await claude.serverStatus('graphql'))?.tools?.length, Object.keys((await codex.serverStatus('graphql'))?.tools ?? {}).length];
    try {
      const [before, codexBefore] = await toolCounts();
      expect(before).toBeGreaterThan(2);
      expect(codexBefore).toBe(before);
      expect(await demo.core.bridge['clients:setTools'](clientId, ['ListProjects', 'directory_validate'])).toEqual({ ok: true, value: undefined });
      await waitFor(async () => (await toolCounts()).every((count) => count === 2), 20_000);
      expect((await claude.callTool('graphql', 'ListTasks', {})).error).toContain('ListTasks');
    } finally {
      claude.close();
      codex.close();
    }
  });
});

describe.skipIf(!clients.claude)('Claude Code (real, from npm)', slow, () => {
  const claude = clients.claude!;
  const root = mkdtempSync(path.join(os.tmpdir(), 'gmd-claude-'));
  const home = path.join(root, 'home');
  const dataDir = path.join(root, 'data');
  const env = { PATH: process.env.PATH ?? '', HOME: home, LANG: 'C.UTF-8', TERM: 'xterm', DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
  let core: CoreHandle;

  beforeAll(async () => {
    mkdirSync(home, { recursive: true });
    core = await startDemoCore(dataDir, home);
  }, slow.timeout);
  afterAll(async () => {
    await core?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('`claude mcp add` then `claude mcp list`: the health check sees the 401 and says it needs authentication', async () => {
    await runToEnd(claude, ['mcp', 'add', '--transport', 'http', '--scope', 'user', 'graphql', core.endpoint], env);
    expect(await runToEnd(claude, ['mcp', 'list'], env)).toMatch(/graphql: http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP\) - ! Needs authentication/);
  });

  it('`claude mcp login --no-browser` registers by its metadata document, loopback redirect only, approved in the app', async () => {
    // It refuses to run without a terminal (it would ask for the redirect URL there): `script` gives it one.
    const login = runClient('script', ['-qfec', `'${claude}' mcp login graphql --no-browser`, '/dev/null'], env);
    try {
      const url = new URL((await login.waitFor(authorizeUrl))[0]);
      const clientId = url.searchParams.get('client_id')!;
      expect(clientId).toBe('https://claude.ai/oauth/claude-code-client-metadata');
      expect(Object.fromEntries(url.searchParams)).toMatchObject({ code_challenge_method: 'S256', resource: core.endpoint, scope: 'tools:read tools:write offline_access' });
      expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/localhost:\d+\/callback$/);
      const approval = await approveInApp(core.bridge, url.href, 'allow-read');
      expectIdentity(approval.request, clientId);
      expect(approval.callbackStatus).toBe(200);
      await login.waitFor(/Authenticated with "graphql"/);
    } finally {
      login.stop();
    }
    expect(await listClients(core)).toMatchObject([{ kind: 'oauth', access: 'read' }]);
    expect(await runToEnd(claude, ['mcp', 'list'], env)).toMatch(/graphql: http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP\) - ✔ Connected/);
  });

  it('Claude Code\'s own MCP client lists the tools and calls one (SDK control requests, no model, no API key)', async () => {
    const control = startClaudeControl(claude, env);
    try {
      const status = await control.serverStatus('graphql');
      expect(status?.status).toBe('connected');
      expect(status?.tools?.map((tool) => tool.name)).toEqual(expect.arrayContaining(['ListProjects', 'CreateTask', 'directory_validate']));
      const called = await control.callTool('graphql', 'ListProjects', {});
      expect(called.subtype, JSON.stringify(called)).toBe('success');
      // Claude Code hands the result on as the model would see it: the text content flattened to one string.
      expect(called.response?.content, JSON.stringify(called)).toContain('"id":"p1"');
      const mutation = await control.callTool('graphql', 'CreateTask', { input: { projectId: 'p1', title: 'from Claude' } });
      expect(mutation.subtype === 'error' || mutation.response?.isError === true, JSON.stringify(mutation)).toBe(true);
    } finally {
      control.close();
    }
    expect(await toolOutcomes(core)).toContainEqual(['CreateTask', 'denied']);
  });

  it('after the app restarts (access tokens are in memory only) Claude Code refreshes and is connected again', async () => {
    const port = Number(new URL(core.endpoint).port);
    await core.close();
    core = await startDemoCore(dataDir, home, port);
    expect(await runToEnd(claude, ['mcp', 'list'], env)).toMatch(/graphql: http:\/\/127\.0\.0\.1:\d+\/mcp \(HTTP\) - ✔ Connected/);
  });

  it('revoked in the app, Claude Code needs to authenticate again', async () => {
    await revokeAll(core);
    expect(await runToEnd(claude, ['mcp', 'list'], env)).toMatch(/graphql: .* - (! Needs authentication|✘ Failed)/);
  });
});

// What Claude Code's Client ID Metadata Document says, as published (anthropics/claude-code#64705): redirect URIs without
// a port and no application_type. This machine cannot fetch it; this test hands it to the app's fetch to play a machine
// that can, so the verified path is exercised with the real client too.
const claudeCodeDocument = {
  client_id: 'https://claude.ai/oauth/claude-code-client-metadata',
  client_name: 'Claude Code',
  redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};

// Claude Code probes with server/discover on stdio too, on the one pipe it has, before it falls back to initialize:
// the stdio bridge (how Claude Desktop connects) must answer the probe and keep the connection for what follows. What
// Claude Code writes to the bridge is recorded with `tee`, so the test sees the probe it is about.
describe.skipIf(!clients.claude)('Claude Code over the stdio bridge (real, from npm)', slow, () => {
  const claude = clients.claude!;
  const demo = useDemoCore('claude-stdio', bridgeDataDirOf);
  const { env } = demo;
  const configHome = configHomeOf(demo.home);
  const sent = path.join(demo.home, 'sent-to-bridge.jsonl');

  it('its server/discover probe is answered on a pipe that stays open; it falls back to initialize, is approved in the app and calls a tool', async () => {
    const bridge = `tee -a '${sent}' | '${node24}' '${path.join(appRoot, 'electron', 'core', 'cli.ts')}' --stdio`;
    await runToEnd(claude, ['mcp', 'add', '--scope', 'user', 'graphql', '-e', `XDG_CONFIG_HOME=${configHome}`, '--', '/bin/sh', '-c', bridge], env);
    const control = startClaudeControl(claude, env);
    try {
      const status = control.serverStatus('graphql');
      expect(await decideFirstPending(demo.core, 'allow-read')).toMatchObject({ name: 'claude-code', kind: 'bridge' });
      expect(await status).toMatchObject({ status: 'connected' });
      const called = await control.callTool('graphql', 'directory_validate', { operation: '{ __typename }' });
      expect(JSON.stringify(called.response?.content), JSON.stringify(called)).toContain('valid: query');
    } finally {
      control.close();
    }
    const methods = readFileSync(sent, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { method?: string }).method);
    expect(methods.slice(0, 2)).toEqual(['server/discover', 'initialize']);
  });
});

describe.skipIf(!clients.claude)('Claude Code (real) where its metadata document can be fetched', slow, () => {
  it('is shown verified as claude.ai, and its random localhost port matches the document\'s port-less redirect URI', async () => {
    const claude = clients.claude!;
    const root = mkdtempSync(path.join(os.tmpdir(), 'gmd-claude-cimd-'));
    const env = { PATH: process.env.PATH ?? '', HOME: root, LANG: 'C.UTF-8', TERM: 'xterm', DISABLE_AUTOUPDATER: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    const fetched: string[] = [];
    const fetchClientMetadata = (async (input: string | URL | Request) => {
      fetched.push(String(input));
      return String(input) === claudeCodeDocument.client_id ? Response.json(claudeCodeDocument) : new Response('not found', { status: 404 });
    }) as typeof fetch;
    const server = await startAuthorityServer({ fetchClientMetadata });
    try {
      await runToEnd(claude, ['mcp', 'add', '--transport', 'http', '--scope', 'user', 'graphql', server.mcpUrl], env);
      const login = runClient('script', ['-qfec', `'${claude}' mcp login graphql --no-browser`, '/dev/null'], env);
      try {
        const url = new URL((await login.waitFor(authorizeUrl))[0]);
        const part = server.authority.bridgePart;
        const window: DecisionChannels = { 'clients:pending': part['clients:pending']!, 'clients:decide': part['clients:decide']! };
        const approval = await approveInApp(window, url.href, 'allow-write');
        expect(fetched).toContain(claudeCodeDocument.client_id);
        expect(approval.request).toMatchObject({ name: 'Claude Code', identity: 'verified', domain: 'claude.ai' });
        expect(approval.redirectedTo.searchParams.get('code')).toBeTruthy();
        await login.waitFor(/Authenticated with "graphql"/);
      } finally {
        login.stop();
      }
      expect(server.authority.approvedClients()).toMatchObject([{ name: 'Claude Code', identity: 'verified', domain: 'claude.ai' }]);
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
