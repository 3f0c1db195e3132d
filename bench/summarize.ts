import { ownCpuMs, processCpuMs } from './processCpu.ts';

/** Latency summary of one measured series, in milliseconds. */
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  mean: number;
}

/** Nearest-rank percentile of sorted samples (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean };
}

/** A named series measured by `measureInterleaved`. */
export interface Contender {
  name: string;
  /** One call; resolves false when the call failed (counted, still timed). */
  run(): Promise<boolean>;
  /** Processes that serve only this contender (its middle hops), whose CPU time per call is reported summed. */
  pids?: (number | undefined)[];
}

export interface ContenderResult {
  name: string;
  summary: Summary;
  failures: number;
  /** CPU ms per call in this process (the client side: fetch or the SDK client), measured around each call. */
  clientCpuMs?: number;
  /** CPU ms per call in the contender's own processes (`pids`), when /proc is available. */
  hopCpuMs?: number;
}

/** Summed CPU ms of `pids`; undefined without pids or when one cannot be read. */
function processesCpuMs(pids: (number | undefined)[] | undefined): number | undefined {
  if (!pids || pids.length === 0) return undefined;
  const each = pids.map((pid) => processCpuMs(pid));
  return each.includes(undefined) ? undefined : each.reduce((sum: number, value) => sum + value!, 0);
}

/**
 * Warms up, then measures every contender `calls` times round-robin (one call each per round), so drift in the
 * machine's load (2 shared cores) hits all of them alike. Bounded: exactly (warmup + calls) rounds.
 */
export async function measureInterleaved(contenders: readonly Contender[], warmup: number, calls: number): Promise<ContenderResult[]> {
  for (let round = 0; round < warmup; round += 1) for (const contender of contenders) await contender.run();
  const samples = contenders.map(() => [] as number[]);
  const failures = contenders.map(() => 0);
  const clientCpu = contenders.map(() => 0);
  const hopCpuBefore = contenders.map((contender) => processesCpuMs(contender.pids));
  for (let round = 0; round < calls; round += 1) {
    for (const [index, contender] of contenders.entries()) {
      const cpu = ownCpuMs();
      const started = performance.now();
      const ok = await contender.run();
      samples[index]!.push(performance.now() - started);
      clientCpu[index]! += ownCpuMs() - cpu;
      if (!ok) failures[index]! += 1;
    }
  }
  return contenders.map((contender, index) => {
    const hopBefore = hopCpuBefore[index];
    const hopAfter = processesCpuMs(contender.pids);
    const hopCpuMs = hopBefore !== undefined && hopAfter !== undefined ? (hopAfter - hopBefore) / calls : undefined;
    return { name: contender.name, summary: summarize(samples[index]!), failures: failures[index]!, clientCpuMs: clientCpu[index]! / calls, hopCpuMs };
  });
}
