import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MainEventListener, PendingClientView } from '../../../electron/ipc/contract.ts';
import { ClientRegistry } from '../../../electron/core/clients/ClientRegistry.ts';
import { createLocalAuthority, type LocalAuthorityService } from '../../../electron/core/clients/createLocalAuthority.ts';
import { createKey, revokeKey } from '../../../electron/core/clients/manageKeys.ts';

let dataDir: string;
let authority: LocalAuthorityService;
const source = '127.0.0.1';

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'authority-'));
  authority = await createLocalAuthority({ dataDir, pollMs: 50 });
  await authority.attach('http://127.0.0.1:47999/mcp');
});
afterEach(async () => {
  await authority.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function createdKey(name: string, readOnly = false): Promise<string> {
  const result = await authority.bridgePart['keys:create']!(name, readOnly);
  if (!result.ok) throw new Error(result.error.message);
  return result.value.key;
}

function nextEvent(): Promise<PendingClientView[]> {
  return new Promise((resolve) => {
    const stop = authority.bridgePart.subscribe!(((event, payload) => {
      if (event === 'clients:pending-changed') { stop(); resolve(payload as PendingClientView[]); }
    }) as MainEventListener);
  });
}

describe('createLocalAuthority', () => {
  it('accepts a new access key once, with write scope, and keeps only its digest on disk', async () => {
    const key = await createdKey('ci script');
    expect(key).toMatch(/^gmdk_[A-Za-z0-9_-]{43}$/);
    const result = await authority.authenticate(`Bearer ${key}`, source);
    expect(result.ok && result.principal).toMatchObject({ name: 'ci script', kind: 'key', identity: 'local', scopes: ['tools:read', 'tools:write'], tools: null });
    expect(result.ok && result.principal.expiresAt).toBeGreaterThan(Date.now());
    const file = await readFile(path.join(dataDir, 'clients.json'), 'utf8');
    expect(file).not.toContain(key);
    expect(file).not.toContain(key.slice(5));
    expect((await stat(path.join(dataDir, 'clients.json'))).mode & 0o777).toBe(0o600);
  });

  it('gives a read-only key tools:read alone', async () => {
    const key = await createdKey('reader', true);
    const result = await authority.authenticate(`bearer ${key}`, source);
    expect(result.ok && result.principal.scopes).toEqual(['tools:read']);
  });

  it('refuses a revoked key with the same answer as an unknown one', async () => {
    const key = await createdKey('short-lived');
    await authority.bridgePart['keys:revoke']!('short-lived');
    const revoked = await authority.authenticate(`Bearer ${key}`, source);
    const unknown = await authority.authenticate(`Bearer gmdk_${'A'.repeat(43)}`, source);
    expect(revoked).toEqual({ ok: false, status: 401, error: 'invalid_token', description: 'The access token is invalid, expired or revoked' });
    expect(unknown).toEqual(revoked);
  });

  it('refuses other schemes, empty or oddly spaced values and two headers', async () => {
    const key = await createdKey('k');
    for (const header of [`Basic ${key}`, 'Bearer ', 'Bearer', `Bearer  ${key}`, [`Bearer ${key}`, `Bearer ${key}`], `Bearer ${key} x`]) {
      const result = await authority.authenticate(header, source);
      expect(result.ok, String(header)).toBe(false);
    }
    expect(await authority.authenticate(undefined, source)).toMatchObject({ ok: false, status: 401, error: 'invalid_token' });
  });

  it('answers 429 with Retry-After to a source that keeps failing, yet still accepts a valid key from it', async () => {
    await authority.close();
    authority = await createLocalAuthority({ dataDir, maxFailuresPerSource: 3, watch: false });
    const key = await createdKey('good');
    for (let i = 0; i < 3; i += 1) expect(await authority.authenticate('Bearer wrong', source)).toMatchObject({ status: 401 });
    const limited = await authority.authenticate('Bearer wrong', source);
    expect(limited).toMatchObject({ ok: false, status: 429 });
    expect(!limited.ok && limited.retryAfterSeconds).toBeGreaterThan(0);
    expect(await authority.authenticate('Bearer wrong', '127.0.0.2')).toMatchObject({ status: 401 });
    expect((await authority.authenticate(`Bearer ${key}`, source)).ok).toBe(true);
  });

  it('picks up a key revoked by another process (the CLI) and tells listeners', async () => {
    const key = await createdKey('shared');
    const { clientId } = (await authority.authenticate(`Bearer ${key}`, source) as { principal: { clientId: string } }).principal;
    const changed = new Promise<string>((resolve) => authority.onClientChanged(resolve));
    const cli = await ClientRegistry.open({ file: path.join(dataDir, 'clients.json') });
    await revokeKey(cli, 'shared');
    expect(await changed).toBe(clientId);
    expect((await authority.authenticate(`Bearer ${key}`, source)).ok).toBe(false);
    expect(authority.principalOf(clientId)).toBeUndefined();
  });

  it('accepts a key created by another process', async () => {
    const cli = await ClientRegistry.open({ file: path.join(dataDir, 'clients.json') });
    const changed = new Promise<string>((resolve) => authority.onClientChanged(resolve));
    const created = await createKey(cli, 'from cli', true);
    expect(await changed).toBe(created.clientId);
    expect((await authority.authenticate(`Bearer ${created.key}`, source)).ok).toBe(true);
  });

  it('refuses a duplicate key name and an empty one', async () => {
    await createdKey('dup');
    expect(await authority.bridgePart['keys:create']!('dup', false)).toMatchObject({ ok: false, error: { code: 'KEY_NAME_TAKEN' } });
    expect(await authority.bridgePart['keys:create']!('  ', false)).toMatchObject({ ok: false, error: { code: 'KEY_NAME_INVALID' } });
  });

  it('asks once for a new bridge client, remembers it once allowed, and revoking it forgets it', async () => {
    const shown = nextEvent();
    const first = authority.authorizeBridgeClient({ name: 'Claude\u202Eevil' });
    const second = authority.authorizeBridgeClient({ name: 'Claude\u202Eevil' });
    const [request] = await shown;
    expect(request).toMatchObject({ name: 'Claude<U+202E>evil', kind: 'bridge', identity: 'self-asserted' });
    expect((await authority.bridgePart['clients:pending']!()).ok).toBe(true);
    await authority.bridgePart['clients:decide']!(request!.requestId, 'allow-read');
    const principal = await first;
    expect(principal).toMatchObject({ kind: 'bridge', scopes: ['tools:read'] });
    expect(await second).toEqual(principal);
    expect((await authority.authorizeBridgeClient({ name: 'Claude\u202Eevil' }))?.clientId).toBe(principal!.clientId);
    expect(authority.approvedClients().map((client) => client.clientId)).toEqual([principal!.clientId]);
    await authority.bridgePart['clients:revoke']!(principal!.clientId);
    expect(authority.principalOf(principal!.clientId)).toBeUndefined();
  });

  it('denies a bridge client the user denies and refuses deciding twice', async () => {
    const shown = nextEvent();
    const waiting = authority.authorizeBridgeClient({ name: 'tool' });
    const [request] = await shown;
    expect(await authority.bridgePart['clients:decide']!(request!.requestId, 'deny')).toEqual({ ok: true, value: undefined });
    expect(await waiting).toBeUndefined();
    expect(await authority.bridgePart['clients:decide']!(request!.requestId, 'allow-write')).toMatchObject({ ok: false, error: { code: 'CLIENT_REQUEST_NOT_FOUND' } });
    expect(authority.approvedClients()).toEqual([]);
  });

  it('restricts a client to an allow-list of tools', async () => {
    const key = await createdKey('limited');
    const result = await authority.authenticate(`Bearer ${key}`, source);
    const clientId = result.ok ? result.principal.clientId : '';
    expect(await authority.bridgePart['clients:setTools']!(clientId, ['listTasks'])).toEqual({ ok: true, value: undefined });
    expect(authority.principalOf(clientId)?.tools).toEqual(['listTasks']);
    expect(await authority.bridgePart['clients:setTools']!('c_nobody', null)).toMatchObject({ ok: false, error: { code: 'CLIENT_NOT_FOUND' } });
  });

  it('challenges with resource_metadata and scope', () => {
    expect(authority.challenge({ error: 'invalid_token' })).toBe('Bearer error="invalid_token", resource_metadata="http://127.0.0.1:47999/.well-known/oauth-protected-resource/mcp", scope="tools:read tools:write"');
  });
});
