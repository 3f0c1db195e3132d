import { describe, expect, it } from 'vitest';
import { generateDPoPKey, importDPoPKey, isDPoPPrivateJwk } from '../../../electron/core/auth/dpopKey.ts';

const data = new TextEncoder().encode('proof');
const ecdsa = { name: 'ECDSA', hash: 'SHA-256' };

describe('generateDPoPKey', () => {
  it('returns a P-256 JWK for the keychain and a pair whose private key cannot be exported (C13)', async () => {
    const { keyPair, privateJwk } = await generateDPoPKey();
    expect(Object.keys(privateJwk).sort()).toEqual(['crv', 'd', 'kty', 'x', 'y']);
    expect(isDPoPPrivateJwk(privateJwk)).toBe(true);
    expect(keyPair.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('jwk', keyPair.privateKey)).rejects.toThrow();
    const signature = await crypto.subtle.sign(ecdsa, keyPair.privateKey, data);
    expect(await crypto.subtle.verify(ecdsa, keyPair.publicKey, signature, data)).toBe(true);
  });

  it('makes a new key every time', async () => {
    const [a, b] = await Promise.all([generateDPoPKey(), generateDPoPKey()]);
    expect(a.privateJwk.d).not.toBe(b.privateJwk.d);
  });
});

describe('importDPoPKey', () => {
  it('imports a stored JWK non-extractable, signing for the same public key', async () => {
    const { privateJwk, keyPair } = await generateDPoPKey();
    const imported = await importDPoPKey(privateJwk);
    await expect(crypto.subtle.exportKey('pkcs8', imported.privateKey)).rejects.toThrow();
    const signature = await crypto.subtle.sign(ecdsa, imported.privateKey, data);
    expect(await crypto.subtle.verify(ecdsa, keyPair.publicKey, signature, data)).toBe(true);
    expect(await crypto.subtle.exportKey('jwk', imported.publicKey)).toMatchObject({ x: privateJwk.x, y: privateJwk.y });
  });

  it('rejects members that are not a P-256 key', async () => {
    const { privateJwk } = await generateDPoPKey();
    await expect(importDPoPKey({ ...privateJwk, x: privateJwk.y, y: privateJwk.x })).rejects.toThrow();
  });
});

describe('isDPoPPrivateJwk', () => {
  it('accepts only an EC P-256 JWK with x, y and d of the right length', async () => {
    const { privateJwk } = await generateDPoPKey();
    for (const bad of [
      undefined, null, 'jwk', { ...privateJwk, d: undefined }, { ...privateJwk, kty: 'RSA' }, { ...privateJwk, crv: 'P-384' },
      { ...privateJwk, d: `${privateJwk.d}A` }, { ...privateJwk, x: 'short' }, { ...privateJwk, d: 'x'.repeat(42) + '=' },
    ]) {
      expect(isDPoPPrivateJwk(bad)).toBe(false);
    }
  });
});
