import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../electron/core/log/Logger.ts';
import { scheduleMemoryRelease, type CollectGarbage } from '../../../electron/core/memory/scheduleMemoryRelease.ts';

const recordingLogger = (lines: string[]): Logger => ({ error() {}, warn() {}, info() {}, debug: (message) => void lines.push(message) });

afterEach(() => vi.useRealTimers());

describe('scheduleMemoryRelease', () => {
  it('waits until the app has been quiet for the whole period after the last burst, then runs one memory-reducing collection', async () => {
    vi.useFakeTimers();
    const collections: Parameters<CollectGarbage>[0][] = [];
    // Busy shares the event loop reports, one per look (each burst's first call only starts the interval).
    const busy = [0, 0.4, 0, 0, 0.3, 0, 0, 0, 0];
    const { afterBurst: burst } = scheduleMemoryRelease({
      logger: recordingLogger([]), quietForMs: 3000, checkEveryMs: 1000, collectGarbage: (options) => void collections.push(options), measureBusy: () => busy.shift() ?? 0,
    });
    burst();
    await vi.advanceTimersByTimeAsync(4000); // busy, quiet, quiet, busy: the quiet count starts over
    expect(collections).toEqual([]);
    burst(); // a hot reload: the wait starts again
    await vi.advanceTimersByTimeAsync(2999);
    expect(collections).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(collections).toEqual([{ type: 'major', execution: 'sync', flavor: 'last-resort' }]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(collections).toHaveLength(1); // once per burst, not forever
  });

  it('collects nothing once cancelled (the core closed)', async () => {
    vi.useFakeTimers();
    let collections = 0;
    const release = scheduleMemoryRelease({ logger: recordingLogger([]), quietForMs: 1000, checkEveryMs: 1000, collectGarbage: () => void (collections += 1), measureBusy: () => 0 });
    release.afterBurst();
    release.cancel();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(collections).toBe(0);
  });

  it('reaches V8\'s own gc without --expose-gc on the command line, and leaves later contexts without gc()', async () => {
    expect(process.execArgv).not.toContain('--expose-gc');
    const lines: string[] = [];
    scheduleMemoryRelease({ logger: recordingLogger(lines), quietForMs: 10, checkEveryMs: 10, measureBusy: () => 0 }).afterBurst();
    await vi.waitFor(() => expect(lines).toEqual(['memory released after a burst of allocation']));
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });
});
