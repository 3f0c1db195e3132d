import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../electron/core/store/writeFileAtomic.ts';

let root: string;
beforeEach(async () => { root = await mkdtemp(path.join(tmpdir(), 'atomic-')); });
afterEach(async () => { await rm(root, { recursive: true, force: true }); });

describe('writeFileAtomic', () => {
  it('creates a user-only folder and a user-only file with the content', async () => {
    const file = path.join(root, 'state', 'clients.json');
    await writeFileAtomic(file, '{"a":1}');
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('replaces an existing file whole and leaves no temp file behind', async () => {
    const file = path.join(root, 'clients.json');
    await writeFile(file, 'old content that is longer than the new one');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect(await readdir(root)).toEqual(['clients.json']);
  });
});
