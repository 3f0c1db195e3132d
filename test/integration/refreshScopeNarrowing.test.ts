import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { authorizeInBrowser, startAuthorityServer, type AuthorityServer } from '../helpers/clients/authorityHarness.ts';

// Codex (0.171) repeats the scopes it first asked for, offline_access included, in every refresh request. A strict
// RFC 6749 §6 check answered invalid_scope and left it logged out after each restart of the app (found with the
// real Codex CLI, see realClients.test.ts); the request is now narrowed to what the refresh token holds.
let server: AuthorityServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const callback = 'http://127.0.0.1:45455/callback';
const codexScopes = 'tools:read tools:write offline_access';

async function post(path: string, body: Record<string, string>): Promise<{ status: number; body: Record<string, any> }> {
  const response = await fetch(`${server!.origin}${path}`, { method: 'POST', headers: { 'content-type': path === '/register' ? 'application/json' : 'application/x-www-form-urlencoded' }, body: path === '/register' ? JSON.stringify(body) : new URLSearchParams(body) });
  return { status: response.status, body: await response.json() as Record<string, any> };
}

/** Registers, authorizes and redeems the way Codex does (its registration and its scope string), approved as `decision`. */
async function codexLikeLogin(decision: 'allow-read' | 'allow-write'): Promise<{ clientId: string; refreshToken: string }> {
  const registered = await fetch(`${server!.origin}/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Codex', redirect_uris: [callback], grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'none', response_types: ['code'], scope: codexScopes, application_type: 'native' }) });
  const clientId = (await registered.json() as { client_id: string }).client_id;
  const verifier = randomBytes(32).toString('base64url');
  const url = new URL(`${server!.origin}/authorize`);
  const params = { response_type: 'code', client_id: clientId, state: 's', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256', redirect_uri: callback, scope: codexScopes, resource: server!.mcpUrl };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const { redirectedTo } = await authorizeInBrowser(server!, url.href, decision);
  const redeemed = await post('/token', { grant_type: 'authorization_code', code: redirectedTo.searchParams.get('code') ?? '', code_verifier: verifier, client_id: clientId, redirect_uri: callback, resource: server!.mcpUrl });
  expect(redeemed.status, JSON.stringify(redeemed.body)).toBe(200);
  return { clientId, refreshToken: redeemed.body.refresh_token as string };
}

async function principalScopes(accessToken: string): Promise<unknown> {
  const response = await fetch(server!.mcpUrl, { headers: { authorization: `Bearer ${accessToken}` } });
  return (await response.json() as { scopes?: unknown }).scopes;
}

describe('refresh requests that repeat the originally requested scopes (Codex)', () => {
  it('a read-write client refreshing with offline_access in scope gets a new token for the scopes it holds', async () => {
    server = await startAuthorityServer();
    const { clientId, refreshToken } = await codexLikeLogin('allow-write');
    const refreshed = await post('/token', { grant_type: 'refresh_token', refresh_token: refreshToken, scope: codexScopes, client_id: clientId, resource: server.mcpUrl });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.scope).toBe('tools:read tools:write');
    expect(await principalScopes(refreshed.body.access_token as string)).toEqual(['tools:read', 'tools:write']);
  });

  it('a client approved read-only that asks for tools:write on refresh still gets tools:read only', async () => {
    server = await startAuthorityServer();
    const { clientId, refreshToken } = await codexLikeLogin('allow-read');
    const refreshed = await post('/token', { grant_type: 'refresh_token', refresh_token: refreshToken, scope: codexScopes, client_id: clientId, resource: server.mcpUrl });
    expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
    expect(refreshed.body.scope).toBe('tools:read');
    expect(await principalScopes(refreshed.body.access_token as string)).toEqual(['tools:read']);
  });

  it('a refresh token that does not exist is still refused, whatever scope is asked for', async () => {
    server = await startAuthorityServer();
    const { clientId } = await codexLikeLogin('allow-write');
    const refused = await post('/token', { grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token', scope: codexScopes, client_id: clientId, resource: server.mcpUrl });
    expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });
});
