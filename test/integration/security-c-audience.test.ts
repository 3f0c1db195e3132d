// Security cases C1–C13 (issue 3: C21–C33): token audience, app as OAuth client to the APIs.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, decodeJwt, type JWK } from 'jose';
import * as client from 'openid-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth, type CreateAuthOptions } from '../../electron/core/auth/createAuth.ts';
import { grantAccount, loadGrant } from '../../electron/core/auth/grantStore.ts';
import type { ApiConfig, AppConfig } from '../../electron/core/config/AppConfig.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { createLogger, silentLogger, type Logger } from '../../electron/core/log/Logger.ts';
import { keytarSecretStore } from '../../electron/core/secrets/keytarSecretStore.ts';
import type { SecretStore } from '../../electron/core/secrets/SecretStore.ts';
import {
  apiConfig, appConfig, appResource, browserSigningInAs, callApi, fakeJwt, interceptingFetch, mapSecretStore, startIdp,
  startRecordingUpstream, waitForState, type RecordingUpstream,
} from '../helpers/authHarness.ts';
import { keychainAvailable } from '../helpers/keychain.ts';

const ordersAud = 'https://orders.example';
const billingAud = 'https://billing.example';
const tokenExchange = 'urn:ietf:params:oauth:grant-type:token-exchange';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface Setup {
  ttl?: number;
  apis?(upstreams: { orders: RecordingUpstream; billing: RecordingUpstream }): ApiConfig[];
  fetch?: CreateAuthOptions['fetch'];
}

async function signedIn(setup: Setup = {}) {
  const idp: DemoIdp = await startIdp([ordersAud, billingAud], setup.ttl);
  const orders = await startRecordingUpstream(idp, ordersAud);
  const billing = await startRecordingUpstream(idp, billingAud);
  cleanup.push(() => idp.close(), () => orders.close(), () => billing.close());
  const apis = setup.apis?.({ orders, billing }) ?? [
    apiConfig('orders', 'exchange', ordersAud, orders.url),
    apiConfig('billing', 'resource', billingAud, billing.url),
  ];
  const auth = createAuth({
    config: appConfig(idp, apis), secrets: mapSecretStore(), fetch: setup.fetch, openExternal: browserSigningInAs('alice'), logger: silentLogger,
  });
  await auth.signIn();
  await waitForState(auth, 'signed-in');
  const api = (name: string) => apis.find((candidate) => candidate.name === name)!;
  return { idp, auth, api, orders, billing };
}

const isTokenExchange = (form: URLSearchParams | undefined) => form?.get('grant_type') === tokenExchange;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('security C: token audience', () => {
  it('C1: every API call carries a token whose aud is that API (exchange and resource)', async () => {
    const { auth, api, orders, billing } = await signedIn();
    await Promise.all([callApi(auth, api('orders')), callApi(auth, api('billing'))]);
    expect(orders.requests).toMatchObject([{ verified: true, aud: ordersAud }]);
    expect(billing.requests).toMatchObject([{ verified: true, aud: billingAud }]);
  });

  it('C2: two APIs never receive the same token; the login token goes only where its aud names the API', async () => {
    const { auth, api, orders, billing } = await signedIn({
      apis: ({ orders, billing }) => [
        apiConfig('orders', 'exchange', ordersAud, orders.url),
        apiConfig('billing', 'resource', billingAud, billing.url),
        apiConfig('app', 'passthrough', appResource, orders.url),
        apiConfig('app2', 'passthrough', appResource, billing.url),
      ],
    });
    const tokens = await Promise.all(['orders', 'billing', 'app'].map((name) => auth.authorizer.tokenFor(api(name))));
    expect(new Set(tokens).size).toBe(3);
    await expect(auth.authorizer.tokenFor(api('app2'))).rejects.toMatchObject({ code: 'AUDIENCE_MISMATCH', message: /already sent to API app/ });
    await Promise.all([callApi(auth, api('orders')), callApi(auth, api('billing'))]);
    const seen = [...orders.requests, ...billing.requests].map((request) => request.authorization);
    expect(seen).not.toContain(`Bearer ${tokens[2]}`);
  });

  it('C2: passthrough with an aud that does not name the API is refused and nothing is sent', async () => {
    const { auth, api, orders } = await signedIn({ apis: ({ orders }) => [apiConfig('legacy', 'passthrough', ordersAud, orders.url)] });
    const result = await callApi(auth, api('legacy'));
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain(`not ${ordersAud}`);
    expect(orders.requests).toHaveLength(0);
    expect(auth.warnings()).toEqual(expect.arrayContaining([
      expect.objectContaining({ api: 'legacy', code: 'audience-mismatch', severity: 'error', expected: ordersAud, actual: appResource }),
      expect.objectContaining({ api: 'legacy', code: 'passthrough-configured', severity: 'info' }),
    ]));
  });

  it('C3: an AS that ignores resource (aud = app or another API) means no call and a warning naming both', async () => {
    const fetch = interceptingFetch({ request: (_url, form) => { if (isTokenExchange(form)) { form.set('resource', billingAud); form.set('audience', billingAud); } } });
    const { auth, api, orders } = await signedIn({ fetch });
    const result = await callApi(auth, api('orders'));
    expect(result.isError).toBe(true);
    expect(orders.requests).toHaveLength(0);
    expect(auth.warnings()).toContainEqual(expect.objectContaining({ api: 'orders', code: 'audience-mismatch', expected: ordersAud, actual: billingAud }));
  });

  it('C4: a token with several audiences is sent with a warning; one without aud is refused', async () => {
    let claims: Record<string, unknown> = { aud: [ordersAud, billingAud], sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 };
    const fetch = interceptingFetch({ response: (_url, json, form) => (isTokenExchange(form) ? { ...json, access_token: fakeJwt(claims) } : json) });
    const { auth, api } = await signedIn({ fetch });
    expect(await auth.authorizer.tokenFor(api('orders'))).toBeTruthy();
    expect(auth.warnings()).toContainEqual(expect.objectContaining({ api: 'orders', code: 'audience-multiple', severity: 'warning' }));
    claims = { sub: 'alice', exp: Math.floor(Date.now() / 1000) + 600 };
    await expect(auth.authorizer.tokenFor(api('orders'), { forceRefresh: true })).rejects.toMatchObject({ code: 'AUDIENCE_MISMATCH' });
    expect(auth.warnings()).toContainEqual(expect.objectContaining({ api: 'orders', code: 'audience-missing', severity: 'error' }));
  });

  it('C5: an opaque API token is "audience not verifiable" without introspection, refused when introspection denies it', async () => {
    let withIntrospection = false;
    const fetch = interceptingFetch({
      response: (url, json, form) => {
        if (url.pathname.endsWith('openid-configuration') && !withIntrospection) return { ...json, introspection_endpoint: undefined };
        return isTokenExchange(form) ? { ...json, access_token: 'opaque-token-value-c5' } : json;
      },
    });
    const first = await signedIn({ fetch });
    expect(await first.auth.authorizer.tokenFor(first.api('orders'))).toBe('opaque-token-value-c5');
    expect(first.auth.warnings()).toContainEqual(expect.objectContaining({ api: 'orders', code: 'token-opaque', severity: 'warning' }));
    withIntrospection = true;
    const second = await signedIn({ fetch });
    await expect(second.auth.authorizer.tokenFor(second.api('orders'))).rejects.toMatchObject({ code: 'AUDIENCE_MISMATCH' });
  });

  it('C6: a failed exchange is a tool error and never falls back to another token or strategy', async () => {
    const fetch = interceptingFetch({ request: (_url, form) => { if (isTokenExchange(form)) form.set('subject_token', fakeJwt({ aud: ordersAud, sub: 'mallory' })); } });
    const { idp, auth, api, orders, billing } = await signedIn({ fetch });
    const result = await callApi(auth, api('orders'));
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('invalid_grant');
    expect(orders.requests).toHaveLength(0);
    expect(billing.requests).toHaveLength(0);
    expect(idp.stats().failedGrants).toBe(1);
    expect(auth.state().status).toBe('signed-in'); // an exchange failure is not the grant's failure
  });

  it('C7: a resource API not granted at sign-in is rejected locally before asking the AS', async () => {
    const { idp, auth } = await signedIn();
    const extra = apiConfig('inventory', 'resource', 'https://inventory.example', 'https://inventory.example/graphql');
    const before = idp.stats();
    await expect(auth.authorizer.tokenFor(extra)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED', message: /not granted at sign-in/ });
    expect(idp.stats()).toEqual(before);
  });

  it('C8: concurrent calls with an expired access token make exactly one refresh and all use the new token', async () => {
    const { idp, auth, api, billing } = await signedIn({ ttl: 3 });
    await callApi(auth, api('billing'));
    await sleep(2_400);
    const before = idp.stats().refreshToken;
    const results = await Promise.all(Array.from({ length: 50 }, () => callApi(auth, api('billing'))));
    expect(results.every((result) => !result.isError)).toBe(true);
    expect(idp.stats().refreshToken - before).toBe(1);
    expect(new Set(billing.requests.slice(1).map((request) => request.authorization)).size).toBe(1);
  });

  it('C9: an upstream 401 leads to at most one new token and one retry, then an error', async () => {
    const { idp, auth, api, orders } = await signedIn();
    orders.refuseNext = 99;
    const result = await callApi(auth, api('orders'));
    expect(result.isError).toBe(true);
    expect(orders.requests).toHaveLength(2);
    expect(idp.stats().tokenExchange).toBe(2);
  });

  it('C10: an API redirect to another origin is not followed, so the token goes nowhere else', async () => {
    const { idp, auth, orders } = await signedIn();
    const other = await startRecordingUpstream(idp, ordersAud);
    cleanup.push(() => other.close());
    const redirector = createServer((_req, res) => res.writeHead(307, { location: other.url }).end());
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => redirector.close(() => resolve())));
    const api = apiConfig('orders', 'exchange', ordersAud, `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/graphql`);
    const result = await callApi(auth, api);
    expect(result.isError).toBe(true);
    expect(other.requests).toHaveLength(0);
    expect(orders.requests).toHaveLength(0);
  });

  it('C11: a changed API URL, audience or strategy never reuses the old token', async () => {
    const { idp, auth, api } = await signedIn();
    const first = await auth.authorizer.tokenFor(api('orders'));
    const moved = { ...api('orders'), endpoint: 'https://orders-v2.example/graphql' };
    const second = await auth.authorizer.tokenFor(moved);
    expect(second).not.toBe(first);
    expect(idp.stats().tokenExchange).toBe(2);
  });

  it('C12: a token inside its clock-skew margin is never sent; a long lifetime is a warning', async () => {
    const short = await signedIn({ ttl: 3 });
    const first = await short.auth.authorizer.tokenFor(short.api('orders'));
    await sleep(2_400);
    expect(await short.auth.authorizer.tokenFor(short.api('orders'))).not.toBe(first);
    const long = await signedIn({ ttl: 3 * 24 * 3600 });
    await long.auth.authorizer.tokenFor(long.api('orders'));
    expect(long.auth.warnings()).toContainEqual(expect.objectContaining({ api: 'orders', code: 'token-lifetime-long', severity: 'warning' }));
  });
});

const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

function dpopConfig(idp: DemoIdp, apis: ApiConfig[]): AppConfig {
  const config = appConfig(idp, apis);
  return { ...config, signIn: { ...config.signIn!, dpop: true } };
}

/** Signs in with signIn.dpop at a DPoP-enabled demo IdP; `issued` records every token response (by grant type). */
async function signedInWithDPoP(setup: { secrets?: SecretStore; logger?: Logger } = {}) {
  const idp = await startIdp([ordersAud], undefined, { dpop: true });
  const orders = await startRecordingUpstream(idp, ordersAud);
  cleanup.push(() => idp.close(), () => orders.close());
  const issued: Record<string, unknown>[] = [];
  const fetch = interceptingFetch({
    response: (_url, json, form) => (form?.has('grant_type') && issued.push({ grant_type: form.get('grant_type'), ...json }), json),
  });
  const apis = [apiConfig('orders', 'exchange', ordersAud, orders.url)];
  const secrets = setup.secrets ?? mapSecretStore();
  const key = { issuer: idp.issuer, clientId: idp.clientId };
  const start = () => createAuth({
    config: dpopConfig(idp, apis), secrets, fetch, openExternal: browserSigningInAs('alice'), logger: setup.logger ?? silentLogger,
  });
  const auth = start();
  await auth.signIn();
  await waitForState(auth, 'signed-in');
  const stored = async () => JSON.parse((await secrets.get(grantAccount(key)))!) as { refreshToken: string; dpopKey: JWK };
  const issuedBy = (grantType: string) => issued.filter((response) => response.grant_type === grantType);
  return { idp, orders, api: apis[0]!, auth, secrets, key, issued, issuedBy, stored, start };
}

/** Another party's client: discovery only, no key of the app's. */
function thiefClient(idp: DemoIdp): Promise<client.Configuration> {
  return client.discovery(new URL(idp.issuer), idp.clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
}

const oauthErrorOf = (promise: Promise<unknown>) =>
  promise.then(() => 'ok', (error: unknown) => (error instanceof client.ResponseBodyError ? error.error : String(error)));

describe('security C13: DPoP-bound sign-in (signIn.dpop)', () => {
  it('C13: binds the code and the sign-in tokens to the app key, and an exchange API still gets a plain bearer token', async () => {
    const { auth, api, orders, issuedBy, stored } = await signedInWithDPoP();
    const [code] = issuedBy('authorization_code');
    expect(String(code!.token_type).toLowerCase()).toBe('dpop');
    const { dpopKey } = await stored();
    expect(decodeJwt(String(code!.access_token)).cnf).toEqual({ jkt: await calculateJwkThumbprint(dpopKey) });
    const result = await callApi(auth, api);
    expect(result.isError).not.toBe(true);
    expect(orders.requests).toMatchObject([{ verified: true, aud: ordersAud, sub: 'alice', authorization: expect.stringMatching(/^Bearer /) }]);
    const [exchanged] = issuedBy(tokenExchange);
    expect(exchanged!.token_type).toBe('Bearer');
    expect(decodeJwt(String(exchanged!.access_token)).cnf).toBeUndefined();
  });

  it('C13: a stolen refresh token is refused without a proof and with a proof from another key', async () => {
    const { idp, stored, start } = await signedInWithDPoP();
    const { refreshToken } = await stored();
    const thief = await thiefClient(idp);
    expect(await oauthErrorOf(client.refreshTokenGrant(thief, refreshToken, { resource: appResource }))).toBe('invalid_grant');
    const otherKey = client.getDPoPHandle(thief, await client.randomDPoPKeyPair('ES256'));
    expect(await oauthErrorOf(client.refreshTokenGrant(thief, refreshToken, { resource: appResource }, { DPoP: otherKey }))).toBe('invalid_grant');
    expect(idp.stats()).toMatchObject({ refreshToken: 0, failedGrants: 2 });
    // The refused attempts did not spend the grant: the app, holding the key, still refreshes with it.
    const restarted = start();
    await restarted.restore();
    expect(restarted.state()).toMatchObject({ status: 'signed-in', sub: 'alice' });
    expect(idp.stats().refreshToken).toBe(1);
  });

  it('C13: the bound sign-in token cannot be exchanged without a proof from the app key', async () => {
    const { idp, issuedBy } = await signedInWithDPoP();
    const subject = String(issuedBy('authorization_code')[0]!.access_token);
    const thief = await thiefClient(idp);
    const parameters = { subject_token: subject, subject_token_type: accessTokenType, resource: ordersAud, audience: ordersAud };
    expect(await oauthErrorOf(client.genericGrantRequest(thief, tokenExchange, parameters))).toBe('invalid_grant');
    const otherKey = client.getDPoPHandle(thief, await client.randomDPoPKeyPair('ES256'));
    expect(await oauthErrorOf(client.genericGrantRequest(thief, tokenExchange, parameters, { DPoP: otherKey }))).toBe('invalid_grant');
    expect(idp.stats().tokenExchange).toBe(0);
  });

  it('C13: the key the app holds in memory is non-extractable; its JWK is only in the keychain entry', async () => {
    const { secrets, key, stored } = await signedInWithDPoP();
    const lookup = await loadGrant(secrets, key, { dpop: true });
    if (lookup.status !== 'found') throw new Error(`expected the stored grant, got ${lookup.status}`);
    expect(lookup.dpopKey!.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', lookup.dpopKey!.privateKey)).rejects.toThrow();
    expect(JSON.stringify(lookup.grant)).not.toContain((await stored()).dpopKey.d);
  });

  it('C13: the key survives a restart: a new instance restores the grant from the keychain and calls the API', async () => {
    const useKeychain = (await keychainAvailable()) === undefined;
    const secrets = useKeychain ? keytarSecretStore({ service: `dev.graphql-mcp-desktop.test-dpop-${process.pid}`, timeoutMs: 3000 }) : mapSecretStore();
    const { idp, api, orders, key, start } = await signedInWithDPoP({ secrets });
    cleanup.push(async () => void (await secrets.delete(grantAccount(key)).catch(() => false)));
    const restarted = start();
    await restarted.restore();
    expect(restarted.state()).toMatchObject({ status: 'signed-in', sub: 'alice' });
    expect(idp.stats().refreshToken).toBe(1); // the restored app token came from a refresh signed with the stored key
    const result = await callApi(restarted, api);
    expect(result.isError).not.toBe(true);
    expect(orders.requests).toMatchObject([{ verified: true, aud: ordersAud, sub: 'alice' }]);
  });

  it('C13: neither the private key nor any refresh token reaches the logs at debug level', async () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => void lines.push(line) });
    const { auth, api, issued, stored, start } = await signedInWithDPoP({ logger });
    await callApi(auth, api);
    const { dpopKey, refreshToken } = await stored();
    const restarted = start();
    await restarted.restore();
    await callApi(restarted, api);
    await restarted.signOut();
    const refreshTokens = [refreshToken, ...issued.map((response) => response.refresh_token)].filter((value): value is string => typeof value === 'string');
    expect(refreshTokens.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.startsWith('debug:'))).toBe(true);
    const log = lines.join('');
    for (const secret of [dpopKey.d!, ...refreshTokens]) expect(log).not.toContain(secret);
  });

  it('C13: signIn.dpop at an IdP that does not advertise DPoP ES256 is refused before the browser opens', async () => {
    const idp = await startIdp([ordersAud]);
    cleanup.push(() => idp.close());
    const opened: string[] = [];
    const secrets = mapSecretStore();
    const apis = [apiConfig('orders', 'exchange', ordersAud, 'http://127.0.0.1:9/graphql')];
    const auth = createAuth({ config: dpopConfig(idp, apis), secrets, openExternal: browserSigningInAs('alice', opened), logger: silentLogger });
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'AUTH_ISSUER_INVALID', message: /does not advertise DPoP with ES256/ });
    expect(auth.state()).toMatchObject({ status: 'error', code: 'AUTH_ISSUER_INVALID' });
    expect(opened).toEqual([]);
    expect(secrets.entries.size).toBe(0);
    await expect(auth.authorizer.tokenFor(apis[0]!)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
  });

  it('C13: turning dpop on discards a stored grant without a key (E3), so an unbound refresh token is never used', async () => {
    const idp = await startIdp([ordersAud], undefined, { dpop: true });
    cleanup.push(() => idp.close());
    const secrets = mapSecretStore();
    const apis = [apiConfig('orders', 'exchange', ordersAud, 'http://127.0.0.1:9/graphql')];
    const plain = createAuth({ config: appConfig(idp, apis), secrets, openExternal: browserSigningInAs('alice'), logger: silentLogger });
    await plain.signIn();
    await waitForState(plain, 'signed-in');
    const bound = createAuth({ config: dpopConfig(idp, apis), secrets, openExternal: browserSigningInAs('alice'), logger: silentLogger });
    await bound.restore();
    expect(bound.state()).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/no valid DPoP key/) });
    expect(secrets.entries.size).toBe(0);
    expect(idp.stats().refreshToken).toBe(0);
  });
});
