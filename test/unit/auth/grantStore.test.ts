import { describe, expect, it } from 'vitest';
import { deleteGrant, grantAccount, loadGrant, parseStoredGrant, saveGrant, type StoredGrant } from '../../../electron/core/auth/grantStore.ts';
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
