import { afterEach, describe, expect, it } from 'vitest';
import { authorizeWithSdk, MemoryOAuthProvider, startAuthorityServer, type AuthorityServer } from '../helpers/clients/authorityHarness.ts';

let server: AuthorityServer;
afterEach(async () => { await server?.close(); });

describe('J: local authorization server', () => {
  it('lets the SDK client register, be approved read-only in the app, and call /mcp with the token it gets', async () => {
    server = await startAuthorityServer();
    const provider = new MemoryOAuthProvider();
    const { request } = await authorizeWithSdk(server, provider, 'allow-read');
    expect(request).toMatchObject({ name: 'SDK test client', kind: 'oauth', identity: 'self-asserted', redirectUri: provider.redirectUrl });
    const response = await fetch(server.mcpUrl, { headers: { authorization: `Bearer ${provider.tokens()!.access_token}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'SDK test client', kind: 'oauth', scopes: ['tools:read'] });
  });
});
