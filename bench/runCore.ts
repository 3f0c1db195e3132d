// Bench child: starts the core with a config file in a fresh process and reports how long that took and its memory.
// `node bench/runCore.ts CONFIG DATA_DIR [CORE]` prints {"event":"ready",...} with a fresh access key for the bench's
// clients; stdin "rss" prints {"event":"rss",...}; "gc" (with --expose-gc) collects first; "allow-bridge" allows the
// bench's next stdio bridge client as the user would; EOF stops it. CORE is the
// module exporting startCore: the TypeScript sources as tests and development run them (the default), or the bundle
// that ships (dist/core/startCore.js, built by build/bundleCore.ts).
// The compile cache lives where NODE_COMPILE_CACHE points (the bench gives each "empty cache" run a fresh folder).
import { enableCompileCache } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../electron/core/log/Logger.ts';
import type { PendingClientView } from '../electron/ipc/contract.ts';
import { benchClientName } from './benchClientName.ts';

enableCompileCache(); // as scripts/start.ts does, so cold starts are measured the way `npm start` runs

const [configPath, dataDir, coreModule = path.join(import.meta.dirname, '../electron/core/startCore.ts')] = process.argv.slice(2);
if (!configPath || !dataDir) throw new Error('usage: node bench/runCore.ts CONFIG DATA_DIR [CORE]');
// Here, not imported from the core: the bundle exports startCore only.
const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };
const beforeImport = performance.now();
const { startCore } = (await import(pathToFileURL(path.resolve(coreModule)).href)) as typeof import('../electron/core/startCore.ts');
const imported = performance.now();
const core = await startCore({ configPath, dataDir, openExternal: async () => {}, logger: silentLogger, port: 0, watch: false });
const started = performance.now();
const print = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(value)}\n`);
// /mcp serves approved local clients only: the bench's clients use an access key, as a user's script would.
const created = await core.bridge['keys:create'](`bench-${process.pid}`, false);
print({
  event: 'ready',
  endpoint: core.endpoint,
  key: created.ok ? created.value.key : undefined,
  keyError: created.ok ? undefined : created.error.message,
  tools: core.registry.listTools().length,
  errors: core.problems().filter((problem) => problem.severity === 'error').map((problem) => problem.message).slice(0, 5),
  // performance.now() counts from process start, so these include Node's own boot.
  bootMs: beforeImport,
  importMs: imported - beforeImport,
  startCoreMs: started - imported,
  readyMs: started,
  // CPU time says more than wall time when other work shares the cores.
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
});
// The app always listens to its core: Electron's tray and window, or headless mode's printed lines. While anything
// listens the core builds the window's views of every call, so the bench's gateway listens too.
core.bridge.subscribe(() => {});

/**
 * The bench plays the user clicking Allow once for the stdio bridge client it starts itself (and for no other), then
 * stops listening for it.
 */
function allowBenchBridgeClient(): void {
  const allow = (pending: PendingClientView[]) => {
    const request = pending.find((each) => each.kind === 'bridge' && each.name === benchClientName);
    if (!request) return;
    stop();
    void core.bridge['clients:decide'](request.requestId, 'allow-write');
  };
  const stop = core.bridge.subscribe((channel, payload) => channel === 'clients:pending-changed' && allow(payload as PendingClientView[]));
  // In case it asked before this subscription.
  void core.bridge['clients:pending']().then((pending) => pending.ok && allow(pending.value));
}
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  const command = line.trim();
  if (command === 'allow-bridge') return allowBenchBridgeClient();
  if (command !== 'rss' && command !== 'gc') return;
  if (command === 'gc') (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  print({ event: 'rss', rss: memory.rss, heapUsed: memory.heapUsed });
});
input.on('close', () => void core.close().then(() => process.exit(0)));
