// Security cases D1–D12 (issue 3: D34–D45): the app's OIDC login against the demo IdP.
import { afterEach, describe, expect, it } from 'vitest';
import { createAuth, type CreateAuthOptions } from '../../electron/core/auth/createAuth.ts';
import { decodeJwtClaims } from '../../electron/core/auth/jwtClaims.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import { apiConfig, appConfig, fakeJwt, interceptingFetch, mapSecretStore, startIdp, waitForState } from '../helpers/authHarness.ts';

const billingAud = 'https://billing.example';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function started(options: Partial<CreateAuthOptions> & { issuer?(idp: DemoIdp): string; insecure?: boolean } = {}) {
  const idp = await startIdp([billingAud]);
  cleanup.push(() => idp.close());
  const config = appConfig(idp, [apiConfig('billing', 'resource', billingAud, 'http://127.0.0.1:9/graphql')]);
  config.signIn!.issuer = options.issuer?.(idp) ?? idp.issuer;
  config.signIn!.allowInsecureLoopback = options.insecure ?? true;
  const secrets = mapSecretStore();
  const opened: string[] = [];
  const auth = createAuth({ config, secrets, openExternal: async (url) => void opened.push(url), logger: silentLogger, ...options });
  return { idp, auth, secrets, opened, signIn: async () => (await auth.signIn()).authorizationUrl };
}

/** Drives the IdP's login with a (possibly tampered) authorization URL; returns the redirect to the app, not followed. */
function tamper(url: string, edit: (params: URLSearchParams) => void): string {
  const parsed = new URL(url);
  edit(parsed.searchParams);
  return parsed.href;
}

const failedPage = /did not complete/;
const nothingPersisted = (secrets: ReturnType<typeof mapSecretStore>) => expect(secrets.entries.size).toBe(0);

describe('security D: OIDC login', () => {
  it('D1: a callback with a wrong or missing state is rejected before any code is redeemed', async () => {
    const { idp, auth, secrets, signIn } = await started();
    const callback = new URL(await loginOverHttp(await signIn(), 'alice'));
    for (const state of ['wrong', null]) {
      const forged = new URL(callback);
      if (state) forged.searchParams.set('state', state);
      else forged.searchParams.delete('state');
      expect((await fetch(forged)).status).toBe(400);
    }
    expect(idp.stats().authorizationCode + idp.stats().failedGrants).toBe(0);
    expect(auth.state().status).toBe('signing-in');
    nothingPersisted(secrets);
    await auth.signOut();
  });

  it('D2: an ID token with another nonce is rejected', async () => {
    const { auth, secrets, signIn } = await started();
    await loginOverHttp(tamper(await signIn(), (p) => p.set('nonce', 'attacker-nonce')), 'alice', { follow: true });
    expect(await waitForState(auth, 'error')).toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
    nothingPersisted(secrets);
  });

  it('D3: PKCE is always S256, and a code redeemed with the wrong verifier gets invalid_grant', async () => {
    const { idp, auth, secrets, signIn } = await started();
    const url = await signIn();
    expect(new URL(url).searchParams.get('code_challenge_method')).toBe('S256');
    const other = tamper(url, (p) => p.set('code_challenge', 'A'.repeat(43)));
    await loginOverHttp(other, 'alice', { follow: true });
    expect(await waitForState(auth, 'error')).toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
    expect(idp.stats()).toMatchObject({ authorizationCode: 0, failedGrants: 1 });
    nothingPersisted(secrets);
  });

  it('D4: a callback whose iss differs from the issuer, or lacks iss while advertised, is rejected', async () => {
    for (const edit of [(u: URL) => u.searchParams.set('iss', 'https://evil.example'), (u: URL) => u.searchParams.delete('iss')]) {
      const { idp, auth, secrets, signIn } = await started();
      const callback = new URL(await loginOverHttp(await signIn(), 'alice'));
      expect(callback.searchParams.get('iss')).toBe(idp.issuer);
      edit(callback);
      const page = await (await fetch(callback)).text();
      expect(page).toMatch(failedPage);
      expect(await waitForState(auth, 'error')).toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
      expect(idp.stats().authorizationCode + idp.stats().failedGrants).toBe(0);
      nothingPersisted(secrets);
    }
  });

  it('D5: a discovery document whose issuer differs from the configured issuer is refused', async () => {
    const { auth, opened } = await started({ issuer: (idp) => `${idp.issuer}/` });
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'AUTH_ISSUER_INVALID' });
    expect(auth.state()).toMatchObject({ status: 'error', code: 'AUTH_ISSUER_INVALID' });
    expect(opened).toEqual([]);
  });

  it('D6: an error callback shows a static page that reflects nothing, and no token request is made', async () => {
    const { idp, auth, secrets, signIn } = await started();
    const url = new URL(await signIn());
    const callback = new URL(url.searchParams.get('redirect_uri')!);
    callback.search = new URLSearchParams({
      state: url.searchParams.get('state')!, iss: idp.issuer, error: 'access_denied', error_description: '<script>alert("x")</script>',
    }).toString();
    const page = await (await fetch(callback)).text();
    expect(page).toMatch(failedPage);
    expect(page).not.toMatch(/script|alert|access_denied/);
    expect(await waitForState(auth, 'signed-out')).toMatchObject({ reason: expect.stringMatching(/cancelled/) });
    expect(idp.stats().authorizationCode + idp.stats().failedGrants).toBe(0);
    nothingPersisted(secrets);
  });

  it('D6/D12: pressing Cancel at the IdP leaves the app signed out with nothing stored', async () => {
    const { auth, secrets, signIn } = await started();
    await loginOverHttp(await signIn(), 'alice', { cancel: true, follow: true });
    expect(await waitForState(auth, 'signed-out')).toMatchObject({ status: 'signed-out' });
    nothingPersisted(secrets);
  });

  it('D7: a replayed callback finds the listener closed; a replayed code gets invalid_grant and revokes the grant', async () => {
    let verifier = '';
    const fetch = interceptingFetch({ request: (_url, form) => void (verifier ||= form.get('code_verifier') ?? '') });
    const { idp, auth, signIn } = await started({ fetch });
    const callback = new URL(await loginOverHttp(await signIn(), 'alice'));
    await globalThis.fetch(callback);
    await waitForState(auth, 'signed-in');
    await expect(globalThis.fetch(callback)).rejects.toThrow();
    const replay = (codeVerifier: string) => globalThis.fetch(`${idp.issuer}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: callback.searchParams.get('code')!, client_id: idp.clientId,
        redirect_uri: `${callback.origin}/callback`, code_verifier: codeVerifier,
      }),
    }).then((response) => response.json() as Promise<{ error?: string }>);
    expect((await replay('x'.repeat(43))).error).toBe('invalid_grant'); // without the verifier: PKCE stops it
    expect((await replay(verifier)).error).toBe('invalid_grant'); // even with it (a leaked verifier): code consumed
    // oidc-provider revoked the whole grant: the app's next refresh fails and it signs out instead of retrying.
    const billing = apiConfig('billing', 'resource', billingAud, 'http://127.0.0.1:9/graphql');
    await expect(auth.authorizer.tokenFor(billing)).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_REQUIRED' });
    expect(auth.state()).toMatchObject({ status: 'signed-out', reason: expect.stringMatching(/expired or was revoked/) });
  });

  it('D8: redirect URI variants are rejected by the AS; the listener takes GET /callback only and times out', async () => {
    const { auth, signIn } = await started();
    const url = await signIn();
    const redirect = new URL(new URL(url).searchParams.get('redirect_uri')!);
    const localhost = tamper(url, (p) => p.set('redirect_uri', redirect.href.replace('127.0.0.1', 'localhost')));
    await expect(loginOverHttp(localhost, 'alice')).rejects.toThrow(/answered 400/);
    const otherPath = tamper(url, (p) => p.set('redirect_uri', `${redirect.origin}/other`));
    await expect(loginOverHttp(otherPath, 'alice')).rejects.toThrow(/answered 400/);
    expect((await fetch(redirect, { method: 'POST' })).status).toBe(405);
    expect((await fetch(new URL('/', redirect))).status).toBe(404);
    await auth.signOut();
    const short = await started({ callbackTimeoutMs: 200 });
    await short.signIn();
    expect(await waitForState(short.auth, 'signed-out')).toMatchObject({ reason: expect.stringMatching(/timed out/) });
  });

  it.each([
    ['javascript:', 'javascript:alert(1)//'],
    ['file:', 'file:///etc/passwd'],
    ['smb:', 'smb://attacker.example/share'],
    ['http: outside loopback', 'http://idp.example/auth'],
    ['$(…)', 'https://idp.example/$(calc)'],
    ['backticks', 'https://idp.example/`calc`'],
  ])('D9: an authorization_endpoint with %s is refused before anything is opened', async (_name, endpoint) => {
    const fetch = interceptingFetch({ response: (url, json) => (url.pathname.endsWith('openid-configuration') ? { ...json, authorization_endpoint: endpoint } : json) });
    const { auth, opened } = await started({ fetch });
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'AUTH_ISSUER_INVALID' });
    expect(opened).toEqual([]);
  });

  it('D10: an http issuer without allowInsecureLoopback is a startup error and nothing is requested', async () => {
    const requested: string[] = [];
    const { auth } = await started({ insecure: false, fetch: async (input) => (requested.push(String(input)), new Response('{}')) });
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'AUTH_ISSUER_INVALID' });
    await auth.restore();
    expect(requested).toEqual([]);
  });

  it.each([
    ['alg none', (claims: Record<string, unknown>) => fakeJwt(claims, { alg: 'none' })],
    ['a wrong aud', (claims: Record<string, unknown>) => fakeJwt({ ...claims, aud: 'someone-else' }, { alg: 'RS256' })],
    ['a wrong azp', (claims: Record<string, unknown>) => fakeJwt({ ...claims, aud: [claims.aud, 'x'], azp: 'someone-else' }, { alg: 'RS256' })],
  ])('D11: an ID token with %s is rejected', async (_name, forge) => {
    const fetch = interceptingFetch({
      response: (_url, json) => (typeof json.id_token === 'string' ? { ...json, id_token: forge(decodeJwtClaims(json.id_token)!) } : json),
    });
    const { auth, secrets, signIn } = await started({ fetch });
    await loginOverHttp(await signIn(), 'alice', { follow: true });
    expect(await waitForState(auth, 'error')).toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
    nothingPersisted(secrets);
  });

  it('D12: a browser that cannot be opened, or a sign-out during sign-in, leaves the app signed out with nothing stored', async () => {
    const { auth, secrets } = await started({ openExternal: async () => { throw new Error('no browser'); } });
    await expect(auth.signIn()).rejects.toMatchObject({ code: 'AUTH_SIGN_IN_FAILED' });
    expect(auth.state()).toMatchObject({ status: 'signed-out' });
    const second = await started();
    const url = await second.signIn();
    await second.auth.signOut();
    expect(second.auth.state()).toEqual({ status: 'signed-out' });
    await expect(fetch(new URL(url).searchParams.get('redirect_uri')!)).rejects.toThrow();
    nothingPersisted(secrets);
    nothingPersisted(second.secrets);
  });

  it('D12: a sign-out while the code is being redeemed keeps nothing and revokes what the IdP issued', async () => {
    let redeeming: () => void = () => {};
    const atTokenEndpoint = new Promise<void>((resolve) => (redeeming = resolve));
    const slow: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/token')) {
        redeeming();
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      return fetch(input, init);
    };
    const { idp, auth, secrets, signIn } = await started({ fetch: slow });
    const callback = loginOverHttp(await signIn(), 'alice', { follow: true });
    await atTokenEndpoint;
    await auth.signOut();
    await callback.catch(() => {});
    // The revocation is the last step of a redeem that finished after sign-out; once it is in, nothing else comes.
    await expect.poll(() => idp.stats().revocations, { timeout: 10_000 }).toBe(1);
    expect(auth.state()).toEqual({ status: 'signed-out' });
    expect(idp.stats()).toMatchObject({ authorizationCode: 1, revocations: 1 });
    nothingPersisted(secrets);
  });
});
