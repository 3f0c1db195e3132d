// `npm run bench`: measures the gateway side by side with its baselines in one run and prints one table (also
// written to bench/RESULTS.md). It reports; it never fails the build on a timing (exit code 0 unless it crashes).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchBroker, type BrokerResult } from './benchBroker.ts';
import { benchGithubSchema, idleRssWaitMs, type GithubSchemaResult } from './benchGithubSchema.ts';
import { benchToolCall, type ToolCallResult } from './benchToolCall.ts';
import { buildCoreBundle } from './coreModules.ts';
import { describeMachine, formatLoad, formatMachine, formatResultsFile, formatTable, megabytes, ms, ratio, type Row } from './formatResults.ts';
import type { ContenderResult } from './summarize.ts';

const settings = {
  toolCall: { warmup: 50, calls: 500, settleAfter: 1_000, settledCalls: 1_000, memoryCheckpoints: [1_000, 10_000] },
  github: { tools: 500, coldStarts: 5, idleRuns: 3, warmup: 10, calls: 200 },
  broker: { warmup: 50, calls: 950, tokenForCalls: 10_000 },
};
const targets = { gatewayRatio: 1.8, gatewayP95Ratio: 2, gatewayCpuMs: 1.5, memoryGrowthBytes: 10 * 2 ** 20, coldStartMs: 1000, restartMs: 500, listMs: 5, rssBytes: 120 * 2 ** 20 };

const keptHeading = '## Before and after';

const notes = [
  `(a) Two series per contender, round-robin (one call of each per round) so load drift hits all alike: settled, after ${settings.toolCall.settleAfter.toLocaleString('en')} calls each since the processes started, ${settings.toolCall.settledCalls.toLocaleString('en')} measured calls ` +
    `(the targets are checked on these: the app's server runs all day); and fresh, calls ${settings.toolCall.warmup + 1}–${settings.toolCall.warmup + settings.toolCall.calls} right after start, when V8 is still compiling the hot code (hundreds of optimizing compiles in the gateway, and the clients' and relays' too), shown for context. ` +
    'Upstream: the demo tasks API in its own process; the gateway (`startCore` with a YAML config, from the bundle that ships: dist/core/startCore.js) in its own process; ' +
    'the relay is a bare node:http server that forwards the body over a keep-alive node:http Agent (no MCP), the honest floor for two loopback hops; ' +
    'the MCP relay (bench/runMcpRelay.ts) is a bare node:http server that answers the SDK client\'s initialize and relays each tools/call the same way, the upstream\'s answer as the one text item (no SDK server, no checks, no access key): the floor for any MCP server over HTTP with the official client; ' +
    'the same query document (`tasks(first: 5)`, no variables, since mcp-graphql forwards `variables` as a string). ' +
    'the gateway over stdio is a second gateway process reached the way stdio-only clients (Claude Desktop) reach the app: the SDK client spawns `node scripts/start.ts --stdio`, the bridge that copies bytes to the app\'s socket, and the bench plays the user allowing that client once; its hop CPU is the app\'s plus the bridge process\'s. ' +
    'Clients: `fetch` for direct and relay, the official SDK `Client` over Streamable HTTP for the MCP relay and the gateway (with an access key from `keys:create`, as /mcp requires) and over stdio for mcp-graphql 2.0.4 and the bridge. ' +
    'The gateways run with `npm start`\'s node flags (--max-semi-space-size=8), the HTTP one plus --expose-gc for (f), and with one listener on the core\'s events, as the shipped app always has one (Electron\'s tray and window, or headless mode\'s printed lines): the core then builds the window\'s view of every call. Each gateway starts with its activity log full (10,000 earlier calls, the bound), as an app used for a day or more does: every call then also drops the oldest entry.',
  `(f) the same gateway process and session as (a): after its first ${settings.toolCall.memoryCheckpoints[0]!.toLocaleString('en')} calls (before the settled series), then alone, sequential calls up to ${settings.toolCall.memoryCheckpoints.at(-1)!.toLocaleString('en')} calls in total: RSS as it stands, then the V8 heap right after a forced full GC (the activity log was full from the start, so it does not grow here).`,
  `(b) ${settings.github.coldStarts} fresh \`node bench/runCore.ts\` processes each with an empty compile cache (NODE_COMPILE_CACHE) and data folder, then ${settings.github.coldStarts} restarts that find the caches one earlier run left (inputs unchanged) and a full activity log (10,000 calls, as after a day of use, which every restart loads); the run with the median total shown, with its breakdown: from spawn to the first tools/list answered to an SDK client ` +
    '(connect + initialize included). GitHub\'s schema.graphql from @octokit/graphql-schema; operations generated from the Query fields ' +
    '(1–3 levels deep, scalar selections, required arguments as variables, each validated) into a temp folder, one file each. ' +
    'The core is the bundle `npm start` runs (dist/core/startCore.js, built by build/bundleCore.ts once before all rows; Electron\'s main bundle holds the same code); ' +
    'the "sources" row starts electron/core/*.ts through Node\'s type stripping as tests and development do, alternating run by run with the bundle. The OS file cache is warm.',
  `(c) ${settings.github.warmup} warm-up + ${settings.github.calls} sequential tools/list calls in one session; "raw" is a plain POST in the same session (server work + transfer, no client-side validation).`,
  `(d) \`process.memoryUsage()\` of the (b) child right after its first tools/list, from the median runs, all runs listed; then of ${settings.github.idleRuns} more bundle children (side by side, not timed) left idle ${idleRssWaitMs / 1000} s after their first tools/list, with empty caches and then restarted on what they left plus a full activity log. The bench forces no GC: ` +
    'after start-up and after each schema build, once the app has been quiet for 10 s (event loop under 5% busy, second by second), the app itself runs one memory-reducing collection (electron/core/memory/scheduleMemoryRelease.ts). The first value still holds start-up\'s garbage; the second is what an idle app keeps.',
  `(e) in-process gateway (ToolRegistry + serveMcp) with two APIs on the same upstream, strategy \`exchange\` (demo oidc-provider, signed in over HTTP, RFC 8693) and \`none\`; ` +
    `${settings.broker.warmup} warm-up + ${settings.broker.calls} calls each, round-robin. Exchanges counted by the IdP over all ${settings.broker.warmup + settings.broker.calls} exchange-tool calls (the first one mints). ` +
    `\`tokenFor\` timed directly over ${settings.broker.tokenForCalls} calls with the token cached.`,
  'CPU/call: this process\'s CPU time around each call (client) and the CPU time of the contender\'s own middle process over the measured calls (hop; gateway, relay or mcp-graphql; from /proc, Linux only). On a busy machine CPU time is steadier than wall time.',
  'Targets are checked on p50. Every number is from this one run; ratios compare contenders measured side by side.',
];

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = formatLoad();
  const dir = await mkdtemp(path.join(tmpdir(), 'graphql-mcp-bench-'));
  const rows: Row[] = [];
  try {
    // The GitHub part runs last: parsing that schema here (to generate operations) grows this process's heap,
    // which would slow the in-process measurements that follow it.
    await buildCoreBundle();
    const toolCall = await section('a', 'tool call', () => benchToolCall({ dir, ...settings.toolCall }).then((result) => [...toolCallRows(result), ...memoryRows(result)]));
    const broker = await section('e', 'token broker', () => benchBroker({ dir, ...settings.broker }).then(brokerRows));
    const github = await section('b–d', 'GitHub schema', () => benchGithubSchema({ dir, ...settings.github }).then(githubRows));
    rows.push(...toolCall, ...github, ...broker);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const machine = describeMachine(started, loadBefore);
  const table = formatTable(rows);
  process.stdout.write(`\n${formatMachine(machine)}\n\n${table}\n\n`);
  const resultsFile = path.join(import.meta.dirname, 'RESULTS.md');
  // A hand-written "Before and after" section (earlier runs, for comparison) survives regeneration.
  const kept = await readFile(resultsFile, 'utf8').then((text) => text.slice(Math.max(0, text.indexOf(keptHeading))), () => '');
  await writeFile(resultsFile, formatResultsFile(machine, table, notes) + (kept.startsWith(keptHeading) ? `\n${kept}` : ''));
  process.stdout.write(`Written to ${path.relative(process.cwd(), resultsFile)} (${((Date.now() - started.getTime()) / 1000).toFixed(0)} s).\n`);
}

/** Runs one part; a part that fails becomes a ✗ row with its message, and the others still run. */
async function section(id: string, name: string, run: () => Promise<Row[]>): Promise<Row[]> {
  process.stderr.write(`bench: ${id} ${name}…\n`);
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return [{ id, measurement: name, result: `failed: ${message}`, target: '', ok: false }];
  }
}

function latency(result: ContenderResult, base?: ContenderResult): string {
  const { p50, p95 } = result.summary;
  const failed = result.failures > 0 ? ` · ${result.failures} failed` : '';
  if (!base) return `p50 ${ms(p50)} · p95 ${ms(p95)}${failed}`;
  return `p50 ${ms(p50)} (${ratio(p50, base.summary.p50)}) · p95 ${ms(p95)} (${ratio(p95, base.summary.p95)})${failed}`;
}

/** CPU per call on the client side and in the contender's own middle process, when measured. */
function cpu(result: ContenderResult): string {
  const parts = [result.clientCpuMs !== undefined ? `client ${result.clientCpuMs.toFixed(2)}` : '', result.hopCpuMs !== undefined ? `hop ${result.hopCpuMs.toFixed(2)}` : ''].filter(Boolean);
  return parts.length > 0 ? ` · CPU/call ms: ${parts.join(', ')}` : '';
}

function toolCallRows({ contenders: [direct, relay, mcpRelay, gateway, peer, bridged], fresh }: ToolCallResult): Row[] {
  const p50Ratio = gateway!.summary.p50 / direct!.summary.p50;
  const p95Ratio = gateway!.summary.p95 / direct!.summary.p95;
  const hopCpu = gateway!.hopCpuMs;
  return [
    { id: 'a', measurement: 'Direct GraphQL POST (fetch → API)', result: latency(direct!) + cpu(direct!), target: 'baseline' },
    { id: 'a', measurement: 'Same POST via a keep-alive node:http relay (2-hop floor)', result: latency(relay!, direct) + cpu(relay!), target: '(floor)' },
    { id: 'a', measurement: 'SDK client → bare MCP relay → API (MCP-over-HTTP floor)', result: latency(mcpRelay!, direct) + cpu(mcpRelay!), target: '(floor)' },
    {
      id: 'a', measurement: 'Gateway tool call (SDK client → MCP server → API)', result: latency(gateway!, direct) + cpu(gateway!),
      target: `p50 ≤ ${targets.gatewayRatio}×, p95 ≤ ${targets.gatewayP95Ratio}× direct, p50 ≤ mcp-graphql`,
      ok: gateway!.failures === 0 && p50Ratio <= targets.gatewayRatio && p95Ratio <= targets.gatewayP95Ratio && gateway!.summary.p50 <= peer!.summary.p50,
    },
    { id: 'a', measurement: 'mcp-graphql tool call (SDK client → stdio → API)', result: latency(peer!, direct) + cpu(peer!), target: '(peer)' },
    {
      id: 'a', measurement: 'Gateway tool call over stdio, as stdio-only clients connect (SDK client → stdio → bridge process → socket → app → API)',
      result: `${latency(bridged!, direct)}${cpu(bridged!)} (hop: app + bridge) · p50 ${ratio(bridged!.summary.p50, peer!.summary.p50)} mcp-graphql's`, target: '(context: the peer\'s own transport)',
    },
    {
      id: 'a', measurement: 'Gateway CPU per tool call (its own process)', result: hopCpu === undefined ? 'not measured (no /proc)' : `${hopCpu.toFixed(2)} ms (relay floor ${relay!.hopCpuMs?.toFixed(2) ?? '?'} ms, MCP relay ${mcpRelay!.hopCpuMs?.toFixed(2) ?? '?'} ms)`,
      target: `≤ ${targets.gatewayCpuMs} ms`, ok: hopCpu === undefined ? undefined : hopCpu <= targets.gatewayCpuMs,
    },
    { id: 'a', measurement: 'The same, fresh processes (their first calls, JIT still compiling)', result: fresh.map(freshResult).join(' · '), target: '(context)' },
  ];
}

/** One contender of the fresh series, compactly: p50 (ratio to direct) and the CPU of its own middle process. */
function freshResult(result: ContenderResult, index: number, all: ContenderResult[]): string {
  const hop = result.hopCpuMs === undefined ? '' : `, hop CPU ${result.hopCpuMs.toFixed(2)} ms`;
  return `${result.name} p50 ${ms(result.summary.p50)}${index === 0 ? '' : ` (${ratio(result.summary.p50, all[0]!.summary.p50)})`}${hop}`;
}

function memoryRows({ memory, memoryFailures }: ToolCallResult): Row[] {
  const [first, last] = [memory[0]!, memory.at(-1)!];
  const growth = last.rss - first.rss;
  const point = (at: typeof first) => `after ${at.calls}: RSS ${megabytes(at.rss)}, heap after GC ${(at.heapAfterGc / 2 ** 20).toFixed(1)} MB`;
  return [{
    id: 'f', measurement: `Gateway memory over ${last.calls} tool calls`,
    result: `${memory.map(point).join(' · ')} · RSS ${growth >= 0 ? '+' : ''}${(growth / 2 ** 20).toFixed(1)} MB${memoryFailures > 0 ? ` · ${memoryFailures} failed` : ''}`,
    target: `RSS within ${megabytes(targets.memoryGrowthBytes)} of the first`, ok: memoryFailures === 0 && Math.abs(growth) <= targets.memoryGrowthBytes,
  }];
}

function githubRows(result: GithubSchemaResult): Row[] {
  const { coldStartMedian: cold, restartMedian: restart, sources } = result;
  const errors = result.loadErrors.length > 0 ? ` · load errors: ${result.loadErrors.join('; ')}` : '';
  const breakdown = (run: typeof cold) =>
    `${ms(run.totalMs)} = boot ${ms(run.bootMs)} + imports ${ms(run.importMs)} + startCore ${ms(run.startCoreMs)} + connect & list ${ms(run.firstListMs)} · child CPU to ready ${ms(run.cpuMs)}`;
  const rss = (runs: typeof result.coldStarts) => runs.map((run) => megabytes(run.rssBytes)).join(', ');
  const idleRss = (runs: typeof result.idle.coldStarts) => `${runs.map((run) => megabytes(run.rssBytes)).join(', ')} (heap ${runs.map((run) => megabytes(run.heapUsedBytes)).join(', ')})`;
  const idleRssWaitSeconds = idleRssWaitMs / 1000;
  // Every run's total and CPU: on a shared machine one slow boot moves a median less than it moves a reader's trust.
  const runs = (all: typeof result.coldStarts) => ` · runs: ${all.map((run) => `${ms(run.totalMs)} (CPU ${ms(run.cpuMs)})`).join(', ')}`;
  const tools = `GitHub schema, ${result.operations} operations, ${result.tools} tools`;
  return [
    {
      id: 'b', measurement: `Cold start → first tools/list, empty caches (${tools})`, result: `${breakdown(cold)}${runs(result.coldStarts)}${errors}`,
      target: `≤ ${targets.coldStartMs / 1000} s`, ok: cold.totalMs <= targets.coldStartMs && result.loadErrors.length === 0,
    },
    {
      id: 'b', measurement: 'Restart → first tools/list, inputs unchanged (caches kept)', result: `${breakdown(restart)}${runs(result.restarts)}`,
      target: `≤ ${targets.restartMs} ms`, ok: restart.totalMs <= targets.restartMs && result.loadErrors.length === 0,
    },
    {
      id: 'b', measurement: 'Same starts from the TypeScript sources (type stripping: tests, development)',
      result: `empty caches ${ms(sources.coldStartMedian.totalMs)} (CPU ${ms(sources.coldStartMedian.cpuMs)}, RSS ${megabytes(sources.coldStartMedian.rssBytes)}) · restart ${ms(sources.restartMedian.totalMs)} (CPU ${ms(sources.restartMedian.cpuMs)}, RSS ${megabytes(sources.restartMedian.rssBytes)})`,
      target: '(not shipped)',
    },
    { id: 'c', measurement: `tools/list, ${result.tools} tools (SDK client)`, result: latency({ name: 'list', summary: result.listViaSdk, failures: 0 }), target: `≤ ${targets.listMs} ms`, ok: result.listViaSdk.p50 <= targets.listMs },
    {
      id: 'c', measurement: `tools/list, ${result.tools} tools (raw POST, ${Math.round(result.listBytes / 1024)} KiB)`, result: latency({ name: 'raw', summary: result.listRaw, failures: 0 }),
      target: `≤ ${targets.listMs} ms (server + wire)`, ok: result.listRaw.p50 <= targets.listMs,
    },
    {
      id: 'd', measurement: 'RSS right after the first tools/list (child)',
      result: `empty caches ${megabytes(cold.rssBytes)} (V8 heap in use ${megabytes(cold.heapUsedBytes)}; runs: ${rss(result.coldStarts)}) · restart ${megabytes(restart.rssBytes)} (heap ${megabytes(restart.heapUsedBytes)}; runs: ${rss(result.restarts)})`,
      target: '(context)',
    },
    {
      id: 'd', measurement: `RSS after load: ${result.idle.coldStarts.length} more children left idle ${idleRssWaitSeconds} s after their first tools/list (the app has handed back start-up's garbage)`,
      result: `empty caches ${idleRss(result.idle.coldStarts)} · restart ${idleRss(result.idle.restarts)}`,
      target: `≤ ${megabytes(targets.rssBytes)}`, ok: [...result.idle.coldStarts, ...result.idle.restarts].every((run) => run.rssBytes <= targets.rssBytes),
    },
  ];
}

function brokerRows(result: BrokerResult): Row[] {
  const perThousand = (result.exchanges * 1000) / result.exchangeToolCalls;
  const overhead = result.exchange.summary.p50 - result.none.summary.p50;
  return [
    { id: 'e', measurement: 'Gateway tool call, API with token strategy `none`', result: latency(result.none), target: 'baseline' },
    { id: 'e', measurement: 'Same, strategy `exchange`, token cached', result: `${latency(result.exchange, result.none)} · Δp50 ${overhead >= 0 ? '+' : ''}${ms(overhead)}`, target: 'broker overhead' },
    { id: 'e', measurement: 'Broker `tokenFor` with a cached token', result: `${result.tokenForMicros.toFixed(1)} µs per call`, target: '' },
    {
      id: 'e', measurement: `Token exchanges per 1000 calls (token lifetime ${result.tokenLifetimeSeconds} s)`,
      result: `${perThousand.toFixed(0)} (${result.exchanges} in ${result.exchangeToolCalls} calls${result.exchange.failures > 0 ? `, ${result.exchange.failures} failed` : ''})`,
      target: '1 per API per token lifetime', ok: result.exchanges === 1 && result.exchange.failures === 0,
    },
  ];
}

await main();
