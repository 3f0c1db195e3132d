import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { verifyBearer } from '../../electron/core/demo/verifyBearer.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import type { LoginOverHttpOptions } from '../helpers/loginOverHttp.ts';

const appResource = 'urn:graphql-mcp-desktop:app';
const ordersApi = 'http://127.0.0.1:9/orders/graphql';
const usersApi = 'urn:demo:users';
const exchangeGrant = 'urn:ietf:params:oauth:grant-type:token-exchange';
const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

let idp: DemoIdp;
let config: client.Configuration;

beforeAll(async () => {
  idp = await startDemoIdp({
    appResource,
    apis: [
      { resource: ordersApi, scopes: ['orders:read', 'orders:write'] },
      { resource: usersApi, scopes: ['users:read'] },
    ],
  });
  // Tests only: the demo issuer is plain http on loopback.
  config = await client.discovery(new URL(idp.issuer), idp.clientId, undefined, client.None(), {
    execute: [client.allowInsecureRequests],
  });
});

afterAll(async () => {
  await idp.close();
});

/** A full authorization-code + PKCE sign-in for the app resource and both APIs. */
async function signIn(
  name = 'alice',
  redirectUri = 'http://127.0.0.1:4567/callback',
  login: LoginOverHttpOptions = {},
  prompt: string | undefined = 'consent',
) {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const params = new URLSearchParams({
    redirect_uri: redirectUri,
    scope: 'openid offline_access orders:read users:read',
    state,
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  });
  if (prompt) params.set('prompt', prompt);
  for (const resource of [appResource, ordersApi, usersApi]) params.append('resource', resource);
  const callback = await loginOverHttp(client.buildAuthorizationUrl(config, params).href, name, login);
  const tokens = await client.authorizationCodeGrant(
    config,
    new URL(callback),
    { pkceCodeVerifier: verifier, expectedState: state },
    { resource: appResource },
  );
  return { callback, tokens };
}

async function exchange(subjectToken: string, resource: string) {
  return client.genericGrantRequest(config, exchangeGrant, {
    subject_token: subjectToken,
    subject_token_type: accessTokenType,
    resource,
  });
}

describe('startDemoIdp', () => {
  it('publishes discovery with PKCE S256, RFC 9207 iss, revocation, introspection and token exchange', async () => {
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(idp.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token', exchangeGrant]),
    );
    expect(metadata.revocation_endpoint).toBe(`${idp.issuer}/token/revocation`);
    expect(metadata.introspection_endpoint).toBe(`${idp.issuer}/token/introspection`);
    expect(metadata.jwks_uri).toBe(idp.jwksUri);
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('advertises DPoP (ES256) only when started with dpop', async () => {
    expect(config.serverMetadata().dpop_signing_alg_values_supported).toBeUndefined();
    const withDPoP = await startDemoIdp({ apis: [], dpop: true });
    try {
      const metadata = (await (await fetch(`${withDPoP.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(metadata.dpop_signing_alg_values_supported).toContain('ES256');
    } finally {
      await withDPoP.close();
    }
  });

  it('is down after close, and starts again on the same port when asked', async () => {
    const first = await startDemoIdp({ apis: [] });
    await first.close();
    await expect(fetch(`${first.issuer}/.well-known/openid-configuration`)).rejects.toThrow();
    const again = await startDemoIdp({ apis: [], port: first.port });
    try {
      expect(again.issuer).toBe(first.issuer);
      expect((await fetch(`${again.issuer}/.well-known/openid-configuration`)).status).toBe(200);
    } finally {
      await again.close();
    }
  });

  it('refuses an API whose resource is the app resource', async () => {
    await expect(startDemoIdp({ apis: [{ resource: appResource, scopes: [] }] })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('serves a public RS256 key set without private parts', async () => {
    const jwks = (await (await fetch(idp.jwksUri)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('signs in with code + PKCE and issues a refresh token and a JWT for the app resource', async () => {
    const before = idp.stats().authorizationCode;
    const { callback, tokens } = await signIn('alice');
    const url = new URL(callback);
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:4567/callback');
    expect(url.searchParams.get('iss')).toBe(idp.issuer);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ aud: appResource, sub: 'alice', iss: idp.issuer, client_id: idp.clientId });
    expect(tokens.claims()?.sub).toBe('alice');
    expect(idp.stats().authorizationCode).toBe(before + 1);
  });

  it('issues a refresh token for offline_access even without prompt=consent', async () => {
    const { tokens } = await signIn('lee', undefined, {}, undefined);
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('takes any name as the subject, markup included', async () => {
    const { tokens } = await signIn(`<b>o'hara</b>`);
    expect(decodeJwt(tokens.access_token).sub).toBe(`<b>o'hara</b>`);
  });

  it('shows a consent page, with the name escaped, when the browser is still signed in', async () => {
    const cookies = new Map<string, string>();
    const pages: string[] = [];
    await signIn('<i>kim</i>', undefined, { cookies, onPage: (html) => pages.push(html) });
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('<input id="login" name="login"');
    const { tokens } = await signIn('ignored', undefined, { cookies, onPage: (html) => pages.push(html) });
    expect(pages).toHaveLength(2);
    expect(pages[1]).toContain('Signed in as <strong>&#60;i&#62;kim&#60;/i&#62;</strong>');
    expect(pages[1]).not.toContain('<i>kim</i>');
    expect(pages[1]).not.toContain('name="login"');
    expect(decodeJwt(tokens.access_token).sub).toBe('<i>kim</i>');
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('refuses an authorization request without PKCE', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:4567/callback',
      scope: 'openid',
      state: 'x',
    });
    const callback = new URL(await loginOverHttp(url.href));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('renders an escaped error page, not a redirect, for a redirect_uri it does not know', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://localhost:4567/callback',
      scope: 'openid',
      state: '<script>x</script>',
    });
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('invalid_redirect_uri');
    expect(html).not.toContain('<script>');
  });

  it('redirects with access_denied when the user cancels', async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: 'http://127.0.0.1:4567/callback',
      scope: 'openid offline_access',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      state: 'x',
    });
    const callback = new URL(await loginOverHttp(url.href, 'alice', { cancel: true }));
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('issues a JWT whose aud is the API on refresh with resource, rotating the refresh token', async () => {
    const { tokens } = await signIn('bob');
    const before = idp.stats();
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!, { resource: ordersApi });
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ aud: ordersApi, sub: 'bob', scope: 'orders:read' });
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    const after = idp.stats();
    expect(after.refreshToken).toBe(before.refreshToken + 1);
    expect(after.byResource[ordersApi]?.refreshToken).toBe((before.byResource[ordersApi]?.refreshToken ?? 0) + 1);
  });

  it('answers invalid_target for a resource that is not a known API', async () => {
    const { tokens } = await signIn('carol');
    const refresh = client.refreshTokenGrant(config, tokens.refresh_token!, { resource: 'urn:unknown:api' });
    await expect(refresh).rejects.toMatchObject({ error: 'invalid_target' });
    await expect(exchange(tokens.access_token, 'urn:unknown:api')).rejects.toMatchObject({ error: 'invalid_target' });
  });

  it('counts revocations at the revocation endpoint', async () => {
    const { tokens } = await signIn('dave');
    const before = idp.stats().revocations;
    await client.tokenRevocation(config, tokens.refresh_token!);
    expect(idp.stats().revocations).toBe(before + 1);
    const introspection = await client.tokenIntrospection(config, tokens.refresh_token!);
    expect(introspection.active).toBe(false);
  });
});

describe('token exchange (RFC 8693)', () => {
  it('issues a token for the API with the same sub and an act claim naming the client', async () => {
    const { tokens } = await signIn('erin');
    const before = idp.stats();
    const response = await exchange(tokens.access_token, usersApi);
    expect(response.issued_token_type).toBe(accessTokenType);
    expect(response.token_type.toLowerCase()).toBe('bearer');
    expect(response.expires_in).toBeGreaterThan(0);
    expect(response.expires_in).toBeLessThanOrEqual(600);
    expect(response.scope).toBe('users:read');
    const claims = decodeJwt(response.access_token);
    expect(claims).toMatchObject({ aud: usersApi, sub: 'erin', iss: idp.issuer, act: { sub: idp.clientId } });
    const after = idp.stats();
    expect(after.tokenExchange).toBe(before.tokenExchange + 1);
    expect(after.byResource[usersApi]?.tokenExchange).toBe((before.byResource[usersApi]?.tokenExchange ?? 0) + 1);
  });

  it('answers invalid_grant when the subject token was issued for an API, not the app', async () => {
    const { tokens } = await signIn('frank');
    const apiToken = (await client.refreshTokenGrant(config, tokens.refresh_token!, { resource: ordersApi })).access_token;
    await expect(exchange(apiToken, usersApi)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_grant for a garbage or badly signed subject token', async () => {
    await expect(exchange('not-a-jwt', usersApi)).rejects.toMatchObject({ error: 'invalid_grant' });
    const [header, payload] = (await signIn('mallory')).tokens.access_token.split('.');
    await expect(exchange(`${header}.${payload}.AAAA`, usersApi)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('accepts the target as audience instead of resource, and narrows to a requested scope', async () => {
    const { tokens } = await signIn('mia');
    const response = await client.genericGrantRequest(config, exchangeGrant, {
      subject_token: tokens.access_token,
      subject_token_type: accessTokenType,
      audience: ordersApi,
      scope: 'orders:read',
    });
    expect(response.scope).toBe('orders:read');
    expect(decodeJwt(response.access_token)).toMatchObject({ aud: ordersApi, sub: 'mia', scope: 'orders:read' });
  });

  it('answers invalid_scope for a scope the target API does not have', async () => {
    const { tokens } = await signIn('nina');
    const request = client.genericGrantRequest(config, exchangeGrant, {
      subject_token: tokens.access_token,
      subject_token_type: accessTokenType,
      resource: usersApi,
      scope: 'orders:read',
    });
    await expect(request).rejects.toMatchObject({ error: 'invalid_scope' });
  });

  it('answers invalid_request for a wrong subject_token_type', async () => {
    const { tokens } = await signIn('grace');
    const request = client.genericGrantRequest(config, exchangeGrant, {
      subject_token: tokens.access_token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      resource: usersApi,
    });
    await expect(request).rejects.toMatchObject({ error: 'invalid_request' });
  });
});

describe('verifyBearer against the demo IdP', () => {
  it('accepts an exchanged token at its API only, and refuses the login token at any API', async () => {
    const { tokens } = await signIn('ivan');
    const usersToken = (await exchange(tokens.access_token, usersApi)).access_token;
    const atUsers = verifyBearer({ issuer: idp.issuer, jwksUri: idp.jwksUri, audience: usersApi });
    const atOrders = verifyBearer({ issuer: idp.issuer, jwksUri: idp.jwksUri, audience: ordersApi });
    expect(await atUsers(`Bearer ${usersToken}`)).toMatchObject({ ok: true, claims: { sub: 'ivan', aud: usersApi } });
    expect(await atOrders(`Bearer ${usersToken}`)).toMatchObject({ ok: false, status: 401 });
    expect(await atUsers(`Bearer ${tokens.access_token}`)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses tokens from an earlier start of the IdP (keys are regenerated)', async () => {
    const { tokens } = await signIn('judy');
    const usersToken = (await exchange(tokens.access_token, usersApi)).access_token;
    const restarted = await startDemoIdp({ appResource, apis: [{ resource: usersApi, scopes: ['users:read'] }] });
    try {
      const check = verifyBearer({ issuer: idp.issuer, jwksUri: restarted.jwksUri, audience: usersApi });
      expect(await check(`Bearer ${usersToken}`)).toMatchObject({ ok: false, status: 401 });
    } finally {
      await restarted.close();
    }
  });
});

describe('loginOverHttp', () => {
  it('GETs the callback when follow is set', async () => {
    const hits: string[] = [];
    const listener = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('ok');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const { port } = listener.address() as AddressInfo;
    try {
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `http://127.0.0.1:${port}/callback`,
        scope: 'openid',
        code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
        code_challenge_method: 'S256',
        state: 's1',
      });
      const callback = await loginOverHttp(url.href, 'heidi', { follow: true });
      expect(hits).toHaveLength(1);
      expect(new URL(callback).pathname + new URL(callback).search).toBe(hits[0]);
      expect(new URL(callback).searchParams.get('state')).toBe('s1');
    } finally {
      listener.close();
    }
  });
});
