// Bench child: starts the core with a config file in a fresh process and reports how long that took and its memory.
// `node bench/runCore.ts CONFIG` prints {"event":"ready",...}; stdin "rss" prints {"event":"rss",...}; EOF stops it.
import { enableCompileCache } from 'node:module';
import { createInterface } from 'node:readline';

enableCompileCache(); // as scripts/start.ts does, so cold starts are measured the way `npm start` runs

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: node bench/runCore.ts CONFIG');
const beforeImport = performance.now();
const [{ startCore }, { silentLogger }] = await Promise.all([import('../electron/core/startCore.ts'), import('../electron/core/log/Logger.ts')]);
const imported = performance.now();
const core = await startCore({ configPath, openExternal: async () => {}, logger: silentLogger, port: 0, watch: false });
const started = performance.now();
const print = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(value)}\n`);
print({
  event: 'ready',
  endpoint: core.endpoint,
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
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() !== 'rss') return;
  const memory = process.memoryUsage();
  print({ event: 'rss', rss: memory.rss, heapUsed: memory.heapUsed });
});
input.on('close', () => void core.close().then(() => process.exit(0)));
