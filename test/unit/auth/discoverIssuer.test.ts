import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkIssuerUrl, discoverIssuer } from '../../../electron/core/auth/discoverIssuer.ts';
import { AppError } from '../../../electron/core/errors.ts';

let server: Server | undefined;
afterEach(() => server?.close());

/** Serves an OpenID discovery document built from the server's own origin. */
async function serveMetadata(edit: (origin: string) => Record<string, unknown>): Promise<string> {
  server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
    if (req.url !== '/.well-known/openid-configuration') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(edit(origin)));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const metadata = (origin: string) => ({
  issuer: origin,
  authorization_endpoint: `${origin}/auth`,
  token_endpoint: `${origin}/token`,
  jwks_uri: `${origin}/jwks`,
  code_challenge_methods_supported: ['S256'],
  response_types_supported: ['code'],
});
const signInFor = (issuer: string) => ({ issuer, clientId: 'app', scopes: [], allowInsecureLoopback: true });
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'ok', (error) => (AppError.is(error) ? error.code : String(error)));

describe('discoverIssuer', () => {
  it('returns a configuration for an issuer that matches and advertises S256', async () => {
    const issuer = await serveMetadata(metadata);
    const configuration = await discoverIssuer(signInFor(issuer));
    expect(configuration.serverMetadata().token_endpoint).toBe(`${issuer}/token`);
  });

  it('refuses an IdP without S256 in code_challenge_methods_supported (D3)', async () => {
    const issuer = await serveMetadata((origin) => ({ ...metadata(origin), code_challenge_methods_supported: ['plain'] }));
    expect(await codeOf(discoverIssuer(signInFor(issuer)))).toBe('AUTH_ISSUER_INVALID');
    server!.close();
    const bare = await serveMetadata((origin) => ({ ...metadata(origin), code_challenge_methods_supported: undefined }));
    expect(await codeOf(discoverIssuer(signInFor(bare)))).toBe('AUTH_ISSUER_INVALID');
  });

  it('refuses a discovery document whose issuer differs from the configured one (D5)', async () => {
    const issuer = await serveMetadata((origin) => ({ ...metadata(origin), issuer: 'https://evil.example' }));
    expect(await codeOf(discoverIssuer(signInFor(issuer)))).toBe('AUTH_ISSUER_INVALID');
  });

  it('refuses an authorization endpoint that could not be opened safely (D9)', async () => {
    const issuer = await serveMetadata((origin) => ({ ...metadata(origin), authorization_endpoint: 'file:///etc/passwd' }));
    expect(await codeOf(discoverIssuer(signInFor(issuer)))).toBe('AUTH_ISSUER_INVALID');
  });

  it('with signIn.dpop, refuses an IdP that does not advertise DPoP with ES256 (C13)', async () => {
    for (const algs of [undefined, ['EdDSA']]) {
      const issuer = await serveMetadata((origin) => ({ ...metadata(origin), dpop_signing_alg_values_supported: algs }));
      const refused = await discoverIssuer({ ...signInFor(issuer), dpop: true }).catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'AUTH_ISSUER_INVALID', message: expect.stringContaining('dpop_signing_alg_values_supported') });
      expect(await codeOf(discoverIssuer(signInFor(issuer)))).toBe('ok');
      await new Promise((resolve) => server!.close(resolve));
    }
    const issuer = await serveMetadata((origin) => ({ ...metadata(origin), dpop_signing_alg_values_supported: ['EdDSA', 'ES256'] }));
    expect(await codeOf(discoverIssuer({ ...signInFor(issuer), dpop: true }))).toBe('ok');
  });

  it('reports an unreachable IdP as AUTH_IDP_UNREACHABLE', async () => {
    const issuer = await serveMetadata(metadata);
    await new Promise((resolve) => server!.close(resolve));
    expect(await codeOf(discoverIssuer(signInFor(issuer)))).toBe('AUTH_IDP_UNREACHABLE');
  });

  it('uses the injected fetch', async () => {
    const issuer = await serveMetadata(metadata);
    const seen: string[] = [];
    await discoverIssuer(signInFor(issuer), { fetch: (input, init) => (seen.push(String(input)), fetch(input, init)) });
    expect(seen).toEqual([`${issuer}/.well-known/openid-configuration`]);
  });
});

describe('checkIssuerUrl', () => {
  it('allows http only to 127.0.0.1 with allowInsecureLoopback (D10)', () => {
    expect(checkIssuerUrl({ issuer: 'https://idp.example', clientId: 'a', scopes: [], allowInsecureLoopback: false })).toEqual({ insecure: false });
    expect(checkIssuerUrl({ issuer: 'http://127.0.0.1:9', clientId: 'a', scopes: [], allowInsecureLoopback: true })).toEqual({ insecure: true });
    for (const [issuer, allow] of [['http://127.0.0.1:9', false], ['http://idp.example', true], ['http://localhost:9', true], ['ftp://x', true]] as const) {
      expect(() => checkIssuerUrl({ issuer, clientId: 'a', scopes: [], allowInsecureLoopback: allow })).toThrow(AppError);
    }
  });
});
