import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../electron/core/errors.ts';
import { keytarSecretStore } from '../../electron/core/secrets/keytarSecretStore.ts';
import type { KeytarModule } from '../../electron/core/secrets/keytarSecretStore.ts';
import { osSecretStore } from '../../electron/core/secrets/osSecretStore.ts';
import {
  deleteKeychainItem,
  findSecretsInFiles,
  keychainAccounts,
  keychainSkipReason,
  listFiles,
  readKeychainItem,
  writeKeychainItem,
} from '../helpers/keychain.ts';

const run = promisify(execFile);
const storeModule = path.resolve(import.meta.dirname, '../../electron/core/secrets/keytarSecretStore.ts');
const secret = `refresh-${randomUUID()}`;

/** Tries set, get and delete in a separate Node process and prints each outcome as JSON (never the value read). */
const childScript = `
import { keytarSecretStore } from ${JSON.stringify(storeModule)};
const store = keytarSecretStore({ service: 'dev.graphql-mcp-desktop.security-e', timeoutMs: 1500 });
const outcome = {};
for (const [name, call] of [['set', () => store.set('acct', process.env.TEST_SECRET)], ['get', () => store.get('acct')], ['delete', () => store.delete('acct')]]) {
  try { const value = await call(); outcome[name] = { ok: true, value: typeof value === 'string' ? 'a string' : value }; }
  catch (error) { outcome[name] = { ok: false, code: error.code, message: error.message }; }
}
console.log(JSON.stringify(outcome));
// A hung keytar call holds a libuv pool thread and would keep the process alive; an app quits explicitly too.
process.exit(0);
`;

interface Outcome {
  ok: boolean;
  value?: unknown;
  code?: string;
  message?: string;
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'security-e-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the child with a clean environment: a throwaway HOME and XDG dirs, no display, only what `env` adds. */
async function runChild(name: string, env: Record<string, string>, wrapper: string[] = [], createDirs = false) {
  const home = path.join(scratch, name);
  if (createDirs) await Promise.all(['data', 'config', 'cache'].map((dir) => mkdir(path.join(home, dir), { recursive: true })));
  const scriptFile = path.join(scratch, `${name}.mjs`);
  await writeFile(scriptFile, childScript);
  const childEnv = {
    PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    TEST_SECRET: secret,
    ...env,
  };
  const command = [...wrapper, process.execPath, scriptFile];
  const { stdout, stderr } = await run(command[0]!, command.slice(1), { env: childEnv, cwd: scratch, timeout: 20_000 });
  const lines = stdout.trim().split('\n');
  return { outcome: JSON.parse(lines.at(-1)!) as Record<'set' | 'get' | 'delete', Outcome>, output: stdout + stderr, home };
}

async function hasKeyringTools(): Promise<boolean> {
  return run('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon']).then(() => true, () => false);
}

describe('E1 no Secret Service or no D-Bus', () => {
  it.each([
    ['unset', {}],
    ['pointing nowhere', { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(tmpdir(), 'no-such-bus')}` }],
  ])('E1: rejects every call with a clear SECRETS_UNAVAILABLE when DBUS_SESSION_BUS_ADDRESS is %s, writing nothing', async (label, env) => {
    const { outcome, output, home } = await runChild(`e1-${label.replace(/\W/g, '')}`, env);
    for (const result of Object.values(outcome)) {
      expect(result).toEqual({
        ok: false,
        code: 'SECRETS_UNAVAILABLE',
        message: 'keychain unavailable: no D-Bus session bus (start the app inside a desktop session with a Secret Service such as GNOME Keyring)',
      });
    }
    expect(output).not.toContain(secret);
    // No plaintext or file fallback: nothing anywhere under the child's home or working directory.
    expect(await listFiles(home)).toEqual([]);
    expect(await findSecretsInFiles([scratch], [secret])).toEqual([]);
  });
});

describe('E2 locked collection, or a call that never settles', () => {
  it('E2: a keychain call that never settles rejects after the timeout, and later calls fail at once instead of hanging', async () => {
    const never = () => new Promise<never>(() => {});
    const hanging: KeytarModule = { getPassword: never, setPassword: never, deletePassword: never };
    const store = keytarSecretStore({ keytar: hanging, timeoutMs: 100 });
    const started = performance.now();
    const results = await Promise.allSettled([store.get('a'), store.set('a', secret), store.delete('a')]);
    expect(performance.now() - started).toBeLessThan(2000);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as unknown;
      expect(AppError.is(reason, 'SECRETS_UNAVAILABLE')).toBe(true);
      expect((reason as AppError).message).toMatch(/no answer within 100 ms/);
      expect(JSON.stringify(reason)).not.toContain(secret);
    }
    // Still usable: the next call answers at once instead of parking another thread behind the hung ones.
    const next = performance.now();
    await expect(store.get('b')).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      message: expect.stringMatching(/an earlier keychain call has not answered yet/),
    });
    expect(performance.now() - next).toBeLessThan(50);
  });

  it('E2: a keyring that is not unlocked (no display for a prompt) refuses to store, reads nothing, exits cleanly', async (context) => {
    if (!(await hasKeyringTools())) context.skip('dbus-run-session or gnome-keyring-daemon missing (Debian packages dbus, gnome-keyring)');
    const { outcome, output, home } = await runChild('e2-locked', {}, ['dbus-run-session', '--'], true);
    expect(outcome.set).toEqual({
      ok: false,
      code: 'SECRETS_UNAVAILABLE',
      message: 'keychain unavailable: the keyring is locked or has no default collection',
    });
    expect(outcome.get).toEqual({ ok: true, value: null });
    expect(outcome.delete).toEqual({ ok: true, value: false });
    expect(output).not.toContain(secret);
    expect(await findSecretsInFiles([home, scratch], [secret])).toEqual([]);
  });
});

const unavailable = await keychainSkipReason();

describe.skipIf(unavailable)('E4 another app\'s entry', () => {
  const ours = `dev.graphql-mcp-desktop.test-${randomUUID()}`;
  const theirs = `com.example.other-app-${randomUUID()}`;
  const account = 'https://idp.example|graphql-mcp-desktop';

  afterAll(async () => {
    await deleteKeychainItem(ours, account);
    await deleteKeychainItem(theirs, account);
  });

  it('E4: an entry under another service with the same account is neither read, overwritten nor deleted', async () => {
    await writeKeychainItem(theirs, account, 'their-value');
    const store = keytarSecretStore({ service: ours });
    expect(await store.get(account)).toBeNull();
    expect(await store.delete(account)).toBe(false);
    await store.set(account, 'our-value');
    expect(await readKeychainItem(theirs, account)).toBe('their-value');
    expect(await store.get(account)).toBe('our-value');
    expect(await store.delete(account)).toBe(true);
    expect(await readKeychainItem(theirs, account)).toBe('their-value');
  });

  it('E4: under the same service, an account for another issuer is a different entry', async () => {
    const store = keytarSecretStore({ service: ours });
    await store.set(account, 'ours');
    expect(await store.get('https://other-idp.example|graphql-mcp-desktop')).toBeNull();
    await store.delete(account);
  });
});

describe.skipIf(unavailable)('helpers for E3, E5 and E7', () => {
  const service = `dev.graphql-mcp-desktop.test-${randomUUID()}`;

  it('E3 helper: writeKeychainItem plants a raw value the app store then reads as is', async () => {
    await writeKeychainItem(service, 'acct', 'not json {');
    expect(await keytarSecretStore({ service }).get('acct')).toBe('not json {');
    await deleteKeychainItem(service, 'acct');
  });

  it('E5 helper: keychainAccounts lists accounts under a service, and nothing after delete', async () => {
    const store = keytarSecretStore({ service });
    await store.set('a1', secret);
    expect(await keychainAccounts(service)).toEqual(['a1']);
    expect(await store.delete('a1')).toBe(true);
    expect(await store.delete('a1')).toBe(false);
    expect(await keychainAccounts(service)).toEqual([]);
  });

  it('E7 helper: findSecretsInFiles reports the file and the index of the secret, not the secret', async () => {
    const dir = path.join(scratch, 'e7');
    await run('mkdir', ['-p', path.join(dir, 'logs')]);
    await writeFile(path.join(dir, 'logs', 'app.log'), `line with ${secret} inside`);
    await writeFile(path.join(dir, 'config.json'), '{"clean":true}');
    expect(await findSecretsInFiles([dir, path.join(scratch, 'missing')], ['unused', secret])).toEqual([
      { file: path.join(dir, 'logs', 'app.log'), secret: 1 },
    ]);
  });
});

// Issue 7, item 10: where keytar was not built, @napi-rs/keyring (prebuilt) is the keychain; it must behave the same.
const withoutKeytar = () => Promise.reject(new Error("Cannot find package 'keytar'"));

describe('E1 prebuilt backend: no silent keyutils fallback', () => {
  it('E1: with keytar absent, every call rejects with the same SECRETS_UNAVAILABLE when no D-Bus bus is reachable', async () => {
    // In a child: @napi-rs/keyring keeps its first D-Bus connection (or failure) for the life of the process.
    const script = `import { osSecretStore } from ${JSON.stringify(path.resolve(import.meta.dirname, '../../electron/core/secrets/osSecretStore.ts'))};
const store = osSecretStore({ service: 'dev.graphql-mcp-desktop.security-e1', loadKeytar: () => Promise.reject(new Error('absent')) });
const out = [];
for (const call of [() => store.set('acct', process.env.TEST_SECRET), () => store.get('acct'), () => store.delete('acct')]) {
  out.push(await call().then(() => ({ ok: true }), (error) => ({ code: error.code, message: error.message })));
}
console.log(JSON.stringify(out));`;
    const home = path.join(scratch, 'e1-prebuilt');
    await mkdir(home, { recursive: true });
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: { PATH: process.env.PATH, HOME: home, TEST_SECRET: secret, DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(tmpdir(), 'no-such-bus')}` }, timeout: 20_000,
    });
    // Unpinned, @napi-rs/keyring would fall back to the kernel keyutils store instead of failing.
    const expected = { code: 'SECRETS_UNAVAILABLE', message: 'keychain unavailable: no D-Bus session bus (start the app inside a desktop session with a Secret Service such as GNOME Keyring)' };
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual([expected, expected, expected]);
    expect(stdout).not.toContain(secret);
    expect(await listFiles(home)).toEqual([]);
  });
});

describe.skipIf(unavailable)('E8 switching keytar ↔ @napi-rs/keyring', () => {
  const service = `dev.graphql-mcp-desktop.test-${randomUUID()}`;
  const account = 'https://idp.example|graphql-mcp-desktop';
  const prebuiltItem = async () => new (await import('@napi-rs/keyring')).AsyncEntry(service, account, { linux: { store: 'secret-service' } }).getPassword();

  afterAll(async () => {
    await osSecretStore({ service }).delete(account);
  });

  it('E8: the prebuilt backend stores in the Secret Service: get, set, delete, and false when there is nothing', async () => {
    const store = osSecretStore({ service, loadKeytar: withoutKeytar });
    expect(await store.get(account)).toBeNull();
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    expect(await keychainAccounts(service)).toEqual([account]);
    expect(await store.delete(account)).toBe(true);
    expect(await store.delete(account)).toBe(false);
    expect(await keychainAccounts(service)).toEqual([]);
  });

  it('E8: a grant stored by the prebuilt backend moves once into keytar\'s item when keytar loads, and the old item is deleted', async () => {
    await osSecretStore({ service, loadKeytar: withoutKeytar }).set(account, secret);
    expect(await readKeychainItem(service, account)).toBeNull(); // keytar cannot see it: `username`, not `account`
    const store = osSecretStore({ service });
    expect(await store.get(account)).toBe(secret);
    expect(await readKeychainItem(service, account)).toBe(secret);
    expect(await prebuiltItem()).toBeNull();
    expect(await keychainAccounts(service)).toEqual([account]); // exactly one item left
    expect(await osSecretStore({ service }).get(account)).toBe(secret);
  });

  it('E8: sign-out deletes the item of either backend, so none is left behind', async () => {
    await osSecretStore({ service, loadKeytar: withoutKeytar }).set(account, 'stray');
    await writeKeychainItem(service, account, secret);
    expect(await keychainAccounts(service)).toEqual([account, account]);
    expect(await osSecretStore({ service }).delete(account)).toBe(true);
    expect(await keychainAccounts(service)).toEqual([]);
    expect(await prebuiltItem()).toBeNull();
  });
});
