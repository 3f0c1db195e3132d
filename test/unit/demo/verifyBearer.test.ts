import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { JWK, JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyBearer } from '../../../electron/core/demo/verifyBearer.ts';

const issuer = 'http://127.0.0.1:4444';
const jwksUri = `${issuer}/jwks`;
const audience = 'urn:demo:orders';

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let privateKey: PrivateKey;
let otherKey: PrivateKey;
let publicJwk: JWK;
let jwksFetches = 0;

// The JWKS arrives through the injected fetch, as it would from the IdP's jwks_uri.
const fetchJwks: typeof fetch = async (input) => {
  jwksFetches += 1;
  expect(String(input instanceof Request ? input.url : input)).toBe(jwksUri);
  return Response.json({ keys: [publicJwk] });
};

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  privateKey = pair.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair('RS256'));
});

function sign(claims: JWTPayload, options: { key?: PrivateKey; typ?: string; kid?: string; expiresIn?: string | number } = {}) {
  return new SignJWT({ sub: 'alice', client_id: 'graphql-mcp-desktop', ...claims })
    .setProtectedHeader({ alg: 'RS256', typ: options.typ ?? 'at+jwt', kid: options.kid ?? 'k1' })
    .setIssuer(issuer)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? privateKey);
}

const check = () => verifyBearer({ issuer, jwksUri, audience, fetch: fetchJwks });

describe('verifyBearer', () => {
  it('accepts a token signed by the issuer whose aud names the API', async () => {
    const result = await check()(`Bearer ${await sign({ aud: audience })}`);
    expect(result).toMatchObject({ ok: true, claims: { sub: 'alice', aud: audience } });
  });

  it('accepts the scheme case-insensitively and an aud array that includes the API', async () => {
    const result = await check()(`bearer ${await sign({ aud: ['urn:other', audience] })}`);
    expect(result.ok).toBe(true);
  });

  it.each([
    ['missing', undefined, 'missing bearer token'],
    ['empty', '', 'missing bearer token'],
    ['Basic', 'Basic YWxpY2U6eA==', 'malformed Authorization header'],
    ['empty bearer', 'Bearer ', 'malformed Authorization header'],
    ['two spaces', 'Bearer  abc.def.ghi', 'malformed Authorization header'],
    ['garbage', 'Bearer not-a-jwt', 'the token is malformed'],
  ])('answers 401 invalid_token when the header is %s', async (_name, header, description) => {
    const result = await check()(header);
    expect(result).toEqual({
      ok: false,
      status: 401,
      wwwAuthenticate: `Bearer error="invalid_token", error_description="${description}"`,
    });
  });

  it('answers 401 when the aud names another API, without echoing the token', async () => {
    const token = await sign({ aud: 'urn:demo:users' });
    const result = await check()(`Bearer ${token}`);
    expect(result).toMatchObject({ ok: false, status: 401 });
    if (result.ok) return;
    expect(result.wwwAuthenticate).toContain('the token was not issued for this API');
    expect(result.wwwAuthenticate).not.toContain(token.split('.')[1]);
  });

  it('answers 401 when the token has expired', async () => {
    const token = await sign({ aud: audience }, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    const result = await check()(`Bearer ${token}`);
    expect(result).toMatchObject({ ok: false, wwwAuthenticate: expect.stringContaining('expired') });
  });

  it('answers 401 when the signature comes from another key', async () => {
    const result = await check()(`Bearer ${await sign({ aud: audience }, { key: otherKey })}`);
    expect(result).toMatchObject({ ok: false, wwwAuthenticate: expect.stringContaining('signature is invalid') });
  });

  it('answers 401 when the issuer differs', async () => {
    const token = await new SignJWT({ sub: 'alice', aud: audience })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: 'k1' })
      .setIssuer('http://127.0.0.1:5555')
      .setExpirationTime('5m')
      .sign(privateKey);
    const result = await check()(`Bearer ${token}`);
    expect(result).toMatchObject({ ok: false, wwwAuthenticate: expect.stringContaining('expected issuer') });
  });

  it('answers 401 when the token is not an access token (typ is not at+jwt)', async () => {
    const result = await check()(`Bearer ${await sign({ aud: audience }, { typ: 'JWT' })}`);
    expect(result).toMatchObject({ ok: false, wwwAuthenticate: expect.stringContaining('typ') });
  });

  it('answers 401 when the kid is unknown, after refetching the key set', async () => {
    const verify = check();
    const before = jwksFetches;
    const result = await verify(`Bearer ${await sign({ aud: audience }, { kid: 'rotated-away' })}`);
    expect(result).toMatchObject({ ok: false, wwwAuthenticate: expect.stringContaining('unknown key') });
    expect(jwksFetches).toBeGreaterThan(before);
  });

  it('answers 401 when the key set cannot be fetched', async () => {
    const verify = verifyBearer({ issuer, jwksUri, audience, fetch: async () => { throw new TypeError('fetch failed'); } });
    const result = await verify(`Bearer ${await sign({ aud: audience })}`);
    expect(result).toMatchObject({ ok: false, status: 401 });
  });
});
