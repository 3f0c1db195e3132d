import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudienceWarning } from '../../electron/core/auth/analyzeAudience.ts';
import { createAuth } from '../../electron/core/auth/createAuth.ts';
import { createLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { DisabledTools } from '../../electron/core/tools/DisabledTools.ts';
import { toAudienceViews } from '../../electron/core/tools/toAudienceViews.ts';
import { toolsBridgePart } from '../../electron/core/tools/toolsBridgePart.ts';
import { ToolRegistry } from '../../electron/core/ToolRegistry.ts';
import { makeApiConfig } from '../helpers/makeApiConfig.ts';

const logger = createLogger({ level: 'error', write: () => {} });
let dir: string;
let registry: ToolRegistry;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tools-part-'));
  await writeFile(path.join(dir, 'schema.graphql'), 'type Query { a: String, b: String }\n');
  await writeFile(path.join(dir, 'ops.graphql'), 'query A { a }\nquery B { b }\n');
  const api = makeApiConfig({ name: 'tasks', schema: { file: path.join(dir, 'schema.graphql') }, operations: [{ path: path.join(dir, 'ops.graphql') }] });
  registry = await ToolRegistry.create({ config: { server: { port: 0 }, apis: [api] }, authorizer: { tokenFor: async () => undefined }, logger });
});
afterEach(async () => { registry.close(); await rm(dir, { recursive: true, force: true }); });

describe('toolsBridgePart', () => {
  it('disables a tool for every client (absent from the list, unknown to calls) and keeps it off after a restart', async () => {
    const disabled = await DisabledTools.load(dir);
    const auth = createAuth({ config: { server: { port: 0 }, apis: [] }, secrets: memorySecretStore(), openExternal: async () => {}, logger });
    const part = toolsBridgePart({ registry, disabled, auth, apis: () => [], run: async () => ({ content: [] }) });
    let changes = 0;
    registry.onToolsChanged(() => changes++);
    expect(await part['tools:setEnabled']!('B', false)).toEqual({ ok: true, value: undefined });
    expect(registry.listTools().map((tool) => tool.name)).toEqual(['A']);
    expect(await registry.callTool('B', {})).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('Unknown tool') }] });
    expect([registry.isEnabled('B'), changes]).toEqual([false, 1]);
    expect((await DisabledTools.load(dir)).names()).toEqual(['B']);
    await part['tools:setEnabled']!('B', true);
    expect(registry.listTools().map((tool) => tool.name)).toEqual(['A', 'B']);
    expect(await part['tools:setEnabled']!('Nope', false)).toMatchObject({ ok: false, error: { code: 'UI_REQUEST_REFUSED' } });
  });

  it('runs Try it through the given path and shows the result as text', async () => {
    const calls: string[] = [];
    const auth = createAuth({ config: { server: { port: 0 }, apis: [] }, secrets: memorySecretStore(), openExternal: async () => {}, logger });
    const part = toolsBridgePart({
      registry, disabled: await DisabledTools.load(dir), auth, apis: () => [],
      run: async (name, args) => (calls.push(`${name}:${JSON.stringify(args)}`), { isError: true, content: [{ type: 'text', text: 'The user denied this call' }] }),
    });
    expect(await part['tools:try']!('A', { x: 1 })).toMatchObject({ ok: true, value: { isError: true, text: 'The user denied this call' } });
    expect(calls).toEqual(['A:{"x":1}']);
    expect(await part['tools:try']!('A', [] as unknown as Record<string, unknown>)).toMatchObject({ ok: false });
  });

  it('says no token is held yet, not "ok", when signed in but the API\'s token cannot be minted', async () => {
    const api = makeApiConfig({ name: 'orders', token: { strategy: 'exchange', audience: 'https://orders.example' } });
    const signedIn = createAuth({ config: { server: { port: 0 }, apis: [] }, secrets: memorySecretStore(), openExternal: async () => {}, logger });
    const auth = { ...signedIn, state: () => ({ status: 'signed-in', sub: 'alice', issuer: 'https://idp.example' }) as const, authorizer: { tokenFor: async () => { throw new Error('exchange failed'); } } };
    const part = toolsBridgePart({ registry, disabled: await DisabledTools.load(dir), auth, apis: () => [api], run: async () => ({ content: [] }) });
    expect(await part['audiences:list']!()).toMatchObject({ ok: true, value: [{ api: 'orders', state: 'no-token' }] });
  });
});

describe('toAudienceViews', () => {
  it('tells per API the strategy, the expected and the actual audience from the findings, never a token', () => {
    const apis = [
      makeApiConfig({ name: 'open' }),
      makeApiConfig({ name: 'orders', token: { strategy: 'exchange', audience: 'https://orders.example' } }),
      makeApiConfig({ name: 'legacy', token: { strategy: 'passthrough', audience: 'https://legacy.example' } }),
    ];
    const warnings: AudienceWarning[] = [
      { api: 'legacy', severity: 'error', code: 'audience-mismatch', message: 'is for the app', expected: 'https://legacy.example', actual: 'https://app.example account', fix: 'use exchange' },
    ];
    const views = toAudienceViews(apis, warnings, { status: 'signed-in', sub: 'alice', issuer: 'https://idp.example' });
    expect(views.map(({ api, strategy, state, actualAudience }) => ({ api, strategy, state, actualAudience }))).toEqual([
      { api: 'open', strategy: 'none', state: 'not-needed', actualAudience: undefined },
      { api: 'orders', strategy: 'exchange', state: 'ok', actualAudience: undefined },
      { api: 'legacy', strategy: 'passthrough', state: 'mismatch', actualAudience: ['https://app.example', 'account'] },
    ]);
    expect(views[2]!.warnings).toHaveLength(1);
    expect(toAudienceViews(apis, [], { status: 'signed-out' })[1]!.state).toBe('no-token');
  });
});
