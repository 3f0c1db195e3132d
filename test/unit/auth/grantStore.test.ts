import { describe, expect, it } from 'vitest';
import { generateDPoPKey } from '../../../electron/core/auth/dpopKey.ts';
import {
  deleteGrant, grantAccount, loadGrant, parseStoredGrant, saveGrant, saveRotatedGrant, type StoredGrant,
} from '../../../electron/core/auth/grantStore.ts';
import { AppError } from '../../../electron/core/errors.ts';
import type { SecretStore } from '../../../electron/core/secrets/SecretStore.ts';

const key = { issuer: 'https://idp.example', clientId: 'app' };
const grant: StoredGrant = { ...key, refreshToken: 'rt-1', scope: 'openid offline_access', resources: ['urn:app'], sub: 'alice', savedAt: 1 };

function mapStore(): SecretStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, value) => void entries.set(account, value),
    delete: async (account) => entries.delete(account),
  };
}

describe('grantAccount', () => {
  it('keys the entry by issuer and client id (E4)', () => {
    expect(grantAccount(key)).toBe('https://idp.example|app');
  });
});

describe('parseStoredGrant', () => {
  it('accepts our own entry', () => {
    expect(parseStoredGrant(JSON.stringify(grant), key)).toEqual({ status: 'found', grant });
  });

  it.each([
    ['not JSON', 'rt-plain-token', 'not valid JSON'],
    ['another issuer', JSON.stringify({ ...grant, issuer: 'https://evil.example' }), 'another issuer'],
    ['another client', JSON.stringify({ ...grant, clientId: 'other' }), 'another client'],
    ['missing fields', JSON.stringify({ ...grant, refreshToken: undefined }), 'missing fields'],
    ['null', 'null', 'not an object'],
  ])('discards %s with a reason that does not quote the value (E3)', (_name, text, reason) => {
    const lookup = parseStoredGrant(text, key);
    expect(lookup).toMatchObject({ status: 'discarded' });
    expect(lookup.status === 'discarded' && lookup.reason).toContain(reason);
    expect(JSON.stringify(lookup)).not.toContain('rt-');
  });
});

describe('loadGrant', () => {
  it('round-trips a saved grant and deletes a discarded entry', async () => {
    const store = mapStore();
    await saveGrant(store, grant);
    expect(await loadGrant(store, key)).toEqual({ status: 'found', grant });
    store.entries.set(grantAccount(key), '{broken');
    expect((await loadGrant(store, key)).status).toBe('discarded');
    expect(store.entries.size).toBe(0);
    expect(await loadGrant(store, key)).toEqual({ status: 'none' });
  });

  it('turns any store failure into SECRETS_UNAVAILABLE (E1)', async () => {
    const broken: SecretStore = { get: () => Promise.reject(new Error('no D-Bus')), set: () => Promise.reject(new Error('x')), delete: () => Promise.reject(new Error('x')) };
    await expect(loadGrant(broken, key)).rejects.toSatisfy((error) => AppError.is(error, 'SECRETS_UNAVAILABLE'));
    await expect(saveGrant(broken, grant)).rejects.toSatisfy((error) => AppError.is(error, 'SECRETS_UNAVAILABLE'));
  });
});

describe('deleteGrant', () => {
  it('resolves false when there was nothing to delete (E5)', async () => {
    const store = mapStore();
    expect(await deleteGrant(store, key)).toBe(false);
    await saveGrant(store, grant);
    expect(await deleteGrant(store, key)).toBe(true);
  });
});

describe('DPoP grants (C13)', () => {
  const bound: StoredGrant = { ...grant, dpop: true };

  it('keeps the private JWK in the same entry and hands back only a non-extractable key with a grant that lacks it', async () => {
    const store = mapStore();
    const { privateJwk } = await generateDPoPKey();
    await saveGrant(store, bound, privateJwk);
    expect(JSON.parse(store.entries.get(grantAccount(key))!)).toEqual({ ...bound, dpopKey: privateJwk });
    const lookup = await loadGrant(store, key, { dpop: true });
    if (lookup.status !== 'found') throw new Error(lookup.status);
    expect(lookup.grant).toEqual(bound);
    expect(lookup.dpopKey!.privateKey.extractable).toBe(false);
    expect(JSON.stringify(lookup)).not.toContain(privateJwk.d);
  });

  it.each([
    ['no key while dpop is on', { ...grant }, true, 'no valid DPoP key'],
    ['a malformed key while dpop is on', { ...bound, dpopKey: { kty: 'EC', crv: 'P-256', x: 'a', y: 'b', d: 'rt-c' } }, true, 'no valid DPoP key'],
    ['a key while dpop is off', { ...bound, dpopKey: { kty: 'EC' } }, false, 'signIn.dpop is off'],
  ])('discards an entry with %s, without quoting it (E3)', async (_name, entry, dpop, reason) => {
    const store = mapStore();
    store.entries.set(grantAccount(key), JSON.stringify(entry));
    const lookup = await loadGrant(store, key, { dpop });
    expect(lookup).toMatchObject({ status: 'discarded', reason: expect.stringContaining(reason) });
    expect(JSON.stringify(lookup)).not.toContain('rt-');
    expect(store.entries.size).toBe(0);
  });

  it('discards a key whose members do not form a P-256 key', async () => {
    const store = mapStore();
    const { privateJwk } = await generateDPoPKey();
    store.entries.set(grantAccount(key), JSON.stringify({ ...bound, dpopKey: { ...privateJwk, x: privateJwk.y, y: privateJwk.x } }));
    expect(await loadGrant(store, key, { dpop: true })).toMatchObject({ status: 'discarded', reason: expect.stringContaining('no valid DPoP key') });
  });

  it('refuses to save a DPoP grant without its key, or a key with a plain grant', async () => {
    const { privateJwk } = await generateDPoPKey();
    await expect(saveGrant(mapStore(), bound)).rejects.toThrow(/Invariant/);
    await expect(saveGrant(mapStore(), grant, privateJwk)).rejects.toThrow(/Invariant/);
  });

  it('parseStoredGrant drops unknown members and marks a DPoP grant', async () => {
    const { privateJwk } = await generateDPoPKey();
    const parsed = parseStoredGrant(JSON.stringify({ ...grant, dpopKey: privateJwk, extra: 1 }), key, { dpop: true });
    expect(parsed).toEqual({ status: 'found', grant: bound, privateJwk });
  });
});

describe('saveRotatedGrant', () => {
  it('saves a plain grant as saveGrant does', async () => {
    const store = mapStore();
    expect(await saveRotatedGrant(store, { ...grant, refreshToken: 'rt-2' }, 'rt-1')).toBe(true);
    expect(JSON.parse(store.entries.get(grantAccount(key))!)).toMatchObject({ refreshToken: 'rt-2' });
  });

  it('rewrites a DPoP entry with the key it holds, only while it still holds the replaced token', async () => {
    const store = mapStore();
    const { privateJwk } = await generateDPoPKey();
    const bound: StoredGrant = { ...grant, dpop: true };
    await saveGrant(store, bound, privateJwk);
    expect(await saveRotatedGrant(store, { ...bound, refreshToken: 'rt-2', savedAt: 2 }, 'rt-1')).toBe(true);
    expect(JSON.parse(store.entries.get(grantAccount(key))!)).toEqual({ ...bound, refreshToken: 'rt-2', savedAt: 2, dpopKey: privateJwk });
    // A newer sign-in replaced the entry: an old session's rotation must not overwrite it.
    expect(await saveRotatedGrant(store, { ...bound, refreshToken: 'rt-3' }, 'rt-1')).toBe(false);
    expect(JSON.parse(store.entries.get(grantAccount(key))!)).toMatchObject({ refreshToken: 'rt-2' });
    store.entries.clear();
    expect(await saveRotatedGrant(store, { ...bound, refreshToken: 'rt-4' }, 'rt-2')).toBe(false);
    expect(store.entries.size).toBe(0);
  });
});
