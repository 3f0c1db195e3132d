import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { demoSchemaFiles } from '../electron/core/demo/demoApis.ts';
import { defaultDataDir } from '../electron/core/store/defaultDataDir.ts';
import { connectHttp, connectStdio } from './connectClient.ts';
import { coreModules } from './coreModules.ts';
import { seedActivityLog } from './seedActivityLog.ts';
import { startChild, type BenchChild } from './startChild.ts';
import { measureInterleaved, type ContenderResult } from './summarize.ts';

export interface ToolCallOptions {
  dir: string;
  /** Warm-up and measured calls per contender right after the processes start (the JIT still compiling). */
  warmup: number;
  calls: number;
  /** Calls per contender, counted from the start, after which the settled series is measured (JIT done tiering). */
  settleAfter: number;
  /** Measured calls per contender in the settled series: the one the targets are checked on. */
  settledCalls: number;
  /** Gateway tool calls (counted from its first) after which its RSS and heap are read, e.g. [1000, 10000]. */
  memoryCheckpoints: number[];
}

/** The gateway process's memory after `calls` tool calls: RSS as it stands, then the V8 heap right after a full GC. */
export interface MemoryPoint {
  calls: number;
  rss: number;
  heapAfterGc: number;
}

export interface ToolCallResult {
  /** The first calls of fresh processes: what a user's first minute costs (V8 still compiling hot code). */
  fresh: ContenderResult[];
  /** The same contenders after `settleAfter` calls each: what a server that runs all day costs per call. */
  contenders: ContenderResult[];
  memory: MemoryPoint[];
  /** Failed gateway calls during the memory run. */
  memoryFailures: number;
}

/** The one request all three contenders send upstream: no variables, since mcp-graphql forwards them as a string. */
export const benchQuery = 'query BenchTasks {\n  tasks(first: 5) {\n    id\n    title\n    status\n    priority\n    dueAt\n  }\n}\n';

const here = import.meta.dirname;
/** `npm start`'s script: with `--stdio` it is the stdio bridge a stdio-only client runs. */
const startScript = path.join(here, '../scripts/start.ts');

/**
 * (a) One tool call, six ways, round-robin against the same upstream (the demo tasks API in its own process):
 * a direct GraphQL POST with fetch (the baseline), the same POST through a keep-alive node:http relay process (the
 * floor for two loopback hops), the SDK client through a bare MCP relay (the floor for any MCP server over HTTP),
 * the gateway (SDK client → our MCP server in its own process → the API), mcp-graphql over stdio (SDK client →
 * its process → the API), and a second gateway over the stdio bridge (SDK client → `npm start -- --stdio` → socket →
 * app → API): first right after start, then again once every process has served `settleAfter` calls.
 * (f) reads the gateway's memory after its first 1,000 calls (between the two series) and alone up to the last
 * checkpoint.
 */
export async function benchToolCall(options: ToolCallOptions): Promise<ToolCallResult> {
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const upstream = startChild(path.join(here, 'runUpstream.ts'));
    closers.push(() => upstream.stop());
    const { url } = await upstream.next<{ event: string; url: string }>('ready');
    const relay = startChild(path.join(here, 'runRelay.ts'), [url]);
    closers.push(() => relay.stop());
    const { url: relayUrl } = await relay.next<{ event: string; url: string }>('ready');
    const mcpRelay = startChild(path.join(here, 'runMcpRelay.ts'), [url, benchQuery]);
    closers.push(() => mcpRelay.stop());
    const { url: mcpRelayUrl } = await mcpRelay.next<{ event: string; url: string }>('ready');
    const { client: viaMcpRelay } = await connectHttp(mcpRelayUrl);
    closers.push(() => viaMcpRelay.close());
    const gateway = await startGateway(options.dir, url);
    closers.push(() => gateway.child.stop());
    const { client: viaGateway } = await connectHttp(gateway.endpoint, gateway.key);
    closers.push(() => viaGateway.close());
    const { client: viaPeer, pid: peerPid } = await connectStdio([mcpGraphqlScript()], { ENDPOINT: url });
    closers.push(() => viaPeer.close());
    const bridged = await startBridgedGateway(options.dir, url);
    closers.push(() => bridged.child.stop());
    bridged.child.send('allow-bridge');
    const { client: viaBridge, pid: bridgePid } = await connectStdio([startScript, '--stdio'], bridged.env);
    closers.push(() => viaBridge.close());
    const callGateway = () => callOk(viaGateway, 'BenchTasks', {});
    const all = [
      { name: 'direct', run: () => postDirect(url) },
      { name: 'relay', run: () => postDirect(relayUrl), pids: [relay.child.pid] },
      { name: 'mcp-relay', run: () => callOk(viaMcpRelay, 'BenchTasks', {}), pids: [mcpRelay.child.pid] },
      { name: 'gateway', run: callGateway, pids: [gateway.child.child.pid] },
      { name: 'mcp-graphql', run: () => callOk(viaPeer, 'query-graphql', { query: benchQuery }), pids: [peerPid] },
      { name: 'gateway-stdio', run: () => callOk(viaBridge, 'BenchTasks', {}), pids: [bridged.child.child.pid, bridgePid] },
    ];
    const fresh = await measureInterleaved(all, options.warmup, options.calls);
    await measureInterleaved(all, options.settleAfter - options.warmup - options.calls, 0);
    const [firstCheckpoint, ...laterCheckpoints] = options.memoryCheckpoints;
    const first = await measureMemory(gateway.child, callGateway, options.settleAfter, [firstCheckpoint!]);
    const contenders = await measureInterleaved(all, 0, options.settledCalls);
    // Only the gateway runs from here on.
    for (const stop of [() => viaPeer.close(), () => viaBridge.close(), () => bridged.child.stop()]) await stop();
    const later = await measureMemory(gateway.child, callGateway, options.settleAfter + options.settledCalls, laterCheckpoints);
    return { fresh, contenders, memory: [...first.memory, ...later.memory], memoryFailures: first.memoryFailures + later.memoryFailures };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

/** Writes the bench operation as the only `.graphql` file of a folder and returns the folder. */
export async function writeBenchOperation(dir: string): Promise<string> {
  const operations = path.join(dir, 'ops-tasks');
  await mkdir(operations, { recursive: true });
  await writeFile(path.join(operations, 'BenchTasks.graphql'), benchQuery);
  return operations;
}

/** Calls the gateway sequentially up to each checkpoint (counting the `done` calls so far) and reads its memory there. */
async function measureMemory(child: BenchChild, call: () => Promise<boolean>, done: number, checkpoints: number[]): Promise<Pick<ToolCallResult, 'memory' | 'memoryFailures'>> {
  const memory: MemoryPoint[] = [];
  let calls = done;
  let memoryFailures = 0;
  for (const checkpoint of checkpoints) {
    for (; calls < checkpoint; calls += 1) if (!(await call())) memoryFailures += 1;
    child.send('rss');
    const { rss } = await child.next<{ event: string; rss: number }>('rss');
    child.send('gc');
    const { heapUsed } = await child.next<{ event: string; heapUsed: number }>('rss');
    memory.push({ calls, rss, heapAfterGc: heapUsed });
  }
  return { memory, memoryFailures };
}

/**
 * A second gateway for the stdio client: the bridge (`npm start -- --stdio`, the command Claude Desktop runs) finds
 * the app's socket in its default data folder, so this gateway's data folder is that default under a throwaway home.
 */
async function startBridgedGateway(dir: string, upstreamUrl: string): Promise<{ child: BenchChild; env: Record<string, string> }> {
  const home = path.join(dir, 'bridge-home');
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), APPDATA: path.join(home, 'AppData', 'Roaming') };
  const { child } = await startGateway(dir, upstreamUrl, { dataDir: defaultDataDir({ env, home }), nodeArgs: [] });
  return { child, env };
}

async function startGateway(dir: string, upstreamUrl: string, options = { dataDir: path.join(dir, 'data-tasks'), nodeArgs: ['--expose-gc'] }): Promise<{ child: BenchChild; endpoint: string; key?: string }> {
  const operations = await writeBenchOperation(dir);
  const configPath = path.join(dir, 'tasks.yaml');
  await writeFile(configPath, [
    'server: { port: 0 }',
    'apis:',
    '  - name: tasks',
    `    endpoint: ${JSON.stringify(upstreamUrl)}`,
    `    schema: { file: ${JSON.stringify(demoSchemaFiles.tasks)} }`,
    `    operations: [${JSON.stringify(operations)}]`,
    '    customScalars: { DateTime: { type: string, format: date-time } }',
    '',
  ].join('\n'));
  await seedActivityLog(options.dataDir);
  // The node flags of `npm start` (package.json), so memory is what a user's app would show; --expose-gc for (f).
  // The bundle that ships (bench.ts builds it first), as a user's app runs the gateway.
  const child = startChild(path.join(here, 'runCore.ts'), [configPath, options.dataDir, coreModules.bundle], ['--max-semi-space-size=8', ...options.nodeArgs]);
  const ready = await child.next<{ event: string; endpoint: string; key?: string }>('ready');
  return { child, endpoint: ready.endpoint, key: ready.key };
}

async function postDirect(url: string): Promise<boolean> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: benchQuery, operationName: 'BenchTasks' }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  return response.ok && body.data !== undefined && body.errors === undefined;
}

/** A call counts as failed when it is an `isError` result or throws (a protocol error). */
export async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<boolean> {
  try {
    const result = await client.callTool({ name, arguments: args });
    return result.isError !== true;
  } catch {
    return false;
  }
}

function mcpGraphqlScript(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mcp-graphql/package.json')), 'dist/index.js');
}
