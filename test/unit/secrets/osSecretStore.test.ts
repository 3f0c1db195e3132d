import { describe, expect, it } from 'vitest';
import { osSecretStore } from '../../../electron/core/secrets/osSecretStore.ts';

const absent = (name: string) => () => Promise.reject(new Error(`Cannot find package '${name}'`));

describe('osSecretStore', () => {
  it('rejects every call with SECRETS_UNAVAILABLE and what to run when neither keychain module loads (no file fallback)', async () => {
    const store = osSecretStore({ loadKeytar: absent('keytar'), loadKeyring: absent('@napi-rs/keyring') });
    for (const call of [() => store.get('a'), () => store.set('a', 'secret-value'), () => store.delete('a')]) {
      const error = await call().then(() => undefined, (caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'SECRETS_UNAVAILABLE', details: { reason: 'no keychain module' } });
      expect((error as Error).message).toContain('npm rebuild keytar');
      expect((error as Error).message).not.toContain('secret-value');
    }
  });
});
