import type { SecretStore } from './SecretStore.ts';

/**
 * A SecretStore kept in a Map, for unit tests and the headless demo: nothing touches the OS keychain or disk.
 * `entries` seeds it (for instance with a corrupted value, security case E3).
 */
export function memorySecretStore(entries: Record<string, string> = {}): SecretStore {
  const values = new Map(Object.entries(entries));
  return {
    get: async (account) => values.get(account) ?? null,
    set: async (account, value) => {
      values.set(account, value);
    },
    delete: async (account) => values.delete(account),
  };
}
