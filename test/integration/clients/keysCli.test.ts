import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLocalAuthority, type LocalAuthorityService } from '../../../electron/core/clients/createLocalAuthority.ts';

const run = promisify(execFile);
let home: string;
let dataDir: string;
let app: LocalAuthorityService | undefined;

beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'keys-cli-'));
  dataDir = path.join(home, 'graphql-mcp-desktop');
});
afterEach(async () => {
  await app?.close();
  app = undefined;
  await rm(home, { recursive: true, force: true });
});

/** `npm start -- keys …` as headless mode runs it, with the data folder under a throwaway XDG_CONFIG_HOME. */
async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['electron/core/cli.ts', 'keys', ...args], { env: { ...process.env, XDG_CONFIG_HOME: home } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// Each run starts the CLI as a user would (a few seconds on a busy 2-core machine), hence the generous limit.
describe('npm start -- keys', { timeout: 90_000 }, () => {
  it('creates, lists and revokes keys with no app running; the key is printed once and works in the app', async () => {
    const created = await keys('create', 'ci', '--read-only');
    expect(created.code).toBe(0);
    const key = /^(gmdk_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    const listed = await keys('list');
    expect(listed.stdout).toMatch(/^ci\tread-only /m);
    expect(listed.stdout).not.toContain(key);
    app = await createLocalAuthority({ dataDir });
    expect(await app.authenticate(`Bearer ${key}`, '127.0.0.1')).toMatchObject({ ok: true, principal: { name: 'ci', scopes: ['tools:read'] } });
    expect((await keys('revoke', 'ci')).code).toBe(0);
    expect((await keys('list')).stdout).toBe('No access keys.\n');
  });

  it('changes what a running app accepts within its next re-read of the registry', async () => {
    app = await createLocalAuthority({ dataDir, pollMs: 100 });
    const added = new Promise((resolve) => app!.onClientChanged(resolve));
    const key = /^(gmdk_\S+)$/m.exec((await keys('create', 'deploy bot')).stdout)![1]!;
    await added;
    expect(await app.authenticate(`Bearer ${key}`, '127.0.0.1')).toMatchObject({ ok: true, principal: { name: 'deploy bot', scopes: ['tools:read', 'tools:write'] } });
    const revoked = new Promise((resolve) => app!.onClientChanged(resolve));
    await keys('revoke', 'deploy bot');
    await revoked;
    expect(await app.authenticate(`Bearer ${key}`, '127.0.0.1')).toMatchObject({ ok: false, status: 401 });
  });
});
