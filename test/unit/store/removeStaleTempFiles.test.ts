import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from '../../../electron/core/store/removeStaleTempFiles.ts';

let root: string;
beforeEach(async () => { root = await mkdtemp(path.join(tmpdir(), 'stale-tmp-')); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

async function writeAged(name: string, ageMs: number): Promise<void> {
  await writeFile(path.join(root, name), 'x');
  const at = new Date(Date.now() - ageMs);
  await utimes(path.join(root, name), at, at);
}

describe('removeStaleTempFiles', () => {
  it('removes the temp files a crash left between write and rename, and nothing else', async () => {
    await writeAged('.clients.json.0123456789ab.tmp', 3_600_000);
    await writeAged('.activity.jsonl.abcdef012345.tmp', 120_000);
    await writeAged('clients.json', 3_600_000);
    await writeAged('notes.tmp', 3_600_000);
    await writeAged('.hidden.tmp', 3_600_000);
    const removed = await removeStaleTempFiles(root);
    expect(removed.sort()).toEqual(['.activity.jsonl.abcdef012345.tmp', '.clients.json.0123456789ab.tmp']);
    expect((await readdir(root)).sort()).toEqual(['.hidden.tmp', 'clients.json', 'notes.tmp']);
  });

  it('keeps a temp file young enough to be a write still in progress', async () => {
    await writeAged('.clients.json.0123456789ab.tmp', 5_000);
    expect(await removeStaleTempFiles(root)).toEqual([]);
    expect(await readdir(root)).toEqual(['.clients.json.0123456789ab.tmp']);
  });

  it('answers nothing for a folder that does not exist yet (first start)', async () => {
    expect(await removeStaleTempFiles(path.join(root, 'missing'))).toEqual([]);
  });
});
