// https://github.com/graphql-mcp-desktop/graphql-mcp-desktop/issues/7 items 1 and 2: an upstream that echoes the
// bearer it got (in `errors[].message`, in a 502 body, URL-encoded or base64url-embedded) gets no token to the tool
// result, the log or the window's problems.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth, type Auth } from '../../electron/core/auth/createAuth.ts';
import { createCoreBridge } from '../../electron/core/createCoreBridge.ts';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { createLogger } from '../../electron/core/log/Logger.ts';
import type { McpHttpServer } from '../../electron/core/mcp/serveMcp.ts';
import { ToolRegistry } from '../../electron/core/ToolRegistry.ts';
import { apiConfig, appConfig, browserSigningInAs, startIdp, waitForState } from '../helpers/authHarness.ts';
import { startGraphqlServer, testSchemaSource, type TestGraphqlServer } from '../helpers/graphqlServer.ts';
import { mapSecretStore } from '../helpers/authHarness.ts';

const audience = 'https://echo.example';
const scratch = await mkdtemp(path.join(tmpdir(), 'issue-7-scrub-'));
const logs: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => void logs.push(line) });
let idp: DemoIdp;
let upstream: TestGraphqlServer;
let auth: Auth;
let registry: ToolRegistry;
/** Every Authorization value the upstream received, without the scheme. */
const received = new Set<string>();

/** The echoing gateway: answers with whatever `echo` builds from the bearer it got. */
function echoWith(status: number, contentType: string, echo: (token: string) => string) {
  upstream.respond = (request, res) => {
    const token = String(request.headers.authorization ?? '').replace(/^Bearer /, '');
    if (token) received.add(token);
    res.writeHead(status, { 'content-type': contentType }).end(echo(token));
    return true;
  };
}

function everySliceOf(token: string): string[] {
  const slices: string[] = [];
  for (let at = 0; at + 24 <= token.length; at += 12) slices.push(token.slice(at, at + 24));
  return slices;
}

function expectNoToken(where: string, text: string): void {
  expect(received.size, 'the upstream received a token').toBeGreaterThan(0);
  for (const token of received) {
    const leaked = everySliceOf(token).filter((slice) => text.includes(slice));
    expect(leaked, `${where} holds part of the token it was sent`).toEqual([]);
  }
  expect(text, where).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
  expect(text, where).not.toMatch(/Bearer [A-Za-z0-9]/);
}

beforeAll(async () => {
  idp = await startIdp([audience]);
  upstream = await startGraphqlServer();
  const schemaFile = path.join(scratch, 'schema.graphql');
  await writeFile(schemaFile, testSchemaSource);
  await writeFile(path.join(scratch, 'Hello.graphql'), 'query Hello { hello }');
  const api = { ...apiConfig('echo', 'exchange', audience, upstream.url), toolPrefix: '', schema: { file: schemaFile }, operations: [{ path: scratch }] };
  const introspected = { ...apiConfig('introspected', 'exchange', audience, upstream.url), toolPrefix: 'i_' };
  const config = appConfig(idp, [api, introspected]);
  auth = createAuth({ config, secrets: mapSecretStore(), logger, openExternal: browserSigningInAs('alice') });
  await auth.restore();
  await auth.signIn();
  await waitForState(auth, 'signed-in');
  // Introspection that answers with GraphQL errors quoting the bearer: the problem the window lists must not carry it.
  echoWith(200, 'application/json', (token) => JSON.stringify({ errors: [{ message: `introspection denied for ${token}` }] }));
  registry = await ToolRegistry.create({ config, authorizer: auth.authorizer, logger });
});

afterAll(async () => {
  registry?.close();
  await auth?.signOut();
  await Promise.all([upstream?.close(), idp?.close()]);
  await rm(scratch, { recursive: true, force: true });
});

describe('issue 7: a token an upstream echoes back reaches nobody', () => {
  it('a GraphQL error quoting the bearer reaches the tool result (text and structuredContent) without it', async () => {
    echoWith(200, 'application/json', (token) => JSON.stringify({ data: null, errors: [{ message: `token rejected: ${token}` }, { message: `Bearer ${token}` }] }));
    const result = await registry.callTool('Hello', {});
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).toContain('token rejected: [redacted]');
    expectNoToken('tool result', JSON.stringify(result));
  });

  it('a 502 plain-text body quoting the bearer, URL-encoded and base64url-embedded, leaves nothing in "Body starts with"', async () => {
    const forms = (token: string) => [token, encodeURIComponent(`x=${token}`), Buffer.from(`{"auth":"${token}"}`).toString('base64url')];
    for (const form of [0, 1, 2]) {
      echoWith(502, 'text/plain', (token) => `bad gateway: upstream refused ${forms(token)[form]} at /graphql`);
      const result = await registry.callTool('Hello', {});
      const text = JSON.stringify(result);
      expect(text).toContain('Body starts with: bad gateway: upstream refused');
      expectNoToken(`502 tool result (form ${form})`, text);
    }
  });

  it('a token embedded base64url in an error message without JWT shape is removed too', async () => {
    echoWith(200, 'application/json', (token) => JSON.stringify({ data: null, errors: [{ message: `ctx ${Buffer.from(`{"t":"${token}"}`).toString('base64url')}` }] }));
    const result = await registry.callTool('Hello', {});
    expectNoToken('tool result', JSON.stringify(result));
  });

  it("the window's problems and the log carry no echoed token, even when a caller logs the raw upstream text", async () => {
    const bridge = createCoreBridge({ registry, mcp: { url: 'http://127.0.0.1:1/mcp' } as McpHttpServer, auth, mode: 'config', version: 'test', problems: () => registry.problems() });
    const problems = await bridge['problems:list']();
    expect(JSON.stringify(problems)).toContain('introspection denied for [redacted]');
    expectNoToken('problems', JSON.stringify(problems));
    for (const token of received) logger.warn(`upstream said: token rejected: ${token}`, { message: `Bearer ${token}`, code: 'UPSTREAM_ECHO' });
    expectNoToken('log', logs.join(''));
    expect(logs.join('')).toContain('"code":"UPSTREAM_ECHO"');
  });
});
