import { describe, expect, it } from 'vitest';
import { AppError } from '../../../electron/core/errors.ts';
import {
  defaultKeychainService,
  describeKeychainError,
  keytarSecretStore,
} from '../../../electron/core/secrets/keytarSecretStore.ts';
import type { KeytarModule } from '../../../electron/core/secrets/keytarSecretStore.ts';

/** An in-memory keytar that records the service it was called with (the real one is in the integration tests). */
function recordingKeytar() {
  const items = new Map<string, string>();
  const calls: string[] = [];
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  const keytar: KeytarModule = {
    getPassword: async (service, account) => {
      calls.push(`get ${service} ${account}`);
      return items.get(key(service, account)) ?? null;
    },
    setPassword: async (service, account, password) => {
      calls.push(`set ${service} ${account}`);
      items.set(key(service, account), password);
    },
    deletePassword: async (service, account) => {
      calls.push(`delete ${service} ${account}`);
      return items.delete(key(service, account));
    },
  };
  return { keytar, calls };
}

function failingKeytar(error: unknown): KeytarModule {
  const fail = async () => Promise.reject(error);
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
}

const pending = () => new Promise<never>(() => {});

describe('keytarSecretStore', () => {
  it('stores under the reverse-DNS default service', async () => {
    const { keytar, calls } = recordingKeytar();
    const store = keytarSecretStore({ keytar });
    await store.set('acct', 'value');
    expect(await store.get('acct')).toBe('value');
    expect(calls).toEqual([`set ${defaultKeychainService} acct`, `get ${defaultKeychainService} acct`]);
    expect(defaultKeychainService).toBe('dev.graphql-mcp-desktop');
  });

  it('uses the configured service and returns false when deleting nothing', async () => {
    const { keytar, calls } = recordingKeytar();
    const store = keytarSecretStore({ service: 'dev.example.test', keytar });
    expect(await store.delete('missing')).toBe(false);
    expect(calls).toEqual(['delete dev.example.test missing']);
  });

  it('loads keytar lazily from a factory, once', async () => {
    const { keytar } = recordingKeytar();
    let loads = 0;
    const store = keytarSecretStore({ keytar: async () => ((loads += 1), keytar) });
    expect(loads).toBe(0);
    await store.get('a');
    await store.get('b');
    expect(loads).toBe(1);
  });

  it('rejects with SECRETS_UNAVAILABLE when keytar cannot be loaded', async () => {
    const store = keytarSecretStore({ keytar: async () => Promise.reject(new Error('Cannot find module keytar.node')) });
    const error = await store.get('a').catch((caught: unknown) => caught);
    expect(AppError.is(error, 'SECRETS_UNAVAILABLE')).toBe(true);
    expect((error as AppError).message).toBe('keychain unavailable: the keytar native module could not be loaded');
  });

  it('rejects with a timeout reason when a call never settles', async () => {
    const store = keytarSecretStore({ timeoutMs: 30, keytar: { getPassword: pending, setPassword: pending, deletePassword: pending } });
    const started = Date.now();
    await expect(store.set('a', 'secret-value')).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      message: expect.stringMatching(/^keychain unavailable: no answer within 30 ms/),
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('fails at once while a timed-out call is still pending, and recovers when it settles', async () => {
    const { keytar, calls } = recordingKeytar();
    let release: (value: string | null) => void = () => {};
    let hang = true;
    const store = keytarSecretStore({
      timeoutMs: 30,
      keytar: {
        ...keytar,
        getPassword: (service, account) =>
          hang ? new Promise((resolve) => { release = resolve; }) : keytar.getPassword(service, account),
      },
    });
    await expect(store.get('a')).rejects.toMatchObject({ message: expect.stringMatching(/no answer within 30 ms/) });
    hang = false;
    // "At once": settled within the microtasks of this turn, before any timer or I/O callback could run, and
    // keytar was never asked (a wall-clock bound here failed on a loaded machine).
    const refused = store.set('a', 'v').catch((error: unknown) => error);
    const nextTurn = new Promise((resolve) => setImmediate(() => resolve('still waiting')));
    expect(await Promise.race([refused, nextTurn])).toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      message: expect.stringMatching(/^keychain unavailable: an earlier keychain call has not answered yet/),
    });
    expect(calls).toEqual([]);
    release(null);
    await new Promise((resolve) => setImmediate(resolve));
    await store.set('a', 'v');
    expect(await store.get('a')).toBe('v');
  });

  it('maps a keytar that throws synchronously to SECRETS_UNAVAILABLE', async () => {
    const { keytar } = recordingKeytar();
    const store = keytarSecretStore({
      keytar: { ...keytar, getPassword: () => { throw new TypeError('Parameter 1 must be a string'); } },
    });
    await expect(store.get('a')).rejects.toMatchObject({ code: 'SECRETS_UNAVAILABLE' });
  });

  it('maps a keytar failure to SECRETS_UNAVAILABLE without the value and keeps the original as cause', async () => {
    const original = new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    const store = keytarSecretStore({ keytar: failingKeytar(original) });
    const error = (await store.set('acct', 'the-refresh-token').catch((caught: unknown) => caught)) as AppError;
    expect(error.code).toBe('SECRETS_UNAVAILABLE');
    expect(error.message).toMatch(/^keychain unavailable: no D-Bus session bus/);
    expect(JSON.stringify(error.toJSON())).not.toContain('the-refresh-token');
    expect(error.details).toMatchObject({ operation: 'set' });
    expect(error.cause).toBe(original);
  });

  it('rejects each call on its own, so one failure does not poison later calls', async () => {
    let fail = true;
    const { keytar } = recordingKeytar();
    const flaky: KeytarModule = {
      ...keytar,
      getPassword: (service, account) => (fail ? Promise.reject(new Error('boom')) : keytar.getPassword(service, account)),
    };
    const store = keytarSecretStore({ keytar: flaky });
    await expect(store.get('a')).rejects.toMatchObject({ code: 'SECRETS_UNAVAILABLE' });
    fail = false;
    expect(await store.get('a')).toBeNull();
  });
});

describe('describeKeychainError', () => {
  it.each([
    ['Cannot autolaunch D-Bus without X11 $DISPLAY', /no D-Bus session bus/],
    ['Could not connect: No such file or directory', /no D-Bus session bus/],
    ['The name org.freedesktop.secrets was not provided by any .service files', /no Secret Service/],
    ['Object does not exist at path “/org/freedesktop/secrets/collection/login”', /locked or has no default collection/],
    ['Cannot create an item in a locked collection', /locked or has no default collection/],
    ['something else entirely', /the keychain reported an error/],
  ])('explains %j', (message, reason) => {
    expect(describeKeychainError(new Error(message))).toMatch(reason);
  });
});
