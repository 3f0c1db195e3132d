// Fault injection, keychain (issue 7; security cases E1, E2): the keychain locked at start, locked or gone
// mid-session, and gone while a sign-in completes. The app stays usable in a documented state, never writes a secret
// anywhere else, and a grant already stored is not lost because the keychain could not be read for a while.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../electron/core/auth/createAuth.ts';
import { AppError } from '../../electron/core/errors.ts';
import { createLogger } from '../../electron/core/log/Logger.ts';
import { apiConfig, appConfig, browserSigningInAs, callApi, mapSecretStore, startIdp, startRecordingUpstream, waitForState } from '../helpers/authHarness.ts';
import { printFaultTable, recordOutcome } from './helpers/faultTable.ts';

const ordersAud = 'https://orders.example';
const locked = new AppError('SECRETS_UNAVAILABLE', 'Keychain unavailable: the collection is locked');
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});
afterAll(() => printFaultTable('Fault injection: keychain'));

async function setUp(ttl?: number) {
  const idp = await startIdp([ordersAud], ttl);
  const upstream = await startRecordingUpstream(idp, ordersAud);
  cleanup.push(() => upstream.close(), () => idp.close());
  const api = apiConfig('orders', 'exchange', ordersAud, upstream.url);
  const secrets = mapSecretStore();
  const logs: string[] = [];
  const make = (): Auth => {
    const auth = createAuth({
      config: appConfig(idp, [api]), secrets, openExternal: browserSigningInAs('alice'), grantCheckIntervalMs: 100,
      logger: createLogger({ level: 'debug', write: (line) => void logs.push(line) }),
    });
    cleanup.push(() => auth.close());
    return auth;
  };
  return { api, secrets, make, logs, idp };
}

async function signIn(auth: Auth): Promise<void> {
  await auth.restore();
  await auth.signIn();
  await waitForState(auth, 'signed-in');
}

describe('fault injection: keychain', () => {
  it('locked at start: state "keychain unavailable", calls refused with the reason, nothing stored elsewhere; unlocked -> restore works', async () => {
    const { api, secrets, make } = await setUp();
    await signIn(make());
    secrets.fail = locked;
    const restarted = make();
    await restarted.restore();
    expect(restarted.state()).toMatchObject({ status: 'keychain-unavailable', reason: expect.stringContaining('locked') });
    expect(JSON.stringify((await callApi(restarted, api)).content)).toMatch(/keychain is unavailable/);
    secrets.fail = undefined;
    const again = make();
    await again.restore();
    expect(again.state()).toMatchObject({ status: 'signed-in', sub: 'alice' });
    recordOutcome('keychain locked at start', 'state keychain-unavailable, calls isError; unlocked -> restore signs in (grant kept)');
  });

  it('locked mid-session, across a refresh-token rotation: calls keep working from memory, no crash; the entry is not deleted', async () => {
    const { api, secrets, make, logs } = await setUp(3);
    const auth = make();
    await signIn(auth);
    secrets.fail = locked;
    await new Promise((resolve) => setTimeout(resolve, 2_400)); // past expiry: the next call refreshes and rotates
    expect((await callApi(auth, api)).isError).toBeFalsy();
    expect(auth.state()).toMatchObject({ status: 'signed-in' });
    expect(logs.join('')).toMatch(/could not store the rotated refresh token/);
    secrets.fail = undefined;
    expect(secrets.entries.size).toBe(1);
    recordOutcome('keychain locked mid-session', 'still signed in from memory, calls work, rotation not stored (warned), entry kept');
  });

  it('gone mid-session (the entry deleted, as by a logout): signed out before the next call', async () => {
    const { api, secrets, make } = await setUp();
    const auth = make();
    await signIn(auth);
    secrets.entries.clear();
    expect(await waitForState(auth, 'signed-out')).toMatchObject({ reason: 'signed out from another process' });
    expect((await callApi(auth, api)).isError).toBe(true);
    recordOutcome('keychain entry gone mid-session', 'state signed-out ("signed out from another process"), calls isError');
  });

  it('gone at sign-out: state "keychain unavailable", the session ends anyway, no crash', async () => {
    const { api, secrets, make } = await setUp();
    const auth = make();
    await signIn(auth);
    secrets.fail = locked;
    await auth.signOut();
    expect(auth.state()).toMatchObject({ status: 'keychain-unavailable' });
    expect((await callApi(auth, api)).isError).toBe(true);
    recordOutcome('keychain gone at sign-out', 'state keychain-unavailable, session ended, calls isError');
  });

  it('gone while a sign-in completes: the new refresh token is revoked at the IdP, nothing kept anywhere (E1)', async () => {
    const { secrets, make, idp } = await setUp();
    const auth = make();
    await auth.restore();
    secrets.fail = locked;
    await auth.signIn();
    expect(await waitForState(auth, 'keychain-unavailable')).toMatchObject({ reason: expect.stringContaining('locked') });
    expect(idp.stats().revocations).toBe(1);
    secrets.fail = undefined;
    expect(secrets.entries.size).toBe(0);
    recordOutcome('keychain gone during sign-in', 'state keychain-unavailable, fresh refresh token revoked, nothing stored');
  });
});
