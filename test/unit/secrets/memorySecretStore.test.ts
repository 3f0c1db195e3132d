import { describe, expect, it } from 'vitest';
import { memorySecretStore } from '../../../electron/core/secrets/memorySecretStore.ts';

describe('memorySecretStore', () => {
  it('returns what was set, and null for an account never set', async () => {
    const store = memorySecretStore();
    await store.set('issuer|client', 'v1');
    expect(await store.get('issuer|client')).toBe('v1');
    expect(await store.get('other')).toBeNull();
  });

  it('overwrites a value when set again', async () => {
    const store = memorySecretStore();
    await store.set('a', 'v1');
    await store.set('a', 'v2');
    expect(await store.get('a')).toBe('v2');
  });

  it('returns true when deleting an entry and false when there is nothing to delete', async () => {
    const store = memorySecretStore({ a: 'seeded' });
    expect(await store.get('a')).toBe('seeded');
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.get('a')).toBeNull();
  });

  it('keeps stores apart when several are created', async () => {
    const one = memorySecretStore();
    const two = memorySecretStore();
    await one.set('a', 'v');
    expect(await two.get('a')).toBeNull();
  });
});
