import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runKeysCommand } from '../../../electron/core/clients/runKeysCommand.ts';

let dataDir: string;
beforeEach(async () => { dataDir = await mkdtemp(path.join(tmpdir(), 'keys-')); });
afterEach(async () => { await rm(dataDir, { recursive: true, force: true }); });

async function keys(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runKeysCommand(args, { dataDir, out: (text) => { out += text; }, err: (text) => { err += text; } });
  return { code, out, err };
}

describe('runKeysCommand', () => {
  it('prints a new key once, on a line of its own, and lists it without the key', async () => {
    const created = await keys('create', 'ci');
    const key = /^(gmdk_\S+)$/m.exec(created.out)?.[1];
    expect(created.code).toBe(0);
    expect(key).toBeDefined();
    const listed = await keys('list');
    expect(listed.out).toMatch(/^ci\tread-write\tcreated \d{4}-/);
    expect(listed.out).not.toContain(key);
  });

  it('says what is wrong: a duplicate name, an unknown key, a bad command', async () => {
    await keys('create', 'dup');
    expect(await keys('create', 'dup')).toMatchObject({ code: 1, err: 'An access key named "dup" already exists.\n' });
    expect(await keys('revoke', 'nobody')).toMatchObject({ code: 1, err: 'No access key is named "nobody".\n' });
    for (const args of [['delete', 'x'], ['create'], ['list', 'x'], ['revoke', 'dup', '--read-only'], []]) expect((await keys(...args)).code, args.join(' ')).toBe(2);
  });
});
