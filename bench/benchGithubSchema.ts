import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSchemaSdl } from '../electron/core/graphql/parseSchemaSdl.ts';
import { connectHttp } from './connectClient.ts';
import { coreModules } from './coreModules.ts';
import { generateOperations } from './generateOperations.ts';
import { seedActivityLog } from './seedActivityLog.ts';
import { startChild, type BenchChild } from './startChild.ts';
import { summarize, type Summary } from './summarize.ts';

export interface GithubSchemaOptions {
  dir: string;
  /** Tools the gateway should list in total: generated operations plus the 3 default introspection tools. */
  tools: number;
  /** Fresh child processes measured for the cold start, and again for the restart (medians are reported). */
  coldStarts: number;
  /** Children left idle for (d), side by side, with empty caches and then again on restart. */
  idleRuns: number;
  warmup: number;
  calls: number;
}

export interface ColdStart {
  /** spawn → first tools/list answered, seen from the client (parent) side. */
  totalMs: number;
  /** Inside the child, from process start: Node boot, importing the core, startCore (schema + operations + listen). */
  bootMs: number;
  importMs: number;
  startCoreMs: number;
  /** Child ready → SDK client connected (initialize) and first tools/list answered. */
  firstListMs: number;
  /** CPU time the child used up to ready (user + system). */
  cpuMs: number;
  rssBytes: number;
  heapUsedBytes: number;
}

/** Cold starts and restarts of one way to run the core. */
export interface StartRuns {
  /** Each with an empty compile cache and data folder (a first start, or after an upgrade). */
  coldStarts: ColdStart[];
  coldStartMedian: ColdStart;
  /** Each with the caches a previous start left behind, inputs unchanged (the everyday restart). */
  restarts: ColdStart[];
  restartMedian: ColdStart;
}

/** Memory of an app left idle after its first tools/list (d). */
export interface IdleMemory {
  rssBytes: number;
  heapUsedBytes: number;
}

/**
 * How long (d) leaves a child idle after its first tools/list: the app hands back start-up's garbage once it has been
 * quiet for 10 s, checked second by second (scheduleMemoryRelease), and the second holding the list may count as busy.
 */
export const idleRssWaitMs = 13_000;

export interface GithubSchemaResult extends StartRuns {
  /** (d) The bundle's children left idle: empty caches, then restarts finding what those left. */
  idle: { coldStarts: IdleMemory[]; restarts: IdleMemory[] };
  operations: number;
  tools: number;
  schemaWarnings: number;
  loadErrors: string[];
  /** The same starts from the TypeScript sources (type stripping), as tests and development run the core. */
  sources: StartRuns;
  /** tools/list through the SDK client (includes its result validation), and as a raw POST (server + transfer). */
  listViaSdk: Summary;
  listRaw: Summary;
  listBytes: number;
}

const introspectionTools = 3; // introspect, search, validate are on by default
const here = import.meta.dirname;
const cores = coreModules;
type Core = keyof typeof cores;

/**
 * (b) cold start to the first tools/list, (c) tools/list latency and (d) RSS, all with GitHub's public schema and
 * generated operations, each cold start in a fresh `node bench/runCore.ts` process: the bundled core (what ships),
 * and for comparison the TypeScript sources.
 */
export async function benchGithubSchema(options: GithubSchemaOptions): Promise<GithubSchemaResult> {
  const schemaFile = githubSchemaFile();
  const { schema, problems } = parseSchemaSdl(await readFile(schemaFile, 'utf8'), schemaFile);
  const operationsDir = path.join(options.dir, 'ops-github');
  const operations = await generateOperations(schema, operationsDir, options.tools - introspectionTools);
  const configPath = path.join(options.dir, 'github.yaml');
  await writeFile(configPath, [
    'apis:',
    '  - name: github',
    '    endpoint: http://127.0.0.1:9/graphql # never called',
    `    schema: { file: ${JSON.stringify(schemaFile)} }`,
    `    operations: [${JSON.stringify(operationsDir)}]`,
    '',
  ].join('\n'));
  const coreNames = Object.keys(cores) as Core[];
  const runs = { bundle: { coldStarts: [] as ColdStart[], restarts: [] as ColdStart[] }, sources: { coldStarts: [] as ColdStart[], restarts: [] as ColdStart[] } };
  // Bundle and sources alternate run by run, so load drift on a shared machine hits both alike.
  for (let run = 0; run < options.coldStarts; run += 1) {
    for (const core of coreNames) runs[core].coldStarts.push((await measureColdStart(core, configPath, await freshCaches(options.dir))).coldStart);
  }
  const kept = { bundle: await freshCaches(options.dir), sources: await freshCaches(options.dir) };
  for (const core of coreNames) await measureColdStart(core, configPath, kept[core]); // leaves the caches a restart finds
  for (const core of coreNames) await seedActivityLog(kept[core].dataDir); // and a day of use: the full activity log
  let ready: Ready | undefined;
  for (let run = 0; run < options.coldStarts; run += 1) {
    for (const core of coreNames) {
      const listLoop = core === 'bundle' && run === options.coldStarts - 1 ? options : undefined;
      const measured = await measureColdStart(core, configPath, kept[core], listLoop);
      runs[core].restarts.push(measured.coldStart);
      if (listLoop) ready = measured.ready;
    }
  }
  const idle = await measureIdleMemory(configPath, options.dir, options.idleRuns);
  return { operations, tools: ready!.tools, schemaWarnings: problems.length, loadErrors: ready!.errors, ...startRuns(runs.bundle), sources: startRuns(runs.sources), ...ready!.lists!, idle };
}

function startRuns({ coldStarts, restarts }: { coldStarts: ColdStart[]; restarts: ColdStart[] }): StartRuns {
  return { coldStarts, coldStartMedian: medianColdStart(coldStarts), restarts, restartMedian: medianColdStart(restarts) };
}

/** An empty compile cache (NODE_COMPILE_CACHE) and data folder for a child, as after an install or upgrade. */
interface Caches {
  compileCache: string;
  dataDir: string;
}

async function freshCaches(dir: string): Promise<Caches> {
  const root = await mkdtemp(path.join(dir, 'caches-'));
  return { compileCache: path.join(root, 'compile'), dataDir: path.join(root, 'data') };
}

interface Ready {
  event: string;
  endpoint: string;
  key?: string;
  tools: number;
  errors: string[];
  bootMs: number;
  importMs: number;
  startCoreMs: number;
  cpuMs: number;
  lists?: { listViaSdk: Summary; listRaw: Summary; listBytes: number };
}

async function measureColdStart(core: Core, configPath: string, caches: Caches, listLoop?: { warmup: number; calls: number }): Promise<{ coldStart: ColdStart; ready: Ready }> {
  const spawned = performance.now();
  const child = startCoreChild(core, configPath, caches);
  try {
    const ready = await child.next<Ready>('ready', 60_000);
    const readyAt = performance.now();
    const { client, transport } = await connectHttp(ready.endpoint, ready.key);
    await client.listTools();
    const listed = performance.now();
    child.send('rss');
    const { rss, heapUsed } = await child.next<{ event: string; rss: number; heapUsed: number }>('rss');
    if (listLoop) ready.lists = await measureLists(ready.endpoint, client, transport.sessionId!, listLoop, ready.key);
    await client.close();
    const coldStart = { totalMs: listed - spawned, bootMs: ready.bootMs, importMs: ready.importMs, startCoreMs: ready.startCoreMs, firstListMs: listed - readyAt, cpuMs: ready.cpuMs, rssBytes: rss, heapUsedBytes: heapUsed };
    return { coldStart, ready };
  } finally {
    await child.stop();
  }
}

/**
 * (d) `runs` bundle children side by side, each left idle `idleRssWaitMs` after its first tools/list, then the same
 * again with the caches they left: not timed, so they share the cores and the wait once.
 */
/** A runCore child with its own caches, on the node flags of `npm start` (package.json), so RSS is what a user's headless app would show. */
function startCoreChild(core: Core, configPath: string, caches: Caches): BenchChild {
  return startChild(path.join(here, 'runCore.ts'), [configPath, caches.dataDir, cores[core]], ['--max-semi-space-size=8'], { NODE_COMPILE_CACHE: caches.compileCache });
}

async function measureIdleMemory(configPath: string, dir: string, runs: number): Promise<GithubSchemaResult['idle']> {
  const caches = await Promise.all(Array.from({ length: runs }, () => freshCaches(dir)));
  const coldStarts = await Promise.all(caches.map((each) => measureIdleChild(configPath, each)));
  await Promise.all(caches.map((each) => seedActivityLog(each.dataDir)));
  const restarts = await Promise.all(caches.map((each) => measureIdleChild(configPath, each)));
  return { coldStarts, restarts };
}

async function measureIdleChild(configPath: string, caches: Caches): Promise<IdleMemory> {
  const child = startCoreChild('bundle', configPath, caches);
  try {
    const ready = await child.next<Ready>('ready', 60_000);
    const { client } = await connectHttp(ready.endpoint, ready.key);
    await client.listTools();
    await client.close();
    await new Promise((resolve) => setTimeout(resolve, idleRssWaitMs));
    child.send('rss');
    const { rss, heapUsed } = await child.next<{ event: string; rss: number; heapUsed: number }>('rss');
    return { rssBytes: rss, heapUsedBytes: heapUsed };
  } finally {
    await child.stop();
  }
}

async function measureLists(
  endpoint: string,
  client: Awaited<ReturnType<typeof connectHttp>>['client'],
  sessionId: string,
  loop: { warmup: number; calls: number },
  key?: string,
): Promise<{ listViaSdk: Summary; listRaw: Summary; listBytes: number }> {
  const viaSdk = await timeCalls(loop, async () => void (await client.listTools()));
  let listBytes = 0;
  const raw = await timeCalls(loop, async () => void (listBytes = (await listRaw(endpoint, sessionId, key)).length));
  return { listViaSdk: viaSdk, listRaw: raw, listBytes };
}

async function timeCalls(loop: { warmup: number; calls: number }, call: () => Promise<void>): Promise<Summary> {
  for (let index = 0; index < loop.warmup; index += 1) await call();
  const samples: number[] = [];
  for (let index = 0; index < loop.calls; index += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

/** tools/list as a plain POST in the SDK client's session: what the server and the wire cost without client parsing. */
async function listRaw(endpoint: string, sessionId: string, key?: string): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`tools/list answered HTTP ${response.status}`);
  return text;
}

/** The run with the median total, so its breakdown adds up (a per-field median would not). */
function medianColdStart(runs: ColdStart[]): ColdStart {
  const sorted = [...runs].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function githubSchemaFile(): string {
  // The package's `exports` hides package.json; schema.graphql sits next to its entry point.
  return path.join(path.dirname(fileURLToPath(import.meta.resolve('@octokit/graphql-schema'))), 'schema.graphql');
}
