import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import {
  authorizeInBrowser, authorizeWithSdk, nextPendingRequest, sendDocument, startAuthorityServer, startMetadataDocumentServer, TestBrowser,
  waitUntilDecided, type AuthorityServer, type MetadataDocumentServer,
} from '../helpers/clients/authorityHarness.ts';
import { MemoryOAuthProvider } from '../helpers/clients/MemoryOAuthProvider.ts';

let server: AuthorityServer;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await server?.close();
});

const callback = 'http://127.0.0.1:45454/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function register(metadata: Record<string, unknown>): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${server.origin}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  return { status: response.status, body: await response.json() as Record<string, any> };
}

async function registeredClient(redirectUris: string[] = [callback], extra: Record<string, unknown> = {}): Promise<string> {
  const { status, body } = await register({ client_name: 'raw client', redirect_uris: redirectUris, token_endpoint_auth_method: 'none', ...extra });
  expect(status, JSON.stringify(body)).toBe(201);
  return body.client_id as string;
}

function authorizationUrl(params: Record<string, string | undefined>): string {
  const url = new URL(`${server.origin}/authorize`);
  for (const [key, value] of Object.entries({ response_type: 'code', state: 's1', ...params })) if (value !== undefined) url.searchParams.set(key, value);
  return url.href;
}

async function token(params: Record<string, string>): Promise<{ status: number; body: Record<string, any>; headers: Headers }> {
  const response = await fetch(`${server.origin}/token`, { method: 'POST', body: new URLSearchParams(params) });
  return { status: response.status, body: await response.json() as Record<string, any>, headers: response.headers };
}

/** Registers a client, gets it approved in the app and redeems the code: the tokens and what was used. */
async function approvedTokens(decision: 'allow-read' | 'allow-write' = 'allow-write', resource = server.mcpUrl) {
  const clientId = await registeredClient();
  const { verifier, challenge } = pkce();
  const { redirectedTo } = await authorizeInBrowser(server, authorizationUrl({ client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource, scope: 'tools:read tools:write' }), decision);
  const code = redirectedTo.searchParams.get('code')!;
  const redeemed = await token({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: callback, client_id: clientId, resource });
  expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
  return { clientId, code, verifier, accessToken: redeemed.body.access_token as string, refreshToken: redeemed.body.refresh_token as string, body: redeemed.body };
}

async function mcpStatus(accessToken: string): Promise<number> {
  const response = await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${accessToken}` } });
  await response.body?.cancel();
  return response.status;
}

describe('J: local authorization server', () => {
  it('lets the SDK client register, be approved read-only in the app, and call /mcp with the token it gets', async () => {
    server = await startAuthorityServer();
    const provider = new MemoryOAuthProvider();
    const { request } = await authorizeWithSdk(server, provider, 'allow-read');
    expect(request).toMatchObject({ name: 'SDK test client', kind: 'oauth', identity: 'self-asserted', redirectUri: provider.redirectUrl });
    const response = await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${provider.tokens()!.access_token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'SDK test client', kind: 'oauth', scopes: ['tools:read'] });
    expect(server.authority.approvedClients()).toMatchObject([{ name: 'SDK test client', kind: 'oauth', scopes: ['tools:read'] }]);
  });

  it('J1: protected resource metadata names the AS; AS metadata (RFC 8414 and OIDC paths) lists S256, CIMD, registration and revocation, the code flow only, public clients only and the tools scopes', async () => {
    server = await startAuthorityServer();
    for (const prmPath of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const prm = await (await fetch(`${server.origin}${prmPath}`)).json() as Record<string, unknown>;
      expect(prm).toMatchObject({ resource: server.mcpUrl, authorization_servers: [server.origin], scopes_supported: ['tools:read', 'tools:write'], bearer_methods_supported: ['header'] });
    }
    const unauthorized = await fetch(server.mcpUrl);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toContain(`resource_metadata="${server.origin}/.well-known/oauth-protected-resource/mcp"`);
    expect(unauthorized.headers.get('www-authenticate')).toContain('scope="tools:read tools:write"');
    for (const asPath of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const metadata = await (await fetch(`${server.origin}${asPath}`)).json() as Record<string, unknown>;
      expect(metadata).toMatchObject({
        issuer: server.origin, code_challenge_methods_supported: ['S256'], client_id_metadata_document_supported: true,
        registration_endpoint: `${server.origin}/register`, revocation_endpoint: `${server.origin}/revoke`,
        authorization_endpoint: `${server.origin}/authorize`, token_endpoint: `${server.origin}/token`,
        response_types_supported: ['code'],
      });
      expect(metadata['grant_types_supported']).toEqual(['authorization_code', 'refresh_token']);
      // Local clients are public: no client secret or key method is offered; /mcp's scopes are listed with the OIDC ones.
      expect(metadata['token_endpoint_auth_methods_supported']).toEqual(['none']);
      expect(metadata['scopes_supported']).toEqual(['openid', 'offline_access', 'tools:read', 'tools:write']);
    }
  });

  it('J2: no code without S256 PKCE, and a verifier that does not match gets invalid_grant', async () => {
    server = await startAuthorityServer();
    const clientId = await registeredClient();
    const { verifier, challenge } = pkce();
    const base = { client_id: clientId, redirect_uri: callback, resource: server.mcpUrl };
    for (const params of [{}, { code_challenge: verifier, code_challenge_method: 'plain' }]) {
      const { redirectedTo } = await authorizeInBrowser(server, authorizationUrl({ ...base, ...params }), 'allow-write');
      expect(redirectedTo.searchParams.get('error')).toBe('invalid_request');
      expect(redirectedTo.searchParams.has('code')).toBe(false);
    }
    const { redirectedTo } = await authorizeInBrowser(server, authorizationUrl({ ...base, code_challenge: challenge, code_challenge_method: 'S256' }), 'allow-write');
    expect(redirectedTo.searchParams.get('code')).toBeTruthy();
    const redeemed = await token({ grant_type: 'authorization_code', code: redirectedTo.searchParams.get('code')!, code_verifier: pkce().verifier, redirect_uri: callback, client_id: clientId });
    expect(redeemed).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('J3: a replayed authorization code gets invalid_grant and kills every token issued from it', async () => {
    server = await startAuthorityServer();
    const first = await approvedTokens();
    expect(await mcpStatus(first.accessToken)).toBe(200);
    const replay = await token({ grant_type: 'authorization_code', code: first.code, code_verifier: first.verifier, redirect_uri: callback, client_id: first.clientId });
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await mcpStatus(first.accessToken)).toBe(401);
    expect(await token({ grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: first.clientId })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('J4: an unregistered redirect URI is refused before any page; loopback ports vary, nothing else does; https redirects are never registered', async () => {
    server = await startAuthorityServer();
    const custom = 'cursor://anysphere.cursor-retrieval/oauth/callback';
    const clientId = await registeredClient(['http://127.0.0.1/cb', 'http://[::1]/cb', 'http://localhost:4000/cb', custom]);
    const { challenge } = pkce();
    const ask = (redirectUri: string) => authorizationUrl({ client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl });
    for (const refused of ['http://127.0.0.1:5555/other', 'http://127.0.0.2:5555/cb', 'https://evil.example/cb', 'cursor://anysphere.cursor-retrieval/oauth/other', 'vscode://x/cb']) {
      const response = await new TestBrowser().get(ask(refused));
      expect(response.status, refused).toBe(400);
      expect(response.headers.get('location'), refused).toBeNull();
    }
    expect((await server.authority.bridgePart['clients:pending']!())).toEqual({ ok: true, value: [] });
    // The user denies the first; the same client's next requests within 30 s are denied without asking again, and
    // still go back to their (accepted) redirect URI, which a refused one never does.
    for (const [index, accepted] of ['http://127.0.0.1:5555/cb', 'http://[::1]:6666/cb', 'http://localhost:5000/cb', custom].entries()) {
      const { redirectedTo, request } = await authorizeInBrowser(server, ask(accepted), 'deny');
      expect(request?.redirectUri).toBe(index === 0 ? accepted : undefined);
      expect(`${redirectedTo.protocol}//${redirectedTo.host}${redirectedTo.pathname}`).toBe(accepted.replace('[::1]', '[::1]'));
      expect(redirectedTo.searchParams.get('error')).toBe('access_denied');
    }
    for (const uri of ['https://evil.example/cb', 'http://evil.example/cb', 'javascript://x/cb', 'file:///tmp/cb']) {
      expect((await register({ redirect_uris: [uri] })).body.error, uri).toBe('invalid_redirect_uri');
    }
  });

  it('J5: a resource other than this /mcp (or none) gets invalid_target; the localhost spelling of this /mcp works', async () => {
    server = await startAuthorityServer();
    const clientId = await registeredClient();
    const { challenge } = pkce();
    const port = new URL(server.origin).port;
    for (const resource of [undefined, `http://127.0.0.1:${Number(port) + 1}/mcp`, `${server.origin}/other`, 'https://evil.example/mcp', 'urn:graphql-mcp-desktop:app']) {
      const { redirectedTo } = await authorizeInBrowser(server, authorizationUrl({ client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource }), 'allow-write');
      expect(redirectedTo.searchParams.get('error'), resource).toBe('invalid_target');
    }
    const viaLocalhost = await approvedTokens('allow-write', `http://localhost:${port}/mcp`);
    expect(await mcpStatus(viaLocalhost.accessToken)).toBe(200);
    const other = await token({ grant_type: 'refresh_token', refresh_token: viaLocalhost.refreshToken, client_id: viaLocalhost.clientId, resource: 'https://evil.example/mcp' });
    expect(other).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
  });

  it('J6: the consent page waits without any granting control, cannot be framed, and no request from a page can decide', async () => {
    server = await startAuthorityServer();
    const clientId = await registeredClient();
    const { challenge } = pkce();
    const browser = new TestBrowser();
    const { response, url } = await browser.follow(authorizationUrl({ client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl }), server.origin);
    const html = await response.text();
    expect(html).toContain('Approve it in GraphQL MCP Desktop');
    expect(html).not.toMatch(/<form|<button|<input|<a /i);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).toContain("form-action 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    for (const method of ['POST', 'PUT']) expect((await browser.get(url, { method })).status).toBe(405);
    expect((await browser.get(`${url}/continue`, { method: 'POST' })).status).toBe(405);
    const early = await browser.get(`${url}/continue`);
    expect(early.status).toBe(303);
    expect(early.headers.get('location')).toBe(new URL(url).pathname);
    expect((await (await fetch(`${url}/status`)).json())).toEqual({ state: 'waiting' });
    expect(server.authority.approvedClients()).toEqual([]);
  });

  it('J6: the waiting page loaded several times at once asks the user once', async () => {
    server = await startAuthorityServer();
    const clientId = await registeredClient();
    const { challenge } = pkce();
    const browser = new TestBrowser();
    const first = await browser.get(authorizationUrl({ client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl }));
    const page = new URL(first.headers.get('location')!, server.origin).href;
    const pages = await Promise.all([1, 2, 3].map(() => browser.get(page)));
    expect(pages.map((response) => response.status)).toEqual([200, 200, 200]);
    const pending = await server.authority.bridgePart['clients:pending']!();
    expect(pending.ok && pending.value).toHaveLength(1);
  });

  it('J7: deny, or no decision in time, sends access_denied and approves nothing', async () => {
    // Only 'none' runs against a 300 ms decision time: on a slow machine a deny could otherwise come too late.
    for (const decision of ['deny', 'none'] as const) {
      if (decision === 'none') await server.close(); // the deny round's
      server = await startAuthorityServer(decision === 'none' ? { decisionTimeoutMs: 300 } : {});
      const clientId = await registeredClient();
      const { challenge } = pkce();
      const ask = authorizationUrl({ client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl });
      const { redirectedTo } = await authorizeInBrowser(server, ask, decision);
      expect(redirectedTo.origin + redirectedTo.pathname).toBe(callback);
      expect(redirectedTo.searchParams.get('error')).toBe('access_denied');
      expect(redirectedTo.searchParams.has('code')).toBe(false);
      expect(server.authority.approvedClients()).toEqual([]);
    }
  });

  it('J8: registrations are bounded in count and size, names are shown as plain text, and logo_uri is never fetched', async () => {
    let logoRequests = 0;
    const logo = createServer((_req, res) => { logoRequests += 1; res.end(); });
    await new Promise<void>((resolve) => logo.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => logo.close(() => resolve())));
    server = await startAuthorityServer({ maxRegistrations: 20 });
    for (let i = 0; i < 60; i += 1) await registeredClient([`http://127.0.0.1/cb${i}`]);
    const stored = JSON.parse(await readFile(path.join(server.dataDir, 'clients.json'), 'utf8')) as { oauth: Record<string, unknown> };
    expect(Object.keys(stored.oauth).filter((key) => key.startsWith('Client:')).length).toBeLessThanOrEqual(20);
    const huge = await fetch(`${server.origin}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [callback], client_name: 'x'.repeat(200_000) }) });
    expect(huge.status).toBeGreaterThanOrEqual(400);
    const logoUri = `http://127.0.0.1:${(logo.address() as AddressInfo).port}/logo.png`;
    const name = '<script>alert(1)</script>\u001b[31mred\u202Eevil\u200Bhidden';
    const registered = await register({ client_name: name, redirect_uris: [callback], logo_uri: logoUri, token_endpoint_auth_method: 'none' });
    expect(registered.body.logo_uri).toBeUndefined();
    const { challenge } = pkce();
    const browser = new TestBrowser();
    const { response, url } = await browser.follow(authorizationUrl({ client_id: registered.body.client_id as string, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl }), server.origin);
    const html = await response.text();
    const request = await nextPendingRequest(server.authority);
    expect(request.name).toBe('<script>alert(1)</script><U+001B>[31mred<U+202E>evil<U+200B>hidden');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;U+001B&gt;[31mred&lt;U+202E&gt;evil');
    expect(html).not.toContain('<script>alert');
    await server.authority.bridgePart['clients:decide']!(request.requestId, 'allow-read');
    await waitUntilDecided(`${url}/status`);
    await browser.follow(`${url}/continue`, server.origin);
    expect(server.authority.approvedClients()[0]?.name).toBe(request.name);
    expect(logoRequests).toBe(0);
  });

  it('a request naming none of the scopes gets the default (all), narrowed to what the user allows', async () => {
    server = await startAuthorityServer();
    const clientId = await registeredClient();
    const { verifier, challenge } = pkce();
    const { redirectedTo, request } = await authorizeInBrowser(server, authorizationUrl({ client_id: clientId, redirect_uri: callback, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl }), 'allow-read');
    expect(request?.scopes).toEqual(['tools:read', 'tools:write']);
    const redeemed = await token({ grant_type: 'authorization_code', code: redirectedTo.searchParams.get('code')!, code_verifier: verifier, redirect_uri: callback, client_id: clientId });
    expect(redeemed.body.scope).toBe('tools:read');
    const principal = await (await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${redeemed.body.access_token as string}` } })).json();
    expect(principal).toMatchObject({ scopes: ['tools:read'] });
  });

  it('J10: refresh tokens rotate; reusing an old one revokes the whole grant', async () => {
    server = await startAuthorityServer();
    const first = await approvedTokens();
    const rotated = await token({ grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: first.clientId });
    expect(rotated.status).toBe(200);
    expect(rotated.body.refresh_token).not.toBe(first.refreshToken);
    expect(await mcpStatus(rotated.body.access_token as string)).toBe(200);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refreshToken, client_id: first.clientId });
    expect(reused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token as string, client_id: first.clientId })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await mcpStatus(rotated.body.access_token as string)).toBe(401);
  });

  it('J10: RFC 7009 revocation of a refresh token ends the grant', async () => {
    server = await startAuthorityServer();
    const { refreshToken, clientId, accessToken } = await approvedTokens();
    const revoked = await fetch(`${server.origin}/revoke`, { method: 'POST', body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: clientId }) });
    expect(revoked.status).toBe(200);
    expect(await token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await mcpStatus(accessToken)).toBe(401);
  });

  it('J10: access tokens live at most an hour and are opaque', async () => {
    server = await startAuthorityServer();
    const { accessToken, body } = await approvedTokens();
    expect(body.expires_in).toBeLessThanOrEqual(3600);
    expect(accessToken.split('.')).toHaveLength(1);
  });

  it('J12: the registry holds digests only, 0600 in a 0700 folder, and a refresh token survives a restart', async () => {
    server = await startAuthorityServer();
    const { accessToken, refreshToken, code, clientId } = await approvedTokens();
    const file = path.join(server.dataDir, 'clients.json');
    const text = await readFile(file, 'utf8');
    for (const secret of [accessToken, refreshToken, code]) expect(text).not.toContain(secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(server.dataDir)).mode & 0o777).toBe(0o700);
    // A restart on the same port (the app's MCP port is fixed): the grant is for this very resource.
    const dataDir = await mkdtemp(path.join(tmpdir(), 'local-as-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    await cp(server.dataDir, dataDir, { recursive: true });
    const port = Number(new URL(server.origin).port);
    await server.close();
    server = await startAuthorityServer({ dataDir, port });
    expect(await mcpStatus(accessToken)).toBe(401); // access tokens live in memory only
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(await mcpStatus(refreshed.body.access_token as string)).toBe(200);
  });

  it('J12: a kill -9 at any moment leaves the last complete registry state', async () => {
    server = await startAuthorityServer();
    const file = path.join(server.dataDir, 'clients.json');
    const script = path.join(server.dataDir, 'writer.ts');
    const registryModule = path.resolve('electron/core/clients/ClientRegistry.ts');
    const keysModule = path.resolve('electron/core/clients/manageKeys.ts');
    await writeFile(script, `import { ClientRegistry } from ${JSON.stringify(registryModule)};
import { createKey } from ${JSON.stringify(keysModule)};
const registry = await ClientRegistry.open({ file: ${JSON.stringify(file)} });
for (let i = 0; ; i += 1) { await createKey(registry, 'key-' + process.pid + '-' + i, i % 2 === 0); if (i === 2) process.stdout.write('ready\\n'); }
`);
    for (let round = 0; round < 3; round += 1) {
      const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, round * 7));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const state = JSON.parse(await readFile(file, 'utf8')) as { version: number; clients: Array<{ keyDigest: string; name: string }> };
      expect(state.version).toBe(1);
      expect(state.clients.length).toBeGreaterThanOrEqual(4 * round + 3);
      for (const client of state.clients) expect(client.keyDigest).toMatch(/^[0-9a-f]{64}$/);
      // The killed writer may have held the lock: the next writer sees its process is gone and goes on.
      expect((await server.authority.bridgePart['keys:create']!(`after-kill-${round}`, true)).ok).toBe(true);
    }
  });

  it('J14: failed token requests are limited per source and client with 429 + Retry-After; a valid request still succeeds', async () => {
    server = await startAuthorityServer();
    const good = await approvedTokens();
    let limited: Awaited<ReturnType<typeof token>> | undefined;
    for (let i = 0; i < 40 && !limited; i += 1) {
      const attempt = await token({ grant_type: 'refresh_token', refresh_token: `wrong-${i}`, client_id: good.clientId });
      if (attempt.status === 429) limited = attempt;
      else expect(attempt.body.error).toBe('invalid_grant');
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await token({ grant_type: 'refresh_token', refresh_token: good.refreshToken, client_id: good.clientId })).status).toBe(200);
  });

  it('J14: a process spending the loopback address\'s bearer limit does not keep a client with an expired token from its 401 and refresh', async () => {
    server = await startAuthorityServer({ accessTokenTtlSeconds: 1, maxFailuresPerSource: 3 });
    const client = await approvedTokens();
    await expect.poll(() => mcpStatus(client.accessToken), { timeout: 5_000, interval: 250 }).toBe(401);
    const rogue = [];
    for (let i = 0; i < 5; i += 1) rogue.push(await mcpStatus(randomBytes(32).toString('base64url')));
    expect(rogue.at(-1)).toBe(429);

    const expired = await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${client.accessToken}` } });
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: client.refreshToken, client_id: client.clientId });
    expect(refreshed.status).toBe(200);
    expect(await mcpStatus(refreshed.body.access_token as string)).toBe(200);
    // Recognized tokens buy no extra attempts: the client's own failures have the same limit (the poll's 401 and the
    // check above were its first two).
    const own = [];
    for (let i = 0; i < 3; i += 1) own.push(await mcpStatus(client.accessToken));
    expect(own).toEqual([401, 429, 429]);
  });
});

describe('J9: Client ID Metadata Documents', () => {
  let documents: MetadataDocumentServer;
  const documentFor = (url: string, extra: Record<string, unknown> = {}) => ({ client_id: url, client_name: 'Docs Client', redirect_uris: [callback, 'cursor://docs.client/cb'], token_endpoint_auth_method: 'none', ...extra });

  async function startDocuments(): Promise<MetadataDocumentServer> {
    documents = await startMetadataDocumentServer((requestPath, origin, res) => {
      if (requestPath === '/client.json') return sendDocument(res, documentFor(`${origin}/client.json`));
      if (requestPath === '/other-id.json') return sendDocument(res, documentFor(`${origin}/client.json`));
      if (requestPath === '/huge.json') return sendDocument(res, documentFor(`${origin}/huge.json`, { client_name: 'x'.repeat(10_000) }));
      if (requestPath === '/redirect.json') return void res.writeHead(302, { location: `${origin}/client.json` }).end();
      if (requestPath === '/slow.json') return; // never answers: the fetch gives up
      res.writeHead(404).end();
    });
    cleanups.push(() => documents.close());
    return documents;
  }

  async function ask(clientId: string, redirectUri = callback) {
    const { challenge } = pkce();
    return authorizeInBrowser(server, authorizationUrl({ client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl }), 'deny');
  }

  it('J9: the SDK client completes the flow with a metadata document over https; the domain is shown as verified', async () => {
    await startDocuments();
    server = await startAuthorityServer({ fetchClientMetadata: documents.trustingFetch });
    const provider = new MemoryOAuthProvider({ clientMetadataUrl: `${documents.origin}/client.json` });
    const { request } = await authorizeWithSdk(server, provider, 'allow-write');
    expect(request).toMatchObject({ name: 'Docs Client', identity: 'verified', domain: new URL(documents.origin).host });
    expect(provider.clientInformation()?.client_id).toBe(`${documents.origin}/client.json`);
    expect(await mcpStatus(provider.tokens()!.access_token)).toBe(200);
    expect(server.authority.approvedClients()).toMatchObject([{ name: 'Docs Client', identity: 'verified', domain: new URL(documents.origin).host }]);
  });

  it('J9: client_id must be an https URL without fragment or credentials', async () => {
    await startDocuments();
    server = await startAuthorityServer({ fetchClientMetadata: documents.trustingFetch });
    const host = new URL(documents.origin).host;
    for (const clientId of [`http://${host}/client.json`, `${documents.origin}/client.json#frag`, `https://user:pw@${host}/client.json`]) {
      const { redirectedTo, request } = await ask(clientId);
      expect(request, clientId).toBeUndefined();
      expect(redirectedTo.origin, clientId).toBe(server.origin);
    }
    expect(documents.requests).toEqual([]);
  });

  it('J9: a document whose client_id is not its URL, or that is too large, is refused', async () => {
    await startDocuments();
    server = await startAuthorityServer({ fetchClientMetadata: documents.trustingFetch });
    for (const name of ['other-id', 'huge']) {
      const { request, redirectedTo } = await ask(`${documents.origin}/${name}.json`);
      expect(request, name).toBeUndefined();
      expect(redirectedTo.origin, name).toBe(server.origin);
    }
  });

  it('J9: production refuses to fetch from loopback, even with a trusted certificate (the client is then unverified)', async () => {
    await startDocuments();
    for (const fetchClientMetadata of [undefined, documents.guardedFetch]) {
      server = await startAuthorityServer(fetchClientMetadata ? { fetchClientMetadata } : {});
      const { request } = await ask(`${documents.origin}/client.json`);
      expect(request).toMatchObject({ name: `unverified: could not fetch ${documents.origin}/client.json`, identity: 'self-asserted' });
      expect(request?.domain).toBeUndefined();
      await server.close();
    }
    expect(documents.requests).toEqual([]);
  });

  it('J9: redirects are not followed and a silent host times out: the client is unverified and may use loopback redirect URIs only', async () => {
    await startDocuments();
    server = await startAuthorityServer({ fetchClientMetadata: documents.trustingFetch });
    for (const name of ['redirect', 'slow']) {
      const clientId = `${documents.origin}/${name}.json`;
      expect((await ask(clientId, 'cursor://docs.client/cb')).request, name).toBeUndefined();
      const { request, redirectedTo } = await ask(clientId, 'http://127.0.0.1:39999/any/path');
      expect(request, name).toMatchObject({ name: `unverified: could not fetch ${clientId}`, identity: 'self-asserted', redirectUri: 'http://127.0.0.1:39999/any/path' });
      expect(redirectedTo.searchParams.get('error')).toBe('access_denied');
    }
    expect(documents.requests).toEqual(['/redirect.json', '/slow.json']);
  });

  it('J9: an unreachable client (offline, or claude.ai from here) can still be approved in the app, as unverified', async () => {
    server = await startAuthorityServer({ fetchClientMetadata: async () => { throw new TypeError('fetch failed: getaddrinfo ENOTFOUND claude.ai'); } });
    const provider = new MemoryOAuthProvider({ clientMetadataUrl: 'https://claude.ai/oauth/claude-code-client-metadata', redirectUrl: 'http://localhost:54545/callback' });
    const { request } = await authorizeWithSdk(server, provider, 'allow-read');
    expect(request).toMatchObject({ name: 'unverified: could not fetch https://claude.ai/oauth/claude-code-client-metadata', identity: 'self-asserted' });
    const principal = await (await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${provider.tokens()!.access_token}` } })).json();
    expect(principal).toMatchObject({ identity: 'self-asserted', scopes: ['tools:read'] });
  });
});

describe('A: local client authentication (the authority\'s part)', () => {
  it('A2: a revoked OAuth token gets the very same 401 as an unknown one', async () => {
    server = await startAuthorityServer();
    const { accessToken } = await approvedTokens();
    const [client] = server.authority.approvedClients();
    await server.authority.bridgePart['clients:revoke']!(client!.clientId);
    const revoked = await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${accessToken}` } });
    const unknown = await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${randomBytes(32).toString('base64url')}` } });
    expect(revoked.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await revoked.text()).toBe(await unknown.text());
    expect(revoked.headers.get('www-authenticate')).toBe(unknown.headers.get('www-authenticate'));
  });

  it('A5: a real IdP JWT whose audience is this very /mcp is refused', async () => {
    server = await startAuthorityServer();
    const idp = await startDemoIdp({ apis: [{ resource: server.mcpUrl, scopes: [] }] });
    cleanups.push(() => idp.close());
    const { verifier, challenge } = pkce();
    const redirectUri = 'http://127.0.0.1:45455/callback';
    const url = new URL(`${idp.issuer}/auth`);
    for (const [key, value] of Object.entries({ client_id: idp.clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', resource: server.mcpUrl, state: 's' })) url.searchParams.set(key, value);
    const code = new URL(await loginOverHttp(url.href, 'alice')).searchParams.get('code')!;
    const response = await fetch(`${idp.issuer}/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: idp.clientId, resource: server.mcpUrl }) });
    const { access_token: jwt } = await response.json() as { access_token: string };
    expect(JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())).toMatchObject({ aud: server.mcpUrl });
    expect(await mcpStatus(jwt)).toBe(401);
  });

  it('A6: a rotated-away or revoked credential fails at once (no verifier cache)', async () => {
    server = await startAuthorityServer();
    const { accessToken } = await approvedTokens();
    expect(await mcpStatus(accessToken)).toBe(200);
    const revoke = await fetch(`${server.origin}/revoke`, { method: 'POST', body: new URLSearchParams({ token: accessToken, client_id: server.authority.registry.state.clients[0]!.oauthClientId! }) });
    expect(revoke.status).toBe(200);
    expect(await mcpStatus(accessToken)).toBe(401);
    const key = await server.authority.bridgePart['keys:create']!('script', false);
    const secret = key.ok ? key.value.key : '';
    expect(await mcpStatus(secret)).toBe(200);
    await server.authority.bridgePart['keys:revoke']!('script');
    expect(await mcpStatus(secret)).toBe(401);
  });

  it('a registered client cannot revoke a token issued to another client (RFC 7009 §2.1)', async () => {
    server = await startAuthorityServer();
    const { accessToken } = await approvedTokens();
    const stranger = await registeredClient();
    const revoke = await fetch(`${server.origin}/revoke`, { method: 'POST', body: new URLSearchParams({ token: accessToken, client_id: stranger }) });
    expect(revoke.status).toBe(200); // RFC 7009: the answer does not say whether the token existed
    expect(await mcpStatus(accessToken)).toBe(200);
  });

  it('A7: every principal carries an expiry: the OAuth token\'s own, or a bounded one for keys', async () => {
    server = await startAuthorityServer();
    const { accessToken, body } = await approvedTokens();
    const principal = await (await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${accessToken}` } })).json() as { expiresAt: number };
    expect(principal.expiresAt).toBeGreaterThan(Date.now());
    expect(principal.expiresAt).toBeLessThanOrEqual(Date.now() + (body.expires_in as number) * 1000 + 1000);
    const key = await server.authority.bridgePart['keys:create']!('k', true);
    const keyPrincipal = await server.authority.authenticate(`Bearer ${key.ok ? key.value.key : ''}`, '127.0.0.1');
    expect(keyPrincipal.ok && Number.isFinite(keyPrincipal.principal.expiresAt)).toBe(true);
  });
});
