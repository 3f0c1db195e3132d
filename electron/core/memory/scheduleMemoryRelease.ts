import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Logger } from '../log/Logger.ts';

/** V8's `gc()` with the options its gc extension takes. */
export type CollectGarbage = (options: { type: 'major'; execution: 'sync'; flavor: 'last-resort' }) => void;

export interface MemoryReleaseOptions {
  logger: Logger;
  /** How long the app must have been quiet, second by second, before the collection (default 10 s). */
  quietForMs?: number;
  /** How often the event loop's busy share is read (default 1 s). */
  checkEveryMs?: number;
  /** Defaults to V8's own, reached without `--expose-gc` on the command line; tests pass a recorder. */
  collectGarbage?: CollectGarbage;
  /** The event loop's busy share (0–1) since the last call; default Node's event-loop utilization. */
  measureBusy?: () => number;
}

export interface MemoryRelease {
  /** Call after a burst of short-lived allocation; the collection follows once the app has been quiet long enough. */
  afterBurst(): void;
  /** Drops a scheduled collection (the core is closing). */
  cancel(): void;
}

/** Under this busy share over a whole check interval, the app is idle enough for the pause. */
const quietUtilization = 0.05;

/**
 * Hands memory back after bursts of short-lived allocation (start-up, building a GraphQL schema and its tools): once
 * the app has been quiet for `quietForMs` after `afterBurst()`, one memory-reducing collection returns to the OS the pages V8
 * and the compiler kept: after GitHub's schema RSS drops from ~140 to ~105 MB, after the demo's from 93 to 79 MB, for
 * one pause of 40-80 ms. Only when quiet, and for a while, like V8's own memory reducer: run during start-up it cost
 * ~125 ms before the first tools/list; run in a one-second lull before the first tool calls, it shrank the young
 * generation only for the calls to grow it straight back (RSS 117 -> 130 MB over the next 9,000 calls). A no-op
 * where V8 refuses to expose its gc.
 */
export function scheduleMemoryRelease(options: MemoryReleaseOptions): MemoryRelease {
  const collectGarbage = options.collectGarbage ?? exposeGc();
  const measureBusy = options.measureBusy ?? createBusyMeter();
  const checkEveryMs = options.checkEveryMs ?? 1000;
  const quietChecksNeeded = Math.max(1, Math.round((options.quietForMs ?? 10_000) / checkEveryMs));
  let timer: NodeJS.Timeout | undefined;
  let quietChecks = 0;
  const arm = () => {
    timer = setTimeout(look, checkEveryMs);
    timer.unref(); // never what keeps the process alive
  };
  const look = () => {
    quietChecks = measureBusy() > quietUtilization ? 0 : quietChecks + 1;
    if (quietChecks < quietChecksNeeded) return arm();
    releaseMemory(collectGarbage!, options.logger);
  };
  return {
    afterBurst: () => {
      if (!collectGarbage) return;
      clearTimeout(timer);
      quietChecks = 0;
      measureBusy(); // the first interval starts now: the burst itself was not quiet
      arm();
    },
    cancel: () => clearTimeout(timer),
  };
}

function createBusyMeter(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

function releaseMemory(collectGarbage: CollectGarbage, logger: Logger): void {
  const before = process.memoryUsage.rss();
  const started = performance.now();
  // "last-resort": full collections until nothing more is freed, compacting, then the page pool is released.
  collectGarbage({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  const megabytes = (bytes: number) => Math.round(bytes / 1048576);
  logger.debug('memory released after a burst of allocation', { rssBeforeMb: megabytes(before), rssAfterMb: megabytes(process.memoryUsage.rss()), ms: Math.round(performance.now() - started) });
}

// The flag is set only long enough to create one context that holds gc(); contexts made later do not get it.
function exposeGc(): CollectGarbage | undefined {
  try {
    v8.setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as CollectGarbage;
  } catch {
    return undefined;
  } finally {
    if (!process.execArgv.includes('--expose-gc')) v8.setFlagsFromString('--no-expose-gc');
  }
}
