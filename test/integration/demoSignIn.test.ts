// Issue 3: the built-in demo signs in once and each API gets a token for its own audience, or a refusal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTasksApi } from '../../electron/core/demo/demoApis.ts';
import { demoAppResource, demoClientId, startDemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { demoOperationsDir, demoResources } from '../../electron/core/demo/startDemo.ts';
import { verifyBearer } from '../../electron/core/demo/verifyBearer.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { createLogger, silentLogger } from '../../electron/core/log/Logger.ts';
import { keytarSecretStore } from '../../electron/core/secrets/keytarSecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import { waitForState } from '../helpers/authHarness.ts';
import { connectToCore } from '../helpers/connectClient.ts';
import { keychainAvailable } from '../helpers/keychain.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'gmd-demo-'));
const logs: string[] = [];
const unavailable = await keychainAvailable();
if (unavailable) console.log(`demoSignIn uses an in-memory store because the keychain is unavailable: ${unavailable}`);

describe('built-in demo: sign in once, per-API audience', () => {
  let core: CoreHandle;
  let client: Client;
  const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { text: string }[])[0]!.text;

  beforeAll(async () => {
    const opened: string[] = [];
    core = await startCore({
      env: { HOME: home, XDG_CONFIG_HOME: home }, port: 0, watch: false,
      logger: createLogger({ level: 'debug', write: (line) => logs.push(line) }),
      secrets: keytarSecretStore(), // the real keychain under `npm test` (scripts/with-keychain.sh)
      openExternal: async (url) => { opened.push(url); },
    });
    ({ client } = await connectToCore(core, 'demo-sign-in'));
  });
  afterAll(async () => { await client?.close(); await core?.close(); rmSync(home, { recursive: true, force: true }); });

  it('refuses tools that need a token before sign-in, saying sign-in is required', async () => {
    const result = await client.callTool({ name: 'ListProjects', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/sign/i);
  });

  it('signs in through the browser once and then calls the exchange-strategy API', async () => {
    const { authorizationUrl } = await core.auth.signIn();
    await loginOverHttp(authorizationUrl, 'alice', { follow: true });
    await waitForState(core.auth, 'signed-in');
    expect(await core.bridge['auth:status']()).toEqual({ ok: true, value: { state: 'signed-in', sub: 'alice' } });
    const result = await client.callTool({ name: 'ListProjects', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(text(result)).toContain('Checkout redesign');
  });

  it('refuses the passthrough API whose audience does not match, and shows why', async () => {
    const result = await client.callTool({ name: 'directory_ListPeople', arguments: {} });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/urn:graphql-mcp-desktop:app, not urn:graphql-mcp-desktop:demo:directory; the call is refused/);
    const warnings = await core.bridge['warnings:list']();
    const mismatch = warnings.ok ? warnings.value.find((w) => w.api === 'directory' && w.severity === 'error') : undefined;
    expect(mismatch).toMatchObject({ expected: 'urn:graphql-mcp-desktop:demo:directory', actual: expect.stringContaining('urn:graphql-mcp-desktop:app') });
  });

  it('sends no token to the UI bridge or the logs, even at debug level', async () => {
    const payloads = await Promise.all([core.bridge['auth:status'](), core.bridge['warnings:list'](), core.bridge['tools:list'](), core.bridge['problems:list'](), core.bridge['app:status']()]);
    const everything = JSON.stringify(payloads) + logs.join('');
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(everything).not.toMatch(/Bearer [A-Za-z0-9]/);
    expect(everything).not.toMatch(/refresh_token=|code_verifier=/);
  });
});

describe('an API whose schema comes from introspection behind sign-in', () => {
  it('serves its tools once the user signs in, without a restart', async () => {
    const idp = await startDemoIdp({ appResource: demoAppResource, apis: [{ resource: demoResources.tasks, scopes: ['tasks:read'] }] });
    const api = await startTasksApi({ verify: verifyBearer({ issuer: idp.issuer, jwksUri: idp.jwksUri, audience: demoResources.tasks }) });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gmd-introspect-'));
    writeFileSync(path.join(dir, 'config.yaml'), `signIn: { issuer: "${idp.issuer}", clientId: ${demoClientId}, resource: "${demoAppResource}", allowInsecureLoopback: true }
apis:
  - name: tasks
    endpoint: ${api.url}
    schema: { introspect: true }
    operations: [${path.join(demoOperationsDir, 'tasks')}]
    token: { strategy: exchange, audience: "${demoResources.tasks}", scopes: [tasks:read] }
`);
    const core = await startCore({ configPath: path.join(dir, 'config.yaml'), dataDir: path.join(dir, 'data'), openExternal: async () => {}, logger: silentLogger, port: 0, watch: false, secrets: memorySecretStore() });
    const { client } = await connectToCore(core, 'introspect-test');
    try {
      expect((await client.listTools()).tools).toEqual([]);
      expect(core.problems().some((p) => p.api === 'tasks' && /sign/i.test(p.message))).toBe(true);
      const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
      // The announcement goes out on the client's GET stream, which the SDK opens after initialize: wait until it is.
      await expect.poll(() => core.mcp.liveSessions().some((session) => session.listening), { timeout: 10_000 }).toBe(true);
      await loginOverHttp((await core.auth.signIn()).authorizationUrl, 'carol', { follow: true });
      await changed;
      const result = await client.callTool({ name: 'ListProjects', arguments: {} });
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
      await core.close();
      await api.close();
      await idp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
