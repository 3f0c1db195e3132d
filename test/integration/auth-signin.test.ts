import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAuth } from '../../electron/core/auth/createAuth.ts';
import { grantAccount } from '../../electron/core/auth/grantStore.ts';
import { decodeJwtClaims } from '../../electron/core/auth/jwtClaims.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import {
  apiConfig, appConfig, appResource, browserSigningInAs, callApi, mapSecretStore, startIdp, startRecordingUpstream,
  waitForState, type RecordingUpstream,
} from '../helpers/authHarness.ts';

const ordersAud = 'https://orders.example';
const billingAud = 'https://billing.example';
let idp: DemoIdp;
let orders: RecordingUpstream;
let billing: RecordingUpstream;

beforeEach(async () => {
  idp = await startIdp([ordersAud, billingAud]);
  orders = await startRecordingUpstream(idp, ordersAud);
  billing = await startRecordingUpstream(idp, billingAud);
});
afterEach(async () => {
  await Promise.all([orders.close(), billing.close()]);
  await idp.close();
});

function setup() {
  const apis = [apiConfig('orders', 'exchange', ordersAud, orders.url, ['orders.example:read']), apiConfig('billing', 'resource', billingAud, billing.url, ['billing.example:read'])];
  const secrets = mapSecretStore();
  const opened: string[] = [];
  const auth = createAuth({ config: appConfig(idp, apis), secrets, openExternal: browserSigningInAs('alice', opened), logger: silentLogger });
  return { auth, apis, secrets, opened };
}

describe('createAuth sign-in', () => {
  it('signs in through the injected openExternal and stores only the grant in the SecretStore', async () => {
    const { auth, secrets, opened } = setup();
    expect(auth.state()).toEqual({ status: 'signed-out' });
    const { authorizationUrl } = await auth.signIn();
    expect(opened).toEqual([authorizationUrl]);
    const url = new URL(authorizationUrl);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.getAll('resource')).toEqual([appResource, billingAud]);
    expect(url.searchParams.get('scope')).toBe('openid offline_access billing.example:read');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(await waitForState(auth, 'signed-in')).toEqual({ status: 'signed-in', sub: 'alice', issuer: idp.issuer });
    const stored = JSON.parse(secrets.entries.get(grantAccount({ issuer: idp.issuer, clientId: idp.clientId }))!);
    expect(Object.keys(stored).sort()).toEqual(['clientId', 'issuer', 'refreshToken', 'resources', 'savedAt', 'scope', 'sub']);
    expect(secrets.entries.size).toBe(1);
  });

  it('signs in when the login is driven over HTTP from the printed URL (headless)', async () => {
    const apis = [apiConfig('orders', 'exchange', ordersAud, orders.url)];
    const auth = createAuth({ config: appConfig(idp, apis), secrets: mapSecretStore(), openExternal: async () => {}, logger: silentLogger });
    const { authorizationUrl } = await auth.signIn();
    expect(auth.state().status).toBe('signing-in');
    await loginOverHttp(authorizationUrl, 'bob', { follow: true });
    expect(await waitForState(auth, 'signed-in')).toMatchObject({ sub: 'bob' });
  });

  it('gives each API a token whose aud is that API and keeps the user as sub (C1, identity)', async () => {
    const { auth, apis } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    for (const api of apis) expect((await callApi(auth, api)).isError).toBeFalsy();
    expect(orders.requests).toMatchObject([{ verified: true, aud: ordersAud, sub: 'alice' }]);
    expect(billing.requests).toMatchObject([{ verified: true, aud: billingAud, sub: 'alice' }]);
    const exchanged = decodeJwtClaims(orders.requests[0]!.authorization!.slice(7))!;
    expect(exchanged.act).toEqual({ sub: idp.clientId });
  });

  it('restores the signed-in state from the stored grant in a new app instance', async () => {
    const { auth, apis, secrets } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    const next = createAuth({ config: appConfig(idp, apis), secrets, openExternal: async () => { throw new Error('no browser'); }, logger: silentLogger });
    await next.restore();
    expect(next.state()).toEqual({ status: 'signed-in', sub: 'alice', issuer: idp.issuer });
    expect((await callApi(next, apis[0]!)).isError).toBeFalsy();
    expect(orders.requests.at(-1)).toMatchObject({ verified: true, aud: ordersAud });
  });

  it('discards a stored grant made for another signIn.resource without asking the IdP (C7, C11)', async () => {
    const { auth, apis, secrets } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    const changed = appConfig(idp, apis, 'urn:graphql-mcp-desktop:other');
    const before = idp.stats();
    const next = createAuth({ config: changed, secrets, openExternal: async () => {}, logger: silentLogger });
    await next.restore();
    expect(next.state()).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/another signIn.resource/) });
    expect(secrets.entries.size).toBe(0);
    expect(idp.stats()).toEqual(before);
  });

  it('stays signed out on restore with an empty store', async () => {
    const { auth } = setup();
    await auth.restore();
    expect(auth.state()).toEqual({ status: 'signed-out' });
    await expect(auth.authorizer.tokenFor(setup().apis[0]!)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
  });

  it('signs out: revokes the refresh token at the IdP, deletes it, and later calls need sign-in (E5)', async () => {
    const { auth, apis, secrets } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    const refreshToken = JSON.parse([...secrets.entries.values()][0]!).refreshToken as string;
    await auth.signOut();
    expect(auth.state()).toEqual({ status: 'signed-out' });
    expect(secrets.entries.size).toBe(0);
    expect(idp.stats().revocations).toBe(1);
    const refresh = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: idp.clientId }),
    });
    expect(((await refresh.json()) as { error?: string }).error).toBe('invalid_grant');
    expect((await callApi(auth, apis[0]!)).isError).toBe(true);
    await auth.signOut(); // nothing left to delete: not an error
    expect(auth.state()).toEqual({ status: 'signed-out' });
  });

  it('signs out from a fresh instance (CLI logout) by revoking the stored grant', async () => {
    const { auth, apis, secrets } = setup();
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    const cli = createAuth({ config: appConfig(idp, apis), secrets, openExternal: async () => {}, logger: silentLogger });
    await cli.signOut();
    expect(secrets.entries.size).toBe(0);
    expect(idp.stats().revocations).toBe(1);
  });
});

describe('createAuth without signIn', () => {
  it('is not-configured and refuses every API that needs a token with a clear message', async () => {
    const apis = [apiConfig('orders', 'exchange', ordersAud, orders.url), apiConfig('open', 'none', undefined, orders.url)];
    const auth = createAuth({ config: { server: { port: 0 }, apis }, secrets: mapSecretStore(), openExternal: async () => {}, logger: silentLogger });
    expect(auth.state()).toEqual({ status: 'not-configured' });
    await expect(auth.authorizer.tokenFor(apis[0]!)).rejects.toThrow(/no signIn block/);
    expect(await auth.authorizer.tokenFor(apis[1]!)).toBeUndefined();
  });
});
