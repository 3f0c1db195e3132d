import { spawn, spawnSync } from 'node:child_process';
import { chmod, stat } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serveBridgeSocket, type BridgeSocketServer } from '../../electron/core/bridge/serveBridgeSocket.ts';
import { bridgeSocketPath } from '../../electron/core/bridge/bridgeSocketPath.ts';
import { appNotRunningMessage } from '../../electron/core/bridge/relayStdio.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { createTestCatalog } from '../helpers/testCatalog.ts';
import { bridgeClient, bridgeTransport, decideFirstPending, initializeRequest, makeTempHome, node24, spawnRelay, startTestCore, waitFor, writeHelloConfig, type TempHome } from '../helpers/bridge/bridgeHarness.ts';
import type { CoreHandle } from '../../electron/core/startCore.ts';
import { createTestAuthority, testServerFactory, type TestAuthority } from '../helpers/bridge/testAuthority.ts';

let upstream: TestGraphqlServer;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  upstream = await startGraphqlServer();
});
afterAll(() => upstream.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempHome(): Promise<TempHome> {
  const home = await makeTempHome();
  cleanups.push(home.remove);
  return home;
}

async function serve(home: TempHome, authority: TestAuthority = createTestAuthority()): Promise<BridgeSocketServer> {
  const bridge = await serveBridgeSocket({ dataDir: home.dataDir, authority, createServer: testServerFactory(createTestCatalog(upstream.url), authority) });
  cleanups.push(() => bridge.close());
  return bridge;
}

/** Connects to a socket and reports 'connected' or the error code, from this process. */
function tryConnect(socketPath: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once('connect', () => (socket.destroy(), resolve('connected')));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** The same, from a process running as the unprivileged user `nobody` (uid and gid 65534, no groups). */
function tryConnectAsNobody(socketPath: string): string {
  const script = `require('node:net').connect(process.argv[1]).on('connect', function () { console.log('connected'); this.destroy(); }).on('error', (e) => console.log(e.code))`;
  const result = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', node24, '-e', script, socketPath], { encoding: 'utf8' });
  return `${result.stdout}${result.stderr}`.trim();
}

/** Leaves a socket file behind as a crashed app would: a process listens on it and is killed with SIGKILL. */
async function crashWhileListening(socketPath: string): Promise<void> {
  const script = `require('node:net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))`;
  await new Promise((resolve) => spawn(node24, ['-e', script, socketPath]).once('close', resolve));
}

const mode = async (file: string) => (await stat(file)).mode & 0o777;
const isRoot = process.getuid?.() === 0;
const canDropPrivileges = isRoot && spawnSync('setpriv', ['--version']).status === 0;

describe('K5: stdio bridge socket', () => {
  it('K5: the socket is 0600 in a 0700 folder of the data directory', async () => {
    const home = await tempHome();
    const bridge = await serve(home);
    expect(bridge.path).toBe(path.join(home.dataDir, 'run', 'bridge.sock'));
    expect(bridge.path).toBe(bridgeSocketPath({ dataDir: home.dataDir }));
    expect((await stat(bridge.path)).isSocket()).toBe(true);
    expect(await mode(bridge.path)).toBe(0o600);
    expect(await mode(path.dirname(bridge.path))).toBe(0o700);
  });

  it('K5: a loose run folder left from before is made 0700 again when the app starts', async () => {
    const home = await tempHome();
    await serve(home).then((bridge) => bridge.close());
    await chmod(path.join(home.dataDir, 'run'), 0o755);
    const bridge = await serve(home);
    expect(await mode(path.dirname(bridge.path))).toBe(0o700);
  });

  it('K5: a stale socket file left by a crashed app is replaced, and bridges reach the new app', async () => {
    const home = await tempHome();
    const socketPath = bridgeSocketPath({ dataDir: home.dataDir });
    await serve(home).then((bridge) => bridge.close()); // creates the 0700 folder
    await crashWhileListening(socketPath);
    expect((await stat(socketPath)).isSocket()).toBe(true);
    expect(await tryConnect(socketPath)).toBe('ECONNREFUSED');

    const authority = createTestAuthority();
    const bridge = await serve(home, authority);
    expect(await mode(bridge.path)).toBe(0o600);
    const relay = spawnRelay(home);
    cleanups.push(async () => relay.child.kill());
    relay.send(initializeRequest(1));
    await waitFor(() => authority.pending.length === 1);
    authority.pending[0]!.allow();
    await waitFor(() => relay.stdout().includes('"serverInfo"'));
  });

  it('K5: a second running app does not take over a live socket; the first keeps serving', async () => {
    const home = await tempHome();
    const first = await serve(home);
    await expect(serve(home)).rejects.toMatchObject({ code: 'BRIDGE_IN_USE' });
    expect(await tryConnect(first.path)).toBe('connected');
  });

  it('K5: a file at the socket path that is not a socket is never deleted', async () => {
    const home = await tempHome();
    const socketPath = bridgeSocketPath({ dataDir: home.dataDir });
    await serve(home).then((bridge) => bridge.close());
    const { writeFile } = await import('node:fs/promises');
    await writeFile(socketPath, 'not a socket');
    await expect(serve(home)).rejects.toMatchObject({ code: 'BRIDGE_UNAVAILABLE' });
    expect((await stat(socketPath)).isFile()).toBe(true);
  });

  it("K5: another user's process cannot connect (a child dropped to nobody gets EACCES)", async (context) => {
    if (!canDropPrivileges) {
      console.warn('K5 other-user case skipped: needs root and setpriv to run a child as another user; the 0600/0700 modes are asserted above');
      return context.skip();
    }
    const home = await tempHome();
    const bridge = await serve(home);
    // Only the bridge's own protections stand in the way: the temp folders above it are opened to everyone.
    await chmod(home.configHome, 0o755);
    await chmod(home.dataDir, 0o755);
    expect(tryConnectAsNobody(bridge.path)).toBe('EACCES'); // the 0700 folder
    await chmod(path.dirname(bridge.path), 0o755);
    expect(tryConnectAsNobody(bridge.path)).toBe('EACCES'); // the 0600 socket alone also holds
    await chmod(bridge.path, 0o666);
    expect(tryConnectAsNobody(bridge.path)).toBe('connected'); // control: the check can see a connection
    expect(await tryConnect(bridge.path)).toBe('connected');
  });

  it('K5: the bridge exits non-zero with a message on stderr, and nothing on stdout, when the app is not running', async () => {
    const home = await tempHome();
    const relay = spawnRelay(home);
    relay.send(initializeRequest(1));
    expect(await relay.exited).toBe(1);
    expect(relay.stderr()).toBe(`${appNotRunningMessage}\n`);
    expect(relay.stdout()).toBe('');
  });

  it('K5: the bridge says the app is not running when only a stale socket from a crash is left', async () => {
    const home = await tempHome();
    const socketPath = bridgeSocketPath({ dataDir: home.dataDir });
    await serve(home).then((bridge) => bridge.close());
    await crashWhileListening(socketPath);
    const relay = spawnRelay(home);
    expect(await relay.exited).toBe(1);
    expect(relay.stderr()).toBe(`${appNotRunningMessage}\n`);
    expect(relay.stdout()).toBe('');
  });
});

describe('K5: approval and revocation through the running core', () => {
  let home: TempHome;
  let core: CoreHandle;
  beforeAll(async () => {
    home = await makeTempHome();
    core = await startTestCore(home, await writeHelloConfig(home.configHome, upstream.url));
  });
  afterAll(async () => {
    await core?.close();
    await home?.remove();
  });

  it('K5: a client the user denies in the app gets an error for its initialize, and its bridge closes with exit 1', async () => {
    const relay = spawnRelay(home);
    relay.send(initializeRequest(1, 'Denied client'));
    await decideFirstPending(core, 'deny');
    expect(await relay.exited).toBe(1);
    expect(JSON.parse(relay.stdout())).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32001 } });
    expect(relay.stderr()).toMatch(/closed the connection/);
    const clients = await core.bridge['clients:list']();
    expect(clients.ok && clients.value.map((client) => client.name)).not.toContain('Denied client');
  });

  it('K5: revoking a bridge client in the app cuts its live session at once', async () => {
    const client = bridgeClient('Revoked client');
    const transport = bridgeTransport(home);
    cleanups.push(() => client.close());
    const connected = client.connect(transport);
    await decideFirstPending(core, 'allow-read');
    await connected;
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    let closed = false;
    transport.onclose = () => (closed = true);

    const clients = await core.bridge['clients:list']();
    const approved = clients.ok ? clients.value.find((entry) => entry.name === 'Revoked client') : undefined;
    expect(approved?.kind).toBe('bridge');
    expect(await core.bridge['clients:revoke'](approved!.clientId)).toEqual({ ok: true, value: undefined });
    await waitFor(() => closed);
    await expect(client.callTool({ name: 'Hello', arguments: {} })).rejects.toThrow();
  });
});
