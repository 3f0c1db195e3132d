import { AppError } from '../errors.ts';
import { keytarSecretStore, type KeytarModule, type KeytarSecretStoreOptions } from './keytarSecretStore.ts';
import type { SecretStore } from './SecretStore.ts';

/** The subset of @napi-rs/keyring 2.1 the store calls; tests inject their own. */
export interface KeyringModule {
  AsyncEntry: new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => {
    getPassword(): Promise<string | null>;
    setPassword(password: string): Promise<void>;
    deletePassword(): Promise<boolean>;
  };
}

export interface OsSecretStoreOptions extends Pick<KeytarSecretStoreOptions, 'service' | 'timeoutMs'> {
  /** Default: `import('keytar')`, which fails where its native module was not built. */
  loadKeytar?: () => Promise<KeytarModule>;
  /** Default: `import('@napi-rs/keyring')` (prebuilt binaries from the npm registry). */
  loadKeyring?: () => Promise<KeyringModule>;
}

/**
 * The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows). keytar where its
 * native module was built; where it was not (a machine without a compiler or libsecret headers, where `npm ci`
 * skips the optional keytar), @napi-rs/keyring's prebuilt binary, pinned to the Secret Service on Linux. Both run
 * behind keytarSecretStore, so timeouts, errors and the absence of any file fallback are the same.
 * @see https://specifications.freedesktop.org/secret-service-spec/latest/
 */
export function osSecretStore(options: OsSecretStoreOptions = {}): SecretStore {
  let chosen: Promise<SecretStore> | undefined;
  const backend = () => (chosen ??= chooseBackend(options));
  return {
    get: async (account) => (await backend()).get(account),
    set: async (account, value) => (await backend()).set(account, value),
    delete: async (account) => (await backend()).delete(account),
  };
}

async function chooseBackend(options: OsSecretStoreOptions): Promise<SecretStore> {
  const keytar = await (options.loadKeytar ?? importKeytar)().catch(() => undefined);
  const keyring = await (options.loadKeyring ?? importKeyring)().catch(() => undefined);
  const over = (module: KeytarModule) => keytarSecretStore({ service: options.service, timeoutMs: options.timeoutMs, keytar: module });
  if (keytar) return keyring ? migratingStore(over(keytar), over(keyringAsKeytar(keyring))) : over(keytar);
  if (keyring) return over(keyringAsKeytar(keyring));
  throw new AppError('SECRETS_UNAVAILABLE', 'keychain unavailable: no keychain module could be loaded (keytar was not built and @napi-rs/keyring has no binary for this platform); run `npm ci` again, or install a compiler and libsecret headers and run `npm rebuild keytar`', {
    details: { reason: 'no keychain module' },
  });
}

/**
 * @napi-rs/keyring behind keytar's three calls. Pinned to the Secret Service on Linux: unpinned, it falls back
 * silently to the kernel keyutils store, which is per boot session and not the user's keychain (security case E1).
 * The entry is made inside the call, since its constructor throws when the store is unreachable.
 */
function keyringAsKeytar(keyring: KeyringModule): KeytarModule {
  const entry = (service: string, account: string) => new keyring.AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  return {
    getPassword: async (service, account) => entry(service, account).getPassword(),
    setPassword: async (service, account, password) => entry(service, account).setPassword(password),
    deletePassword: async (service, account) => entry(service, account).deletePassword(),
  };
}

/**
 * Security case E8. On Linux, keytar's items carry an `account` attribute and @napi-rs/keyring's a `username`, so
 * neither finds the other's. A grant written through the prebuilt backend (while keytar was not built) is moved once
 * into keytar's item when keytar can read it, and the old item deleted; delete removes both, so sign-out leaves none.
 */
function migratingStore(primary: SecretStore, previous: SecretStore): SecretStore {
  const checked = new Set<string>();
  return {
    async get(account) {
      const value = await primary.get(account);
      if (value !== null || checked.has(account)) return value;
      checked.add(account);
      const old = await previous.get(account).catch(() => null);
      if (old === null) return null;
      await primary.set(account, old);
      // Copied already: a failed delete leaves a stale copy (sign-out deletes both), not a failed read.
      await previous.delete(account).catch(() => false);
      return old;
    },
    set: (account, value) => primary.set(account, value),
    async delete(account) {
      const deleted = await primary.delete(account);
      const deletedOld = await previous.delete(account).catch(() => false);
      return deleted || deletedOld;
    },
  };
}

async function importKeytar(): Promise<KeytarModule> {
  const imported = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
  return imported.default ?? imported;
}

async function importKeyring(): Promise<KeyringModule> {
  return (await import('@napi-rs/keyring')) as KeyringModule;
}
