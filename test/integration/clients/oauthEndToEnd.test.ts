import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createLocalAuthority, type LocalAuthorityOptions } from '../../../electron/core/clients/createLocalAuthority.ts';
import { serveMcp, type McpHttpServer } from '../../../electron/core/mcp/serveMcp.ts';
import { ToolGateway } from '../../../electron/core/mcp/ToolGateway.ts';
import { authorizeInBrowser, sendDocument, startMetadataDocumentServer, type AuthorityServer } from '../../helpers/clients/authorityHarness.ts';
import { MemoryOAuthProvider } from '../../helpers/clients/MemoryOAuthProvider.ts';
import { startGraphqlServer } from '../../helpers/graphqlServer.ts';
import { createTestCatalog } from '../../helpers/testCatalog.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The real /mcp (serveMcp with its gateway over a real GraphQL server) guarded by the real local authority. */
async function startApp(options: Partial<LocalAuthorityOptions> = {}): Promise<AuthorityServer & { mcp: McpHttpServer }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oauth-e2e-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  const upstream = await startGraphqlServer();
  cleanups.push(() => upstream.close());
  const authority = await createLocalAuthority({ dataDir, ...options });
  cleanups.push(() => authority.close());
  const mcp = await serveMcp({ authority, gateway: new ToolGateway({ catalog: createTestCatalog(upstream.url) }), version: '1', port: 0 });
  cleanups.push(() => mcp.close());
  return { authority, mcp, origin: new URL(mcp.url).origin, mcpUrl: mcp.url, dataDir, close: async () => {} };
}

/** Connects the SDK client as a real MCP client does: 401, OAuth in the "browser" with approval in the app, reconnect. */
async function connectWithOAuth(app: AuthorityServer, provider: MemoryOAuthProvider, url = app.mcpUrl): Promise<Client> {
  const first = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  await expect(new Client({ name: 'e2e', version: '1' }).connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  const { redirectedTo } = await authorizeInBrowser(app, provider.authorizationUrl!.href, 'allow-write');
  await first.finishAuth(redirectedTo.searchParams.get('code')!);
  const client = new Client({ name: 'e2e', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  cleanups.push(() => client.close());
  return client;
}

/** Lists and calls tools, refreshes, calls again, then is cut off when the user revokes it in the app. */
async function exerciseAndRevoke(app: AuthorityServer, provider: MemoryOAuthProvider, client: Client): Promise<void> {
  expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('test_hello');
  const called = await client.callTool({ name: 'test_hello', arguments: { name: 'oauth' } });
  expect(called.isError).toBeFalsy();
  expect(called.structuredContent).toMatchObject({ data: { hello: 'Hello, oauth!' } });
  const before = provider.tokens()!;
  expect(await auth(provider, { serverUrl: app.mcpUrl })).toBe('AUTHORIZED');
  expect(provider.tokens()!.refresh_token).not.toBe(before.refresh_token);
  expect(provider.tokens()!.access_token).not.toBe(before.access_token);
  expect((await client.callTool({ name: 'test_hello', arguments: { name: 'again' } })).isError).toBeFalsy();
  const [approved] = app.authority.approvedClients();
  expect(await app.authority.bridgePart['clients:revoke']!(approved!.clientId)).toEqual({ ok: true, value: undefined });
  await expect(client.callTool({ name: 'test_hello', arguments: {} })).rejects.toThrow();
  const direct = await fetch(app.mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${provider.tokens()!.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
  expect(direct.status).toBe(401);
  expect(await auth(provider, { serverUrl: app.mcpUrl }).catch(() => 'REFUSED')).not.toBe('AUTHORIZED');
}

describe('the official SDK client against the local authorization server', () => {
  it('registers dynamically, is approved in the app, calls tools, refreshes, and is cut off by revocation', async () => {
    const app = await startApp();
    const provider = new MemoryOAuthProvider({ name: 'E2E DCR client' });
    const client = await connectWithOAuth(app, provider);
    expect(app.authority.approvedClients()).toMatchObject([{ name: 'E2E DCR client', identity: 'self-asserted' }]);
    await exerciseAndRevoke(app, provider, client);
  });

  it('uses a Client ID Metadata Document served over https on loopback, shown as verified', async () => {
    const documents = await startMetadataDocumentServer((requestPath, origin, res) => {
      if (requestPath !== '/client.json') return void res.writeHead(404).end();
      sendDocument(res, { client_id: `${origin}/client.json`, client_name: 'E2E CIMD client', redirect_uris: ['http://127.0.0.1:45454/callback'], token_endpoint_auth_method: 'none' });
    });
    cleanups.push(() => documents.close());
    const app = await startApp({ fetchClientMetadata: documents.trustingFetch });
    const provider = new MemoryOAuthProvider({ clientMetadataUrl: `${documents.origin}/client.json` });
    const client = await connectWithOAuth(app, provider);
    expect(app.authority.approvedClients()).toMatchObject([{ name: 'E2E CIMD client', identity: 'verified', domain: new URL(documents.origin).host }]);
    await exerciseAndRevoke(app, provider, client);
  });

  it('works for a client configured with the localhost spelling of the endpoint (J5: the metadata follows the Host)', async () => {
    const app = await startApp();
    const provider = new MemoryOAuthProvider({ name: 'localhost client' });
    const url = app.mcpUrl.replace('127.0.0.1', 'localhost');
    const client = await connectWithOAuth(app, provider, url);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect(new URL(provider.authorizationUrl!.href).searchParams.get('resource')).toBe(url);
  });
});
