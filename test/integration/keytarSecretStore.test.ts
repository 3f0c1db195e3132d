import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { keytarSecretStore } from '../../electron/core/secrets/keytarSecretStore.ts';
import { deleteKeychainItem, keychainAccounts, keychainSkipReason, readKeychainItem } from '../helpers/keychain.ts';

// Runs against the real OS keychain; `scripts/with-keychain.sh` provides an unlocked throwaway gnome-keyring.
const unavailable = await keychainSkipReason();
const service = `dev.graphql-mcp-desktop.test-${randomUUID()}`;
const created: string[] = [];

afterEach(async () => {
  if (unavailable) return;
  await Promise.all(created.splice(0).map((account) => deleteKeychainItem(service, account)));
});

function account(name: string): string {
  created.push(name);
  return name;
}

describe.skipIf(unavailable)('keytarSecretStore (real keychain)', () => {
  it('stores, reads, overwrites and deletes a value', async () => {
    const store = keytarSecretStore({ service });
    const key = account('https://idp.example|graphql-mcp-desktop');
    expect(await store.get(key)).toBeNull();
    await store.set(key, 'refresh-1');
    expect(await store.get(key)).toBe('refresh-1');
    await store.set(key, 'refresh-2');
    expect(await store.get(key)).toBe('refresh-2');
    expect(await store.delete(key)).toBe(true);
    expect(await store.get(key)).toBeNull();
  });

  it('returns false when deleting an item that does not exist', async () => {
    const store = keytarSecretStore({ service });
    expect(await store.delete(account('never-stored'))).toBe(false);
  });

  it('writes an item that secret-tool finds under the service and account', async () => {
    const store = keytarSecretStore({ service });
    const key = account('visible-account');
    await store.set(key, 'visible-value');
    expect(await keychainAccounts(service)).toEqual([key]);
    expect(await readKeychainItem(service, key)).toBe('visible-value');
    await store.delete(key);
    expect(await keychainAccounts(service)).toEqual([]);
  });

  it('keeps long and non-ASCII values intact', async () => {
    const store = keytarSecretStore({ service });
    const key = account('unicode');
    const value = `${'x'.repeat(4000)}·ü€😀`;
    await store.set(key, value);
    expect(await store.get(key)).toBe(value);
  });
});
