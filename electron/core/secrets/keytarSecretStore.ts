import { AppError } from '../errors.ts';
import type { SecretStore } from './SecretStore.ts';

/** The subset of keytar 7.9 the store calls; tests inject their own. */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export interface KeytarSecretStoreOptions {
  /** The keychain service name; reverse-DNS so another app's items are not ours. */
  service?: string;
  /** Per call; a locked keyring under a display can leave a call pending forever. Default 5000. */
  timeoutMs?: number;
  /** Default: `import('keytar')` on first use. */
  keytar?: KeytarModule | (() => Promise<KeytarModule>);
}

export const defaultKeychainService = 'dev.graphql-mcp-desktop';
const defaultTimeoutMs = 5000;

type Operation = 'get' | 'set' | 'delete';

/**
 * A SecretStore in the OS keychain through keytar (Secret Service on Linux, Keychain on macOS, Credential
 * Manager on Windows). Every call has a timeout, and while a timed-out call is still pending later calls fail at
 * once; every failure, including a keytar that cannot be loaded, rejects with AppError('SECRETS_UNAVAILABLE')
 * and a reason that names no secret. There is no plaintext or file fallback.
 */
export function keytarSecretStore(options: KeytarSecretStoreOptions = {}): SecretStore {
  const service = options.service ?? defaultKeychainService;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const load = memoize(() => loadKeytar(options.keytar));
  // keytar runs each call on a libuv pool thread (4 by default, shared with fs, dns and crypto): while a timed-out
  // call still hangs, fail fast instead of parking more threads behind a password prompt nobody will answer.
  let hung = 0;
  const call = async <T>(operation: Operation, run: (keytar: KeytarModule) => Promise<T>): Promise<T> => {
    const keytar = await load();
    if (hung > 0) throw keychainUnavailable(operation, new KeychainStillBusy(), timeoutMs);
    let pending: Promise<T> | undefined;
    try {
      pending = run(keytar);
      return await withTimeout(pending, timeoutMs);
    } catch (error) {
      if (error instanceof KeychainTimeout && pending) {
        hung += 1;
        pending.then(settle, settle);
      }
      throw keychainUnavailable(operation, error, timeoutMs);
    }
  };
  const settle = () => {
    hung -= 1;
  };
  return {
    get: (account) => call('get', (keytar) => keytar.getPassword(service, account)),
    set: (account, value) => call('set', (keytar) => keytar.setPassword(service, account, value)),
    delete: (account) => call('delete', (keytar) => keytar.deletePassword(service, account)),
  };
}

async function loadKeytar(source: KeytarSecretStoreOptions['keytar']): Promise<KeytarModule> {
  try {
    if (typeof source === 'function') return await source();
    if (source) return source;
    const imported = (await import('keytar')) as KeytarModule & { default?: KeytarModule };
    return imported.default ?? imported;
  } catch (error) {
    throw new AppError('SECRETS_UNAVAILABLE', 'keychain unavailable: the keytar native module could not be loaded', {
      cause: error,
      details: { reason: 'keytar not loadable' },
    });
  }
}

class KeychainTimeout extends Error {
  override name = 'KeychainTimeout';
}

class KeychainStillBusy extends Error {
  override name = 'KeychainStillBusy';
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KeychainTimeout()), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function keychainUnavailable(operation: Operation, error: unknown, timeoutMs: number): AppError {
  const reason =
    error instanceof KeychainTimeout ? timeoutReason(timeoutMs)
    : error instanceof KeychainStillBusy ? `an earlier keychain call has not answered yet (${lockedHint})`
    : describeKeychainError(error);
  return new AppError('SECRETS_UNAVAILABLE', `keychain unavailable: ${reason}`, { cause: error, details: { operation, reason } });
}

const lockedHint = 'the keyring may be locked and waiting for a password prompt';

function timeoutReason(timeoutMs: number): string {
  return `no answer within ${timeoutMs} ms (${lockedHint})`;
}

/** Turns libsecret/D-Bus messages into a reason a user can act on; the raw message stays in `cause`. */
export function describeKeychainError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/autolaunch|DBUS_SESSION_BUS_ADDRESS|Could not connect|Failed to connect|Connection refused|No such file or directory/i.test(message)) {
    return 'no D-Bus session bus (start the app inside a desktop session with a Secret Service such as GNOME Keyring)';
  }
  if (/org\.freedesktop\.secrets|ServiceUnknown|was not provided by any \.service files/i.test(message)) {
    return 'no Secret Service is running (install and start gnome-keyring or KeePassXC)';
  }
  if (/locked|collection\/login|Object does not exist|no result found|prompt|dismissed|cancel/i.test(message)) {
    return 'the keyring is locked or has no default collection';
  }
  if (/denied|not allowed|permission/i.test(message)) return 'the keychain refused access';
  return 'the keychain reported an error';
}

function memoize<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}
