import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ActivityLog, type NewActivityEntry } from '../../../electron/core/activity/ActivityLog.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));
const tempFile = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gmd-activity-'));
  dirs.push(dir);
  return path.join(dir, 'data', 'activity.jsonl');
};

const entry = (overrides: Partial<NewActivityEntry> = {}): NewActivityEntry => ({
  at: Date.UTC(2026, 0, 1), clientId: 'c1', clientName: 'Claude', tool: 'ListProjects', api: 'tasks', durationMs: 12, outcome: 'ok', ...overrides,
});

describe('ActivityLog', () => {
  it('lists newest first with ids and ISO times, filtered by client, tool and outcome', async () => {
    const { log } = await ActivityLog.open({});
    log.append(entry());
    log.append(entry({ clientId: 'c2', outcome: 'error', error: 'boom' }));
    log.append(entry({ tool: 'CreateTask', outcome: 'denied', error: 'needs tools:write' }));
    expect(log.list().map((view) => view.id)).toEqual([3, 2, 1]);
    expect(log.list()[2]).toEqual({ id: 1, at: '2026-01-01T00:00:00.000Z', clientId: 'c1', clientName: 'Claude', tool: 'ListProjects', api: 'tasks', durationMs: 12, outcome: 'ok' });
    expect(log.list({ clientId: 'c2' }).map((view) => view.id)).toEqual([2]);
    expect(log.list({ tool: 'CreateTask' }).map((view) => view.outcome)).toEqual(['denied']);
    expect(log.list({ outcome: 'ok', limit: 1 })).toHaveLength(1);
  });

  it('keeps only the last maxEntries calls when more are appended', async () => {
    const { log } = await ActivityLog.open({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) log.append(entry({ tool: `t${i}` }));
    expect(log.list({ limit: 100 }).map((view) => view.tool)).toEqual(['t4', 't3', 't2']);
  });

  it('counts calls and errors (refusals included) per client with the last call time', async () => {
    const { log } = await ActivityLog.open({});
    log.append(entry({ at: 1 }));
    log.append(entry({ at: 2, outcome: 'denied' }));
    log.append(entry({ at: 3, clientId: 'c2', outcome: 'error' }));
    expect(Object.fromEntries(log.stats())).toEqual({ c1: { calls: 2, errors: 1, lastActivityAt: 2 }, c2: { calls: 1, errors: 1, lastActivityAt: 3 } });
  });

  it('keeps the per-client counts exact while the oldest calls are dropped, and across a restart', async () => {
    const file = tempFile();
    const { log } = await ActivityLog.open({ file, maxEntries: 100 });
    const outcomes = ['ok', 'error', 'denied'] as const;
    for (let i = 0; i < 1000; i++) log.append(entry({ at: i, clientId: `c${(i * 7) % 5}`, outcome: outcomes[(i * 11) % 3] }));
    const kept = log.list({ limit: 1000 });
    expect(kept.map((view) => view.id)).toEqual(Array.from({ length: 100 }, (_, i) => 1000 - i));
    const counted = new Map<string, { calls: number; errors: number; lastActivityAt?: number }>();
    for (const view of [...kept].reverse()) {
      const current = counted.get(view.clientId) ?? { calls: 0, errors: 0 };
      counted.set(view.clientId, { calls: current.calls + 1, errors: current.errors + (view.outcome === 'ok' ? 0 : 1), lastActivityAt: Date.parse(view.at) });
    }
    expect(log.stats()).toEqual(counted);
    await log.close();
    const reopened = (await ActivityLog.open({ file, maxEntries: 100 })).log;
    expect(reopened.stats()).toEqual(counted);
    expect(reopened.list({ limit: 1000 })).toEqual(kept);
  });

  it('drops a client from the counts once none of its calls is kept', async () => {
    const { log } = await ActivityLog.open({ maxEntries: 2 });
    log.append(entry({ clientId: 'gone', outcome: 'error' }));
    log.append(entry({ clientId: 'c1' }));
    log.append(entry({ clientId: 'c1' }));
    expect([...log.stats().keys()]).toEqual(['c1']);
  });

  it('tells listeners about each appended call', async () => {
    const { log } = await ActivityLog.open({});
    const seen: number[] = [];
    const stop = log.onAppended((view) => seen.push(view.id));
    log.append(entry());
    stop();
    log.append(entry());
    expect(seen).toEqual([1]);
  });

  it('persists to a user-only file and continues ids after a restart', async () => {
    const file = tempFile();
    const first = await ActivityLog.open({ file, writeDelayMs: 10_000 });
    first.log.append(entry());
    first.log.append(entry({ outcome: 'error', error: 'x' }));
    await first.log.close(); // writes what the delay still held
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = await ActivityLog.open({ file });
    expect(second.problem).toBeUndefined();
    expect(second.log.list().map((view) => view.outcome)).toEqual(['error', 'ok']);
    expect(second.log.append(entry())).toBe(3);
    await second.log.close();
  });

  it('writes a burst of appends once, after writeDelayMs', async () => {
    const file = tempFile();
    const { log } = await ActivityLog.open({ file, writeDelayMs: 50 });
    for (let i = 0; i < 20; i++) log.append(entry());
    expect(existsSync(file)).toBe(false);
    await expect.poll(() => existsSync(file)).toBe(true);
    await expect.poll(() => readFileSync(file, 'utf8').split('\n').filter(Boolean).length).toBe(20);
    await log.close();
  });

  it('never stores arguments or results: only the fields of an entry reach the file', async () => {
    const file = tempFile();
    const { log } = await ActivityLog.open({ file });
    log.append({ ...entry(), arguments: { secret: 'hunter2' }, result: 'data' } as NewActivityEntry);
    await log.close();
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!)).sort()).toEqual(['api', 'at', 'clientId', 'clientName', 'durationMs', 'id', 'outcome', 'tool']);
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
  });

  it('sets a corrupt file aside and starts empty, reporting it, instead of failing', async () => {
    const file = tempFile();
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"id":1,"at":1}\nnot json\n{"id":3,"at":1}\n');
    const { log, problem } = await ActivityLog.open({ file });
    expect(problem).toMatch(/could not be read; it was moved to .*activity\.jsonl\.corrupt-\d+/);
    expect(log.list()).toEqual([]);
    expect(readdirSync(path.dirname(file)).some((name) => name.startsWith('activity.jsonl.corrupt-'))).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('appends new calls to the file and rewrites it with only the kept entries once it holds twice the bound', async () => {
    const file = tempFile();
    const { log } = await ActivityLog.open({ file, maxEntries: 3 });
    const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line).tool);
    for (const tool of ['a', 'b', 'c', 'd']) {
      log.append(entry({ tool }));
      await log.flush();
    }
    expect(lines()).toEqual(['a', 'b', 'c', 'd']); // appended, one line per call
    for (const tool of ['e', 'f', 'g']) {
      log.append(entry({ tool }));
      await log.flush();
    }
    expect(lines()).toEqual(['e', 'f', 'g']); // 7 lines would pass 2 x 3: compacted to the kept three
    await log.close();
    expect((await ActivityLog.open({ file, maxEntries: 3 })).log.list().map((view) => view.tool)).toEqual(['g', 'f', 'e']);
  });

  it('loads only the calls it keeps from a file that holds more, and still rewrites the file at twice the bound', async () => {
    const file = tempFile();
    mkdirSync(path.dirname(file), { recursive: true });
    const line = (id: number) => JSON.stringify({ id, ...entry({ tool: `t${id}` }) });
    // An older line the log no longer keeps is not even parsed: a broken one there does not cost the kept ones.
    writeFileSync(file, ['not json', ...[1, 2, 3, 4, 5, 6].map(line)].join('\n') + '\n');
    const { log, problem } = await ActivityLog.open({ file, maxEntries: 3 });
    expect(problem).toBeUndefined();
    expect(log.list().map((view) => view.tool)).toEqual(['t6', 't5', 't4']);
    log.append(entry({ tool: 't7' })); // 7 lines + 1 > 2 x 3: the file is rewritten with the kept three
    await log.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((text) => JSON.parse(text).tool)).toEqual(['t5', 't6', 't7']);
  });

  it('drops a last line cut by a crash and keeps the rest, then writes cleanly after it', async () => {
    const file = tempFile();
    const first = await ActivityLog.open({ file });
    first.log.append(entry({ tool: 'kept' }));
    await first.log.close();
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"id":2,"at":1,"clientId":"c`);
    const { log, problem } = await ActivityLog.open({ file });
    expect(problem).toBeUndefined();
    expect(log.list().map((view) => view.tool)).toEqual(['kept']);
    log.append(entry({ tool: 'next' }));
    await log.close();
    expect((await ActivityLog.open({ file })).log.list().map((view) => view.tool)).toEqual(['next', 'kept']);
  });

  it('leaves a readable file when the process is killed with SIGKILL while writing', async () => {
    const file = tempFile();
    const script = `
      import { ActivityLog } from ${JSON.stringify(path.resolve('electron/core/activity/ActivityLog.ts'))};
      const { log } = await ActivityLog.open({ file: ${JSON.stringify(file)}, writeDelayMs: 0 });
      let i = 0;
      setInterval(() => { for (let k = 0; k < 200; k++) log.append({ at: i, clientId: 'c', clientName: 'n', tool: 't' + i++, durationMs: 1, outcome: 'ok' }); if (i === 2000) process.stdout.write('ready'); }, 1);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const { log, problem } = await ActivityLog.open({ file });
    expect(problem).toBeUndefined();
    expect(log.list({ limit: 1 })[0]?.tool).toMatch(/^t\d+$/);
  });
});
