// Fault injection, identity provider (issue 7; security cases F3, F4): the IdP down at start and mid-session, and a
// JWKS rotation. Each case ends in a documented sign-in state (README "Sign-in states"), never a crash or a hang, and
// the grant already in the keychain is kept until the IdP itself says it is gone.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAuth, type Auth, type CreateAuthOptions } from '../../electron/core/auth/createAuth.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { startDemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import {
  apiConfig, appConfig, appResource, browserSigningInAs, callApi, fakeJwt, interceptingFetch, mapSecretStore, startRecordingUpstream, waitForState,
} from '../helpers/authHarness.ts';
import { printFaultTable, recordOutcome } from './helpers/faultTable.ts';

const ordersAud = 'https://orders.example';
const cleanup: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});
afterAll(() => printFaultTable('Fault injection: identity provider'));

const startOrdersIdp = (port?: number, ttl?: number) => startDemoIdp({ port, appResource, apis: [{ resource: ordersAud, scopes: ['orders:read'] }], accessTokenTtlSeconds: ttl });

/** The network between the app and the IdP, with a switch: down = connection refused, as fetch reports it. */
function switchableNetwork() {
  const network = { down: false, fetch: (async (input, init) => {
    if (network.down) throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    return fetch(input, init);
  }) as typeof fetch };
  return network;
}

async function setUp(options: { ttl?: number; fetch?: typeof fetch } = {}) {
  let idp: DemoIdp = await startOrdersIdp(undefined, options.ttl);
  const upstream = await startRecordingUpstream(idp, ordersAud);
  const api = apiConfig('orders', 'exchange', ordersAud, upstream.url);
  const config = appConfig(idp, [api]);
  const secrets = mapSecretStore();
  const make = (extra: Partial<CreateAuthOptions> = {}): Auth => {
    const auth = createAuth({ config, secrets, logger: silentLogger, openExternal: browserSigningInAs('alice'), fetch: options.fetch, ...extra });
    cleanup.push(() => auth.close());
    return auth;
  };
  cleanup.push(() => upstream.close(), () => idp.close());
  const restartIdp = async () => {
    await idp.close();
    idp = await startOrdersIdp(idp.port, options.ttl); // same issuer; new signing keys, and no memory of grants
  };
  return { idp: () => idp, restartIdp, api, secrets, make, upstream };
}

async function signedIn(auth: Auth): Promise<void> {
  await auth.restore();
  await auth.signIn();
  await waitForState(auth, 'signed-in');
}

describe('fault injection: identity provider', () => {
  it('IdP down at start: state "error", calls refused with a reason, the stored grant kept; once it is back, the next call recovers', async () => {
    const network = switchableNetwork();
    const { api, secrets, make } = await setUp({ fetch: network.fetch });
    await signedIn(make());
    network.down = true;
    const restarted = make(); // the app starting again while the IdP cannot be reached
    await restarted.restore();
    expect(restarted.state()).toMatchObject({ status: 'error', code: 'AUTH_IDP_UNREACHABLE' });
    const refused = await callApi(restarted, api);
    expect(refused.isError).toBe(true);
    expect(secrets.entries.size).toBe(1);
    network.down = false;
    expect((await callApi(restarted, api)).isError).toBeFalsy();
    expect(restarted.state()).toMatchObject({ status: 'signed-in', sub: 'alice' });
    recordOutcome('IdP down at start', 'state error (AUTH_IDP_UNREACHABLE), calls isError, grant kept; IdP back -> next call signs in again');
  });

  it('IdP stopped for real at start: state "error", no crash, grant kept until the IdP answers again', async () => {
    const { api, secrets, make, idp } = await setUp();
    await signedIn(make());
    await idp().close();
    const restarted = make();
    await restarted.restore();
    expect(restarted.state()).toMatchObject({ status: 'error' });
    expect((await callApi(restarted, api)).isError).toBe(true);
    expect(secrets.entries.size).toBe(1);
    recordOutcome('IdP process gone at start', 'state error, calls isError, keychain entry kept');
  });

  it('IdP down mid-session: cached tokens serve until they expire, then "Sign-in required"; never another token (F3)', async () => {
    const network = switchableNetwork();
    const { api, secrets, make, upstream } = await setUp({ ttl: 3, fetch: network.fetch });
    const auth = make();
    await signedIn(auth);
    expect((await callApi(auth, api)).isError).toBeFalsy();
    network.down = true;
    expect((await callApi(auth, api)).isError).toBeFalsy();
    await new Promise((resolve) => setTimeout(resolve, 2_400)); // past the 3 s tokens' refresh margin
    const refused = await callApi(auth, api);
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toMatch(/Sign-in required: the identity provider could not be reached/);
    expect(upstream.requests.every((request) => request.verified)).toBe(true);
    expect(secrets.entries.size).toBe(1);
    network.down = false;
    expect((await callApi(auth, api)).isError).toBeFalsy();
    recordOutcome('IdP down mid-session', 'cached token until expiry, then isError "Sign-in required"; grant kept; IdP back -> works');
  });

  it('JWKS rotation (the IdP signs with a new key): the next sign-in verifies the ID token with the refetched JWKS; an API still in its JWKS cooldown refuses the new kid, and the app says so without "sign in again" (F4)', async () => {
    const { api, make, restartIdp, upstream, secrets, idp } = await setUp();
    const auth = make();
    await signedIn(auth);
    expect((await callApi(auth, api)).isError).toBeFalsy();
    // Same issuer, new signing key: the app's cached metadata and JWKS now lack the kid of everything it issues.
    await restartIdp();
    await auth.signIn();
    expect(await waitForState(auth, 'signed-in')).toMatchObject({ sub: 'alice' });
    expect(secrets.entries.size).toBe(1);
    // The API fetched its JWKS moments ago; jose refetches for an unknown kid only after a 30 s cooldown.
    const refused = await callApi(auth, api);
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toMatch(/refused a freshly minted token/);
    expect(auth.state()).toMatchObject({ status: 'signed-in' });
    // An API past its cooldown (here: one that has not cached the old keys) accepts the new kid.
    const fresh = await startRecordingUpstream(idp(), ordersAud);
    cleanup.push(() => fresh.close());
    expect((await callApi(auth, { ...api, endpoint: fresh.url })).isError).toBeFalsy();
    expect(fresh.requests.at(-1)).toMatchObject({ verified: true });
    expect(upstream.requests.length).toBeGreaterThan(1);
    recordOutcome('JWKS rotation', 'sign-in verifies with refetched JWKS; API in its JWKS cooldown -> isError "refused a fresh token", still signed in; API past it accepts');
  });

  it('an ID token signed with an unknown key is refused: state "error", nothing stored (F4)', async () => {
    const forged = interceptingFetch({
      response: (url, json) => (url.pathname.endsWith('/token') && json.id_token ? { ...json, id_token: fakeJwt({ sub: 'mallory', aud: 'x' }, { alg: 'RS256', kid: 'unknown-key' }) } : json),
    });
    const { secrets, make } = await setUp({ fetch: forged });
    const auth = make();
    await auth.restore();
    await auth.signIn();
    expect(await waitForState(auth, 'error')).toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
    expect(secrets.entries.size).toBe(0);
    recordOutcome('ID token with unknown kid', 'state error (AUTH_SIGN_IN_FAILED), nothing stored');
  });
});
