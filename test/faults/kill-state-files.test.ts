// Fault injection, kill -9 while the app writes a state file (issue 7): a child process writes the file in a loop the
// way the app does (writeFileAtomic, the client registry, the activity log) and is killed with SIGKILL at a random
// moment, again and again. Afterwards the file always parses, holds every write the child reported complete, and
// the app's own reader opens it without setting anything aside.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ActivityLog } from '../../electron/core/activity/ActivityLog.ts';
import { ClientRegistry } from '../../electron/core/clients/ClientRegistry.ts';
import { printFaultTable, recordOutcome } from './helpers/faultTable.ts';

const rounds = 5;
const writer = path.join(import.meta.dirname, 'helpers', 'stateWriter.ts');
const scratch = await mkdtemp(path.join(tmpdir(), 'faults-kill-'));
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  printFaultTable('Fault injection: kill -9 during state writes');
});

/** Runs the writer until it has reported at least one complete write, kills it with SIGKILL, returns what it reported. */
async function killWhileWriting(mode: string, file: string, round: number): Promise<string[]> {
  const child = spawn(process.execPath, [writer, mode, file, String(round)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const saved: string[] = [];
  let buffered = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('saved ')) saved.push(line.slice('saved '.length));
      if (saved.length > 0) resolve();
    });
    child.once('exit', (code) => reject(new Error(`writer ${mode} exited early with ${code}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  return saved;
}

async function leftovers(dir: string): Promise<{ temp: number; asideOrBroken: string[] }> {
  const names = await readdir(dir);
  return { temp: names.filter((name) => name.endsWith('.tmp')).length, asideOrBroken: names.filter((name) => name.includes('unreadable') || name.includes('corrupt')) };
}

describe('fault injection: kill -9 during state writes', () => {
  it('writeFileAtomic: after every kill the file parses and holds the last complete write or a later one', async () => {
    const dir = await mkdtemp(path.join(scratch, 'atomic-'));
    const file = path.join(dir, 'state.json');
    for (let round = 0; round < rounds; round += 1) {
      const saved = await killWhileWriting('atomic', file, round);
      const { marker } = JSON.parse(await readFile(file, 'utf8')) as { marker: string };
      const [fileRound, fileN] = marker.split('-').map(Number) as [number, number];
      expect(fileRound).toBe(round);
      expect(fileN).toBeGreaterThanOrEqual(Number(saved.at(-1)!.split('-')[1]));
    }
    const { temp } = await leftovers(dir);
    recordOutcome('kill -9 during writeFileAtomic', `${rounds} kills: file always whole, last complete write kept; ${temp} stale .tmp file(s) left`);
  });

  it('client registry (clients.json): every reported write survives, the registry opens without setting the file aside', async () => {
    const dir = await mkdtemp(path.join(scratch, 'registry-'));
    const file = path.join(dir, 'clients.json');
    const confirmed: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      confirmed.push(...(await killWhileWriting('registry', file, round)));
      const registry = await ClientRegistry.open({ file });
      const keys = new Set(Object.keys(registry.state.oauth));
      registry.close();
      expect(confirmed.filter((marker) => !keys.has(`fault:${marker}`))).toEqual([]);
    }
    const { temp, asideOrBroken } = await leftovers(dir);
    expect(asideOrBroken).toEqual([]);
    recordOutcome('kill -9 during client registry write', `${rounds} kills, ${confirmed.length} writes: none lost, never set aside; ${temp} stale .tmp file(s)`);
  });

  it('activity log (activity.json): every flushed entry survives, the log opens without a problem', async () => {
    const dir = await mkdtemp(path.join(scratch, 'activity-'));
    const file = path.join(dir, 'activity.json');
    const confirmed: string[] = [];
    for (let round = 0; round < rounds; round += 1) {
      confirmed.push(...(await killWhileWriting('activity', file, round)));
      const { log, problem } = await ActivityLog.open({ file });
      expect(problem).toBeUndefined();
      const tools = new Set(log.list({ limit: 10_000 }).map((entry) => entry.tool));
      await log.close();
      expect(confirmed.filter((marker) => !tools.has(marker))).toEqual([]);
    }
    const { temp, asideOrBroken } = await leftovers(dir);
    expect(asideOrBroken).toEqual([]);
    recordOutcome('kill -9 during activity log write', `${rounds} kills, ${confirmed.length} entries: none lost, no problem on open; ${temp} stale .tmp file(s)`);
  });
});
