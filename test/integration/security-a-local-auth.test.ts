// Security cases A1–A11 (local client authentication, app = resource server), with J11, J13 and H3 per client.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActivityLog } from '../../electron/core/activity/ActivityLog.ts';
import { createAuth } from '../../electron/core/auth/createAuth.ts';
import { createLocalAuthority, type LocalAuthorityService } from '../../electron/core/clients/createLocalAuthority.ts';
import type { OperationTool } from '../../electron/core/graphql/OperationTool.ts';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { serveMcp, type McpHttpServer, type ServeMcpOptions } from '../../electron/core/mcp/serveMcp.ts';
import { indexToolInfo, ToolGateway } from '../../electron/core/mcp/ToolGateway.ts';
import { ToolRegistry } from '../../electron/core/ToolRegistry.ts';
import { apiConfig, appConfig, browserSigningInAs, mapSecretStore, startIdp, startRecordingUpstream, waitForState } from '../helpers/authHarness.ts';
import { connectClient } from '../helpers/connectClient.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { initializeBody, mcpPostHeaders, rawRequest, rpc } from '../helpers/rawHttp.ts';
import { createTestCatalog, helloTool, type TestCatalog } from '../helpers/testCatalog.ts';

/** A mutation tool: calling it needs `tools:write`. */
const touchTool: OperationTool = {
  ...helloTool, name: 'test_touch', title: 'Touch', operationName: 'Touch', operationType: 'mutation',
  document: 'mutation Touch { touch }', inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { readOnlyHint: false, destructiveHint: true },
};

let upstream: TestGraphqlServer;
const cleanups: (() => Promise<unknown> | unknown)[] = [];
beforeAll(async () => {
  upstream = await startGraphqlServer();
});
afterAll(() => upstream.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  upstream.reset();
});

interface Served {
  mcp: McpHttpServer;
  authority: LocalAuthorityService;
  activity: ActivityLog;
  catalog: TestCatalog;
  /** An access key made through the window's contract, as the user would; its `auth` header goes on requests. */
  key(name: string, readOnly?: boolean): Promise<{ clientId: string; key: string; auth: { authorization: string } }>;
}

// The real local authority (registry in a temp data dir, keys as digests) in front of the test catalog.
async function serve(overrides: Partial<ServeMcpOptions> = {}, limits: { maxFailuresPerSource?: number } = {}): Promise<Served> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gmd-a-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const authority = await createLocalAuthority({ dataDir, watch: false, logger: silentLogger, ...limits });
  cleanups.push(() => authority.close());
  const { log: activity } = await ActivityLog.open({});
  const catalog = createTestCatalog(upstream.url);
  catalog.tools = [...catalog.tools, touchTool];
  const mcp = await serveMcp({ authority, gateway: new ToolGateway({ catalog, activity }), version: '1', port: 0, ...overrides });
  cleanups.push(() => mcp.close());
  const key: Served['key'] = async (name, readOnly = false) => {
    const created = await authority.bridgePart['keys:create']!(name, readOnly);
    if (!created.ok) throw new Error(created.error.message);
    return { clientId: created.value.clientId, key: created.value.key, auth: { authorization: `Bearer ${created.value.key}` } };
  };
  return { mcp, authority, activity, catalog, key };
}

async function initialize(url: string, auth: Record<string, string>): Promise<Record<string, string>> {
  const init = await rawRequest(url, { headers: { ...mcpPostHeaders, ...auth }, body: initializeBody });
  expect(init.status, init.body).toBe(200);
  const session = { ...mcpPostHeaders, ...auth, 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
  await rawRequest(url, { headers: session, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  return session;
}

/** Opens the session's GET stream; resolves with the request once answered 200, and a promise of its end. */
async function openStream(url: string, session: Record<string, string>): Promise<{ stream: ClientRequest; ended: Promise<void> }> {
  const stream = request(url, { method: 'GET', headers: { ...session, accept: 'text/event-stream' }, agent: false });
  let ended!: Promise<void>;
  const status = await new Promise<number>((resolve, reject) => {
    stream.on('response', (res) => {
      ended = new Promise((done) => res.on('close', () => done()).on('end', () => done()));
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    stream.on('error', reject);
    stream.end();
  });
  expect(status).toBe(200);
  cleanups.push(() => stream.destroy());
  return { stream, ended };
}

const challengeOf = (headers: Record<string, unknown>) => String(headers['www-authenticate'] ?? '');

describe('security A: local client authentication', () => {
  it('A1: a request without Authorization gets 401 with a Bearer invalid_token challenge naming the resource metadata', async () => {
    const { mcp } = await serve();
    for (const method of ['POST', 'GET', 'DELETE']) {
      const response = await rawRequest(mcp.url, { method, headers: mcpPostHeaders, body: method === 'POST' ? initializeBody : undefined });
      expect(response.status, method).toBe(401);
      expect(response.headers['content-type']).toBe('application/json');
      expect(challengeOf(response.headers)).toMatch(/^Bearer .*error="invalid_token"/);
      expect(challengeOf(response.headers)).toContain(`resource_metadata="http://127.0.0.1:${mcp.port}/.well-known/oauth-protected-resource/mcp"`);
    }
    expect(mcp.sessionCount()).toBe(0);
  });

  it('A3: a key in the query string, a cookie or a body field does not count', async () => {
    const { mcp, key } = await serve();
    const { key: secret } = await key('script');
    const url = `${mcp.url}?access_token=${encodeURIComponent(secret)}`;
    expect((await rawRequest(url, { headers: mcpPostHeaders, body: initializeBody })).status).toBe(401);
    expect((await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, cookie: `access_token=${secret}; token=${secret}` }, body: initializeBody })).status).toBe(401);
    const inBody = JSON.stringify({ ...JSON.parse(initializeBody), access_token: secret, params: { ...JSON.parse(initializeBody).params, access_token: secret } });
    expect((await rawRequest(mcp.url, { headers: mcpPostHeaders, body: inBody })).status).toBe(401);
    expect(mcp.sessionCount()).toBe(0);
  });

  it('A4: Basic, an empty Bearer, two Authorization headers and "Bearer  x" are refused; "bearer x" is accepted', async () => {
    const { mcp, key } = await serve();
    const { key: secret } = await key('script');
    const refused = [`Basic ${Buffer.from(`u:${secret}`).toString('base64')}`, 'Bearer ', 'Bearer', `Bearer  ${secret}`, [`Bearer ${secret}`, `Bearer ${secret}`]];
    for (const authorization of refused) {
      // node:http sends an array as two header lines (its types say string only).
      const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, authorization: authorization as string }, body: initializeBody });
      expect(response.status, JSON.stringify(authorization)).toBe(401);
    }
    expect((await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, authorization: `bearer ${secret}` }, body: initializeBody })).status).toBe(200);
  });

  it("A8: client A's session id with client B's key is rejected like an unknown one; a random id gets 404", async () => {
    const { mcp, key } = await serve();
    const alice = await key('alice');
    const bob = await key('bob');
    const session = await initialize(mcp.url, alice.auth);
    const stolen = await rpc(mcp.url, { ...session, ...bob.auth }, 'tools/list');
    expect(stolen.status).toBe(404);
    const getStolen = await rawRequest(mcp.url, { method: 'GET', headers: { ...session, ...bob.auth, accept: 'text/event-stream' } });
    expect(getStolen.status).toBe(404);
    const deleteStolen = await rawRequest(mcp.url, { method: 'DELETE', headers: { ...session, ...bob.auth } });
    expect(deleteStolen.status).toBe(404);
    expect((await rpc(mcp.url, { ...session, 'mcp-session-id': crypto.randomUUID() }, 'tools/list')).status).toBe(404);
    expect((await rpc(mcp.url, session, 'tools/list')).json.result.tools.length).toBeGreaterThan(0);
  });

  it('A9: a session id without a key is 401: sessions are not authentication', async () => {
    const { mcp, key } = await serve();
    const { auth } = await key('alice');
    const { authorization: _authorization, ...withoutKey } = await initialize(mcp.url, auth);
    const response = await rpc(mcp.url, withoutKey, 'tools/list');
    expect(response.status).toBe(401);
    expect(challengeOf(response.headers)).toMatch(/^Bearer /);
    expect((await rawRequest(mcp.url, { method: 'GET', headers: { ...withoutKey, accept: 'text/event-stream' } })).status).toBe(401);
  });

  it('A11: a read-only client calling a mutation tool gets 403 insufficient_scope with scope="tools:write"; nothing goes upstream', async () => {
    const { mcp, key, activity } = await serve();
    const reader = await key('reader', true);
    const session = await initialize(mcp.url, reader.auth);
    const response = await rpc(mcp.url, session, 'tools/call', { name: 'test_touch', arguments: {} }, 41);
    expect(response.status).toBe(403);
    const challenge = challengeOf(response.headers);
    expect(challenge).toMatch(/^Bearer .*error="insufficient_scope"/);
    expect(challenge).toContain('scope="tools:write"');
    expect(challenge).toContain(`resource_metadata="http://127.0.0.1:${mcp.port}/.well-known/oauth-protected-resource/mcp"`);
    expect(upstream.requests).toHaveLength(0);
    expect(activity.list({ clientId: reader.clientId })).toMatchObject([{ tool: 'test_touch', outcome: 'denied', clientName: 'reader' }]);
    // Queries still work for it, and a read-write client's mutation passes the scope check.
    expect((await rpc(mcp.url, session, 'tools/call', { name: 'test_hello', arguments: {} })).json.result.isError).toBeFalsy();
    const writer = await initialize(mcp.url, (await key('writer')).auth);
    expect((await rpc(mcp.url, writer, 'tools/call', { name: 'test_touch', arguments: {} })).status).toBe(200);
    expect(upstream.requests.map((sent) => JSON.parse(sent.body).operationName)).toEqual(['Hello', 'Touch']);
  });

  it('A11: the gateway refuses a read-only client\'s mutation too, should a caller skip the HTTP check', async () => {
    const { catalog } = await serve();
    const { log: activity } = await ActivityLog.open({});
    const gateway = new ToolGateway({ catalog, activity });
    const reader = { clientId: 'r', name: 'reader', kind: 'key' as const, identity: 'local' as const, scopes: ['tools:read' as const], tools: null, expiresAt: Infinity };
    const result = await gateway.call(reader, 'test_touch', {}, new AbortController().signal);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('tools:write');
    expect(upstream.requests).toHaveLength(0);
    expect(activity.list()).toMatchObject([{ outcome: 'denied', tool: 'test_touch' }]);
  });
});

describe('security J: revocation and allow-lists on /mcp', () => {
  it('J11: revoking a client in the app closes its sessions and GET streams at once; others keep working', async () => {
    const { mcp, key, authority } = await serve();
    const alice = await key('alice');
    const bob = await key('bob');
    const aliceSession = await initialize(mcp.url, alice.auth);
    const { ended } = await openStream(mcp.url, aliceSession);
    const bobClient = await connectClient(mcp.url, bob.key, { name: 'bob' });
    cleanups.push(() => bobClient.close());
    const revoked = await authority.bridgePart['clients:revoke']!(alice.clientId);
    expect(revoked.ok).toBe(true);
    await ended; // the stream closes without the client doing anything
    expect((await rpc(mcp.url, aliceSession, 'tools/list')).status).toBe(401);
    expect(mcp.liveSessions().map((session) => session.clientId)).toEqual([bob.clientId]);
    expect((await bobClient.listTools()).tools.length).toBeGreaterThan(0);
  });

  it('J13: a tool outside the allow-list is absent from tools/list and refused as unknown; the change is announced', async () => {
    const { mcp, key, authority, activity } = await serve();
    const alice = await key('alice');
    const client = await connectClient(mcp.url, alice.key, { name: 'alice' });
    cleanups.push(() => client.close());
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    // The SDK client opens its GET stream after initialized; the announcement sent before it is attached is lost.
    await expect.poll(() => mcp.liveSessions().some((session) => session.clientId === alice.clientId && session.listening), { timeout: 10_000 }).toBe(true);
    expect((await authority.bridgePart['clients:setTools']!(alice.clientId, ['test_hello'])).ok).toBe(true);
    await changed;
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['test_hello']);
    const refused = await client.callTool({ name: 'test_echo', arguments: { text: 'x' } });
    const unknown = await client.callTool({ name: 'no_such_tool', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(JSON.stringify(refused.content).replace('test_echo', 'X')).toBe(JSON.stringify(unknown.content).replace('no_such_tool', 'X'));
    expect(upstream.requests).toHaveLength(0);
    expect(activity.list({ tool: 'test_echo' })).toMatchObject([{ outcome: 'denied' }]);
  });
});

describe('security J14 on /mcp: failed bearer checks', () => {
  it('J14: repeated bad keys from one source get 429 with Retry-After, while an approved key still gets in', async () => {
    const { mcp, key } = await serve({}, { maxFailuresPerSource: 3 });
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const response = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, authorization: `Bearer gmd_wrong${i}` }, body: initializeBody });
      statuses.push(response.status);
      if (response.status === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    await initialize(mcp.url, (await key('valid')).auth);
  });
});

describe('security H3 per client: session caps', () => {
  it('H3: a client at its own cap whose sessions all hold streams gets 429, and another client still connects', async () => {
    const { mcp, key } = await serve({ maxSessionsPerClient: 2 });
    const greedy = await key('greedy');
    for (let i = 0; i < 2; i++) await openStream(mcp.url, await initialize(mcp.url, greedy.auth));
    const refused = await rawRequest(mcp.url, { headers: { ...mcpPostHeaders, ...greedy.auth }, body: initializeBody });
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toBe('application/json');
    await initialize(mcp.url, (await key('polite')).auth);
    expect(mcp.sessionCount()).toBe(3);
  });

  it('H3: a client reconnecting without ending its sessions replaces its own stalest one instead of hitting a wall', async () => {
    const { mcp, key } = await serve({ maxSessionsPerClient: 2 });
    const forgetful = await key('forgetful');
    const first = await initialize(mcp.url, forgetful.auth);
    for (let i = 0; i < 5; i++) await initialize(mcp.url, forgetful.auth);
    expect(mcp.sessionCount()).toBe(2);
    expect((await rpc(mcp.url, first, 'tools/list')).status).toBe(404);
  });

  it('H3: one client filling the total cap cannot lock out another: its stalest idle session makes room', async () => {
    const { mcp, key } = await serve({ maxSessions: 3, maxSessionsPerClient: 3 });
    const greedy = await key('greedy');
    const sessions = [];
    for (let i = 0; i < 3; i++) sessions.push(await initialize(mcp.url, greedy.auth));
    await initialize(mcp.url, (await key('newcomer')).auth);
    expect(mcp.sessionCount()).toBe(3);
    expect((await rpc(mcp.url, sessions[0]!, 'tools/list')).status).toBe(404);
    expect((await rpc(mcp.url, sessions[2]!, 'tools/list')).status).toBe(200);
  });
});

describe('live sessions (injected clock)', () => {
  it('drops a client that went away without ending its session from the live list after sessionLiveMs, and closes the session after sessionIdleMs', async () => {
    let now = 1_000_000;
    const { mcp, key } = await serve({ now: () => now, sessionLiveMs: 60_000, sessionIdleMs: 30 * 60_000, sweepIntervalMs: 10 });
    const alice = await key('alice');
    const session = await initialize(mcp.url, alice.auth);
    const { stream } = await openStream(mcp.url, session);
    let changes = 0;
    mcp.onSessionsChanged(() => changes++);
    now += 10 * 60_000; // a client listening on its stream is live however long it stays quiet
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mcp.liveSessions()).toMatchObject([{ clientId: alice.clientId, clientName: 'raw', listening: true }]);

    stream.destroy(); // the client quits without DELETE
    await expect.poll(() => mcp.liveSessions()).toMatchObject([{ listening: false }]); // live until sessionLiveMs passes
    now += 59_000;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mcp.liveSessions()).toHaveLength(1);
    const before = changes;
    now += 2_000;
    await expect.poll(() => mcp.liveSessions()).toEqual([]);
    await expect.poll(() => changes).toBeGreaterThan(before); // the window hears about it
    expect(mcp.sessionCount()).toBe(1); // not closed yet: a client may still come back to it

    // Coming back makes it live again; a reconnect with a new session leaves one live row once the old one goes quiet.
    expect((await rpc(mcp.url, session, 'tools/list')).status).toBe(200);
    expect(mcp.liveSessions()).toHaveLength(1);
    await initialize(mcp.url, alice.auth);
    now += 61_000;
    await rpc(mcp.url, session, 'ping');
    await expect.poll(() => mcp.liveSessions()).toHaveLength(1);

    now += 31 * 60_000;
    await expect.poll(() => mcp.sessionCount()).toBe(0);
    expect((await rpc(mcp.url, session, 'tools/list')).status).toBe(404);
  });
});

describe('A10: no passthrough of local credentials', () => {
  const audience = 'https://orders.example';

  it('A10: while every tool is called, each API request carries the minted API token and no header holds the key or the session id', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gmd-a10-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const idp = await startIdp([audience]);
    cleanups.push(() => idp.close());
    const api = await startRecordingUpstream(idp, audience);
    cleanups.push(() => api.close());
    writeFileSync(path.join(dir, 'schema.graphql'), 'type Query { me: String }\ntype Mutation { touch: String }\n');
    mkdirSync(path.join(dir, 'ops'));
    writeFileSync(path.join(dir, 'ops', 'Me.graphql'), 'query Me { me }\n');
    writeFileSync(path.join(dir, 'ops', 'Touch.graphql'), 'mutation Touch { touch }\n');
    const orders = {
      ...apiConfig('orders', 'exchange', audience, api.url), toolPrefix: 'orders_', schema: { file: path.join(dir, 'schema.graphql') },
      operations: [{ path: path.join(dir, 'ops') }], mutations: 'all' as const, introspection: { introspect: true, search: true, validate: true, execute: true },
    };
    const config = appConfig(idp, [orders]);
    const auth = createAuth({ config, secrets: mapSecretStore(), openExternal: browserSigningInAs('alice'), logger: silentLogger });
    await auth.signIn();
    await waitForState(auth, 'signed-in');
    const registry = await ToolRegistry.create({ config, authorizer: auth.authorizer, logger: silentLogger, watch: false });
    const authority = await createLocalAuthority({ dataDir: path.join(dir, 'data'), watch: false, logger: silentLogger });
    cleanups.push(() => authority.close());
    const mcp = await serveMcp({ authority, gateway: new ToolGateway({ catalog: registry, describe: indexToolInfo(registry) }), version: '1', port: 0 });
    cleanups.push(() => mcp.close());
    const created = await authority.bridgePart['keys:create']!('script', false);
    if (!created.ok) throw new Error(created.error.message);
    const key = created.value.key;
    // The client also tries to smuggle its key through other headers.
    const client = await connectClient(mcp.url, key, { headers: { cookie: `session=${key}`, 'x-api-key': key, 'x-forwarded-authorization': `Bearer ${key}` } });
    cleanups.push(() => client.close());
    const sessionId = (client.transport as StreamableHTTPClientTransport).sessionId!;

    const argumentsFor: Record<string, Record<string, unknown>> = {
      orders_introspect: { type: 'Query' }, orders_search: { query: 'me' }, orders_validate: { operation: '{ me }' },
      orders_execute: { query: 'mutation { touch }' }, orders_Me: {}, orders_Touch: {},
    };
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(Object.keys(argumentsFor).sort());
    for (const tool of tools) {
      const result = await client.callTool({ name: tool.name, arguments: argumentsFor[tool.name] });
      expect(result.isError, `${tool.name}: ${JSON.stringify(result.content)}`).toBeFalsy();
    }

    expect(api.requests).toHaveLength(3); // Me, Touch, execute; the other tools answer from the schema
    for (const sent of api.requests) {
      expect(sent).toMatchObject({ verified: true, aud: audience, sub: 'alice' });
      expect(sent.authorization).toMatch(/^Bearer eyJ/);
      const headers = JSON.stringify(sent.headers);
      for (const local of [key, sessionId, key.slice(-16)]) expect(headers).not.toContain(local);
      expect(sent.headers.cookie).toBeUndefined();
      expect(sent.headers['mcp-session-id']).toBeUndefined();
      expect(Object.keys(sent.headers).filter((name) => name.startsWith('x-'))).toEqual([]);
    }
    await auth.signOut();
  });
});
