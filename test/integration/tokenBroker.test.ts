import { afterEach, describe, expect, it } from 'vitest';
import type { ApiConfig } from '../../electron/core/config/AppConfig.ts';
import { createAuth } from '../../electron/core/auth/createAuth.ts';
import { startDemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import {
  apiConfig, appConfig, appResource, browserSigningInAs, callApi, mapSecretStore, startIdp, startRecordingUpstream,
  waitForState, type RecordingUpstream,
} from '../helpers/authHarness.ts';

const ordersAud = 'https://orders.example';
const billingAud = 'https://billing.example';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function signedIn(options: { ttl?: number } = {}) {
  const idp = await startIdp([ordersAud, billingAud], options.ttl);
  const orders = await startRecordingUpstream(idp, ordersAud);
  const billing = await startRecordingUpstream(idp, billingAud);
  cleanup.push(() => idp.close(), () => orders.close(), () => billing.close());
  const apis = {
    orders: apiConfig('orders', 'exchange', ordersAud, orders.url),
    billing: apiConfig('billing', 'resource', billingAud, billing.url),
  };
  const auth = createAuth({ config: appConfig(idp, Object.values(apis)), secrets: mapSecretStore(), openExternal: browserSigningInAs('alice'), logger: silentLogger });
  await auth.signIn();
  await waitForState(auth, 'signed-in');
  return { idp, auth, apis, orders, billing };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const okCount = (results: { isError?: boolean }[]) => results.filter((result) => !result.isError).length;
const bearer = (upstream: RecordingUpstream) => new Set(upstream.requests.map((request) => request.authorization));

describe('token broker', () => {
  it('mints 1 exchange per API per token lifetime over 1000 calls, and 1 resource refresh', async () => {
    const { idp, auth, apis, orders, billing } = await signedIn();
    const before = idp.stats();
    const tokens = new Set<string | undefined>();
    for (let i = 0; i < 500; i += 1) {
      tokens.add(await auth.authorizer.tokenFor(apis.orders));
      tokens.add(await auth.authorizer.tokenFor(apis.billing));
    }
    expect(tokens.size).toBe(2);
    const after = idp.stats();
    expect(after.tokenExchange - before.tokenExchange).toBe(1);
    expect(after.byResource[billingAud]?.refreshToken).toBe(1);
    expect(okCount(await Promise.all([callApi(auth, apis.orders), callApi(auth, apis.billing)]))).toBe(2);
    expect(idp.stats().tokenExchange).toBe(1);
    expect([...bearer(orders)][0]).not.toBe([...bearer(billing)][0]);
  });

  it('makes exactly 1 refresh for 50 concurrent calls at expiry, and the grant survives (C8)', async () => {
    const { idp, auth, apis, orders } = await signedIn({ ttl: 3 });
    expect((await callApi(auth, apis.orders)).isError).toBeFalsy();
    await sleep(2_400); // past the clock-skew margin (a quarter of 3 s) before exp
    const before = idp.stats();
    const results = await Promise.all(Array.from({ length: 50 }, () => callApi(auth, apis.orders)));
    const after = idp.stats();
    expect(okCount(results)).toBe(50);
    expect(after.refreshToken - before.refreshToken).toBe(1);
    expect(after.tokenExchange - before.tokenExchange).toBe(1);
    expect(after.failedGrants).toBe(0);
    expect(bearer(orders).size).toBe(2);
  });

  it('serializes refreshes of one grant across APIs: 50 + 50 concurrent calls at expiry, no grant revoked (C8)', async () => {
    const { idp, auth, apis } = await signedIn({ ttl: 3 });
    await Promise.all([callApi(auth, apis.orders), callApi(auth, apis.billing)]);
    await sleep(2_400);
    const before = idp.stats();
    const calls = Array.from({ length: 100 }, (_, i) => callApi(auth, i % 2 ? apis.orders : apis.billing));
    expect(okCount(await Promise.all(calls))).toBe(100);
    const after = idp.stats();
    expect(after.refreshToken - before.refreshToken).toBe(2); // the app token and billing's resource token
    expect(after.failedGrants).toBe(0);
    expect(auth.state().status).toBe('signed-in');
  });

  it('mints anew once after an upstream 401 and retries once, then reports the error (C9)', async () => {
    const { idp, auth, apis, orders } = await signedIn();
    orders.refuseNext = 1;
    expect((await callApi(auth, apis.orders)).isError).toBeFalsy();
    expect(orders.requests).toHaveLength(2);
    expect(orders.requests[0]!.authorization).not.toBe(orders.requests[1]!.authorization);
    expect(idp.stats().tokenExchange).toBe(2);
    orders.refuseNext = 10;
    const refused = await callApi(auth, apis.orders);
    expect(refused.isError).toBe(true);
    expect(orders.requests).toHaveLength(4);
    expect(idp.stats().tokenExchange).toBe(3);
  });

  it('shares one forced mint among concurrent forceRefresh callers', async () => {
    const { idp, auth, apis } = await signedIn();
    await auth.authorizer.tokenFor(apis.orders);
    const before = idp.stats().tokenExchange;
    const tokens = await Promise.all(Array.from({ length: 20 }, () => auth.authorizer.tokenFor(apis.orders, { forceRefresh: true })));
    expect(new Set(tokens).size).toBe(1);
    expect(idp.stats().tokenExchange - before).toBe(1);
  });
});

describe('token broker failure states', () => {
  it('keeps using cached tokens while the IdP is down, then says sign-in required, without crashing (F3)', async () => {
    const { idp, auth, apis } = await signedIn({ ttl: 3 });
    expect((await callApi(auth, apis.orders)).isError).toBeFalsy();
    await idp.close();
    expect(await auth.authorizer.tokenFor(apis.orders)).toBeTruthy();
    await sleep(2_400);
    const refused = await callApi(auth, apis.orders);
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content)).toMatch(/sign-in required/i);
    await expect(auth.authorizer.tokenFor(apis.orders)).rejects.toMatchObject({ code: 'AUTH_IDP_UNREACHABLE' });
  });

  it('restores into an error state while the IdP is down, keeps the grant, and retries on the next call (F3)', async () => {
    const idp = await startIdp([ordersAud]);
    const apis = [apiConfig('orders', 'exchange', ordersAud, 'http://127.0.0.1:9/graphql')];
    const secrets = mapSecretStore();
    const first = createAuth({ config: appConfig(idp, apis), secrets, openExternal: browserSigningInAs('alice'), logger: silentLogger });
    await first.signIn();
    await waitForState(first, 'signed-in');
    const port = idp.port;
    await idp.close();
    const restarted = createAuth({ config: appConfig(idp, apis), secrets, openExternal: async () => {}, logger: silentLogger });
    await restarted.restore();
    expect(restarted.state()).toMatchObject({ status: 'error', code: 'AUTH_IDP_UNREACHABLE' });
    await expect(restarted.authorizer.tokenFor(apis[0]!)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
    expect(secrets.entries.size).toBe(1);
    // The IdP comes back (a new demo IdP on the same port forgot the grant): the retry ends in a clean sign-out.
    const back = await startDemoIdp({ port, appResource, apis: [{ resource: ordersAud, scopes: [] }] });
    cleanup.push(() => back.close());
    await expect(restarted.authorizer.tokenFor(apis[0]!)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
    expect(restarted.state()).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/expired or was revoked/) });
    expect(secrets.entries.size).toBe(0);
  });

  it('reports a refused exchange as a tool error and sends nothing upstream (C6)', async () => {
    const { idp, auth, orders } = await signedIn();
    const unknown: ApiConfig = apiConfig('unknown', 'exchange', 'https://unknown.example', orders.url);
    const result = await callApi(auth, unknown);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/Token exchange for the API failed.*invalid_target/);
    expect(orders.requests).toHaveLength(0);
    expect(idp.stats().failedGrants).toBe(1);
    expect(auth.state().status).toBe('signed-in');
  });
});

describe('token broker and sign-out', () => {
  it('does not keep a token whose mint was running when the user signed out', async () => {
    const { auth, apis } = await signedIn();
    const minting = auth.authorizer.tokenFor(apis.orders);
    await auth.signOut();
    await expect(minting).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
    await expect(auth.authorizer.tokenFor(apis.orders)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
  });
});
