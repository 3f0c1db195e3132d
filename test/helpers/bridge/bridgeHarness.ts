import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { appRoot } from '../../../electron/core/appRoot.ts';
import { appFolderName } from '../../../electron/core/config/defaultConfigPath.ts';
import { silentLogger } from '../../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../../electron/core/startCore.ts';
import type { ClientDecision, PendingClientView } from '../../../electron/ipc/contract.ts';
import { startGraphqlServer, testSchemaSource, type TestGraphqlServer } from '../graphqlServer.ts';

/** Node 24 from node_modules (the system Node may be older and lack type stripping). */
export const node24 = path.join(appRoot, 'node_modules', '.bin', 'node');

/** A throwaway XDG_CONFIG_HOME: the relay child finds the app's data folder under it, as a user's app would. */
export interface TempHome {
  configHome: string;
  /** `<configHome>/graphql-mcp-desktop`: what defaultDataDir() answers in a process with this XDG_CONFIG_HOME. */
  dataDir: string;
  remove(): Promise<void>;
}

export async function makeTempHome(): Promise<TempHome> {
  const configHome = await mkdtemp(path.join(os.tmpdir(), 'gmd-bridge-'));
  return { configHome, dataDir: path.join(configHome, appFolderName), remove: () => rm(configHome, { recursive: true, force: true }) };
}

/** The stdio transport an MCP client such as Claude Desktop would use: `node electron/core/cli.ts --stdio` as a child. */
export function bridgeTransport(home: TempHome): StdioClientTransport {
  return new StdioClientTransport({
    command: node24,
    args: [path.join('electron', 'core', 'cli.ts'), '--stdio'],
    cwd: appRoot,
    env: { XDG_CONFIG_HOME: home.configHome },
    stderr: 'pipe',
  });
}

/** Collects a child's stderr text. */
export function collectStderr(transport: StdioClientTransport): () => string {
  let text = '';
  transport.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

export function bridgeClient(name = 'Claude Desktop (test)'): Client {
  return new Client({ name, version: '0.9.0' });
}

export const waitFor = async (check: () => boolean | Promise<boolean>, ms = 25_000): Promise<void> => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** The relay as a raw child process, for what the SDK transport hides: exact stdout bytes, stderr and exit code. */
export interface RawRelay {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  send(message: unknown): void;
}

/** `npm start -- --stdio` without npm: scripts/start.ts hands --stdio to the relay (bridgeCommand() in a checkout). */
export function spawnRelay(home: TempHome): RawRelay {
  const child = spawn(node24, [path.join('scripts', 'start.ts'), '--stdio'], { cwd: appRoot, env: { PATH: process.env.PATH, XDG_CONFIG_HOME: home.configHome } });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited, send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`) };
}

export const initializeRequest = (id: number, name = 'Claude Desktop (test)') => ({
  jsonrpc: '2.0', id, method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name, version: '0.9.0' } },
});

/** A config folder with one API (no token needed) served by `endpoint` and one operation, `Hello`. */
export async function writeHelloConfig(dir: string, endpoint: string): Promise<string> {
  await mkdir(path.join(dir, 'ops'), { recursive: true });
  await writeFile(path.join(dir, 'schema.graphql'), testSchemaSource);
  await writeFile(path.join(dir, 'ops', 'Hello.graphql'), 'query Hello($name: String) { hello(name: $name) }\n');
  await writeFile(path.join(dir, 'config.yaml'), `server: { port: 0 }\napis:\n  - name: test\n    endpoint: ${endpoint}\n    schema: { file: ./schema.graphql }\n    operations: [./ops]\n`);
  return path.join(dir, 'config.yaml');
}

/** Starts the whole core on that config, with its data folder (and so its bridge socket) in the temp home. */
export function startTestCore(home: TempHome, configPath: string): Promise<CoreHandle> {
  return startCore({ configPath, dataDir: home.dataDir, openExternal: async () => {}, logger: silentLogger, port: 0, watch: true, secrets: memorySecretStore() });
}

/** A test file's running core on the Hello config (see useHelloCore); `defer` runs a cleanup after the current test. */
export interface HelloCore {
  readonly core: CoreHandle;
  readonly home: TempHome;
  readonly upstream: TestGraphqlServer;
  defer(cleanup: () => Promise<unknown>): void;
}

/** Registers hooks that start the whole core on the Hello config in its own temp home once for the file. */
export function useHelloCore(): HelloCore {
  const cleanups: (() => Promise<unknown>)[] = [];
  const state = { defer: (cleanup: () => Promise<unknown>) => void cleanups.push(cleanup) } as HelloCore & { core: CoreHandle; home: TempHome; upstream: TestGraphqlServer };
  beforeAll(async () => {
    state.upstream = await startGraphqlServer();
    state.home = await makeTempHome();
    state.core = await startTestCore(state.home, await writeHelloConfig(state.home.configHome, state.upstream.url));
  });
  afterAll(async () => {
    await state.core?.close();
    await state.upstream?.close();
    await state.home?.remove();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return state;
}

/** Waits for the client's approval request in the app and decides it, as the window's Allow/Deny buttons do. */
export async function decideFirstPending(core: CoreHandle, decision: ClientDecision): Promise<PendingClientView> {
  let pending: PendingClientView[] = [];
  await waitFor(async () => {
    const answer = await core.bridge['clients:pending']();
    pending = answer.ok ? answer.value : [];
    return pending.length > 0;
  });
  const decided = await core.bridge['clients:decide'](pending[0]!.requestId, decision);
  if (!decided.ok) throw new Error(decided.error.message);
  return pending[0]!;
}
