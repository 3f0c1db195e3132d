import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { keytarSecretStore } from '../../electron/core/secrets/keytarSecretStore.ts';
import type { KeytarModule } from '../../electron/core/secrets/keytarSecretStore.ts';

const run = promisify(execFile);
const probeService = 'dev.graphql-mcp-desktop.test-probe';
const hint = 'run the tests through scripts/with-keychain.sh';

let availability: Promise<string | undefined> | undefined;

/**
 * Resolves undefined when the real OS keychain can store, read and delete an item, else the reason it cannot.
 * Tests that need it use `it.skipIf(reason)` and print the reason; under `scripts/with-keychain.sh` it is usable.
 */
export function keychainAvailable(): Promise<string | undefined> {
  availability ??= probeKeychain();
  return availability;
}

async function probeKeychain(): Promise<string | undefined> {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) return `no D-Bus session bus; ${hint}`;
  const store = keytarSecretStore({ service: probeService, timeoutMs: 3000 });
  const account = `probe-${process.pid}-${Date.now()}`;
  try {
    await store.set(account, 'probe');
    const value = await store.get(account);
    await store.delete(account);
    return value === 'probe' ? undefined : 'the keychain did not return what was stored';
  } catch (error) {
    return `${error instanceof Error ? error.message : String(error)}; ${hint}`;
  }
}

/** Prints why keychain tests are skipped (vitest shows console output), and returns the reason. */
export async function keychainSkipReason(): Promise<string | undefined> {
  const reason = await keychainAvailable();
  if (reason) console.warn(`[keychain tests skipped] ${reason}`);
  return reason;
}

async function loadKeytar(): Promise<KeytarModule> {
  const imported = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
  return imported.default ?? imported;
}

/**
 * Writes an item straight into the keychain, bypassing the app: another app's entry (E4) or a corrupted or
 * foreign value under the app's own service (E3).
 */
export async function writeKeychainItem(service: string, account: string, value: string): Promise<void> {
  await (await loadKeytar()).setPassword(service, account, value);
}

/** Reads an item straight from the keychain, bypassing the app. */
export async function readKeychainItem(service: string, account: string): Promise<string | null> {
  return (await loadKeytar()).getPassword(service, account);
}

/** Deletes an item straight from the keychain (test cleanup); false when there was none. */
export async function deleteKeychainItem(service: string, account: string): Promise<boolean> {
  return (await loadKeytar()).deletePassword(service, account);
}

/**
 * The accounts stored under `service`, as `secret-tool search --all` sees them (Linux, libsecret-tools).
 * Values are never returned, so a test that prints the result leaks nothing (E5: nothing left after logout).
 */
export async function keychainAccounts(service: string): Promise<string[]> {
  const { stdout, stderr } = await run('secret-tool', ['search', '--all', 'service', service], { timeout: 5000 });
  // keytar's items carry `account`, @napi-rs/keyring's (the prebuilt backend) `username`: both count.
  const accounts = `${stdout}\n${stderr}`.split('\n').flatMap((line) => /^attribute\.(?:account|username) = (.*)$/.exec(line)?.[1] ?? []);
  return accounts.sort();
}

export interface SecretHit {
  file: string;
  /** Index into the `secrets` argument; the secret itself is never repeated. */
  secret: number;
}

/**
 * E7: every file under `roots` (app data, config, logs) that contains any of `secrets` as bytes. Reads files
 * whole; meant for test scratch directories, not whole disks.
 */
export async function findSecretsInFiles(roots: string[], secrets: string[]): Promise<SecretHit[]> {
  const needles = secrets.filter((secret) => secret.length > 0).map((secret) => Buffer.from(secret));
  const hits: SecretHit[] = [];
  for (const file of (await Promise.all(roots.map(listFiles))).flat()) {
    const content = await readFile(file).catch(() => Buffer.alloc(0));
    needles.forEach((needle, secret) => {
      if (content.includes(needle)) hits.push({ file, secret });
    });
  }
  return hits;
}

/** All regular files below `root` (none when it does not exist). */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}
