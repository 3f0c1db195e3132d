import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyLocalClientPolicy, isLoopbackRedirectUri } from '../../../electron/core/clients/applyLocalClientPolicy.ts';
import { ClientRegistry } from '../../../electron/core/clients/ClientRegistry.ts';
import { FailureLimiter } from '../../../electron/core/clients/FailureLimiter.ts';
import { parseBearer } from '../../../electron/core/clients/parseBearer.ts';
import { PendingRequests } from '../../../electron/core/clients/PendingRequests.ts';
import { RegistryAdapter } from '../../../electron/core/clients/RegistryAdapter.ts';
import { toVisibleText } from '../../../electron/core/clients/toVisibleText.ts';

describe('parseBearer', () => {
  it('accepts one Bearer header in any case, and nothing else', () => {
    expect(parseBearer('Bearer abc.DEF-_~+/=')).toEqual({ token: 'abc.DEF-_~+/=' });
    expect(parseBearer('bearer x')).toEqual({ token: 'x' });
    expect(parseBearer(['BEARER x'])).toEqual({ token: 'x' });
    expect(parseBearer(undefined)).toEqual({ error: 'missing' });
    for (const bad of ['Basic eA==', 'Bearer', 'Bearer ', 'Bearer  x', 'Bearer x y', ' Bearer x', 'Bearer\tx', 'Bearer x\n']) expect(parseBearer(bad), JSON.stringify(bad)).toEqual({ error: 'malformed' });
    expect(parseBearer(['Bearer x', 'Bearer y'])).toEqual({ error: 'malformed' });
  });
});

describe('toVisibleText', () => {
  it('shows control, bidi, zero-width and tag characters instead of letting them act, and caps the length', () => {
    expect(toVisibleText('a\u0000b\u001b[2Jc\u202Ed\u2066e\u200Bf\uFEFFg\u{E0041}h')).toBe('a<U+0000>b<U+001B>[2Jc<U+202E>d<U+2066>e<U+200B>f<U+FEFF>g<U+E0041>h');
    expect(toVisibleText('  Cursor  ')).toBe('Cursor');
    expect(toVisibleText('x'.repeat(100), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(toVisibleText('<b>&</b> Claude')).toBe('<b>&</b> Claude');
  });
});

describe('applyLocalClientPolicy', () => {
  it('makes a registration a public native client and drops what would be fetched or mistaken for verified', () => {
    const metadata: Record<string, unknown> = { redirect_uris: ['http://127.0.0.1:3000/cb'], client_name: 'n'.repeat(500), logo_uri: 'https://x/logo.png', jwks_uri: 'https://x/jwks', scope: 'tools:read', token_endpoint_auth_method: 'client_secret_basic' };
    expect(applyLocalClientPolicy(metadata)).toBeUndefined();
    expect(metadata).toEqual({ redirect_uris: ['http://127.0.0.1:3000/cb'], client_name: 'n'.repeat(200), application_type: 'native', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
  });

  it('accepts loopback http and private-use schemes, never https, other hosts, script or file schemes', () => {
    for (const ok of ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost:1/x', 'cursor://anysphere.cursor-retrieval/oauth/callback', 'vscode://vscode.github-authentication/did-authenticate']) {
      expect(applyLocalClientPolicy({ redirect_uris: [ok] }), ok).toBeUndefined();
    }
    for (const bad of ['https://evil.example/cb', 'http://evil.example/cb', 'http://127.0.0.1.nip.io/cb', 'http://user@127.0.0.1/cb', 'http://127.0.0.1/cb#x', 'javascript:alert(1)', 'data:text/html,x', 'file:///etc/passwd', 'ws://127.0.0.1/x']) {
      expect(applyLocalClientPolicy({ redirect_uris: [bad] })?.error, bad).toBe('invalid_redirect_uri');
    }
    expect(applyLocalClientPolicy({ redirect_uris: [] })?.error).toBe('invalid_redirect_uri');
    expect(applyLocalClientPolicy({ redirect_uris: Array.from({ length: 11 }, (_, i) => `http://127.0.0.1/${i}`) })?.error).toBe('invalid_redirect_uri');
    expect(applyLocalClientPolicy({ redirect_uris: ['http://127.0.0.1/cb'], client_name: 42 })?.error).toBe('invalid_client_metadata');
    expect(isLoopbackRedirectUri('http://localhost:9/cb')).toBe(true);
  });
});

describe('FailureLimiter', () => {
  it('limits a key after max failures until its window ends, others untouched, memory bounded', () => {
    let now = 0;
    const limiter = new FailureLimiter({ max: 2, windowMs: 10_000, maxKeys: 3, now: () => now });
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a');
    expect(limiter.retryAfterSeconds('a')).toBe(10);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    now = 10_000;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    for (const key of ['c', 'd', 'e', 'f']) limiter.recordFailure(key);
    limiter.recordFailure('f');
    expect(limiter.retryAfterSeconds('f')).toBe(10);
  });
});

describe('RegistryAdapter', () => {
  it('stores tokens under a digest of their id, without the id, and gives it back on find', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'adapter-'));
    try {
      const registry = await ClientRegistry.open({ file: path.join(dir, 'clients.json') });
      const adapter = new RegistryAdapter(registry, 'RefreshToken');
      const id = 'refresh-token-id-that-is-a-secret';
      await adapter.upsert(id, { jti: id, grantId: 'g1', clientId: 'c1', kind: 'RefreshToken' }, 60);
      expect(await readFile(path.join(dir, 'clients.json'), 'utf8')).not.toContain(id);
      expect(await adapter.find(id)).toEqual({ jti: id, grantId: 'g1', clientId: 'c1', kind: 'RefreshToken' });
      await adapter.consume(id);
      expect((await adapter.find(id))?.consumed).toEqual(expect.any(Number));
      await adapter.revokeByGrantId('g1');
      expect(await adapter.find(id)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('PendingRequests', () => {
  const ask = (pending: PendingRequests, client: string) => pending.ask({ name: client, kind: 'oauth', identity: 'self-asserted', scopes: ['tools:read'] }, client);

  it('lets a flooding client push out only its own older requests, and a flood of clients only the oldest ones', async () => {
    const pending = new PendingRequests({ maxPending: 4, maxPendingPerClient: 2 });
    const real = ask(pending, 'real client');
    const flood = Array.from({ length: 5 }, () => ask(pending, 'flooder'));
    expect(pending.list().map((request) => request.name)).toEqual(['real client', 'flooder', 'flooder']);
    expect(await Promise.all(flood.slice(0, 3).map((request) => request.decision))).toEqual(['deny', 'deny', 'deny']);
    expect(pending.decide(real.view.requestId, 'allow-read')).toBe(true);
    expect(await real.decision).toBe('allow-read');
    const many = ['a', 'b', 'c', 'd', 'e'].map((client) => ask(pending, client));
    expect(pending.list()).toHaveLength(4);
    expect(pending.list().at(-1)?.requestId).toBe(many.at(-1)!.view.requestId);
    pending.close();
    expect(await many.at(-1)!.decision).toBe('deny');
  });
});
