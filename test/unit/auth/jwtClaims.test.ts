import { describe, expect, it } from 'vitest';
import { audiencesOf, decodeJwtClaims } from '../../../electron/core/auth/jwtClaims.ts';
import { fakeJwt } from './apiFixture.ts';

describe('decodeJwtClaims', () => {
  it('reads the payload of a compact JWS', () => {
    expect(decodeJwtClaims(fakeJwt({ aud: 'urn:a', sub: 'alice' }))).toMatchObject({ aud: 'urn:a', sub: 'alice' });
  });

  it('returns undefined for an opaque token or a broken payload', () => {
    expect(decodeJwtClaims('opaque-token-value')).toBeUndefined();
    expect(decodeJwtClaims('a.!!!.c')).toBeUndefined();
    expect(decodeJwtClaims(`a.${Buffer.from('[1]').toString('base64url')}.c`)).toBeUndefined();
  });
});

describe('audiencesOf', () => {
  it('turns a string or an array aud into a list and ignores non-strings', () => {
    expect(audiencesOf({ aud: 'urn:a' })).toEqual(['urn:a']);
    expect(audiencesOf({ aud: ['urn:a', 'urn:b'] })).toEqual(['urn:a', 'urn:b']);
    expect(audiencesOf({})).toEqual([]);
    expect(audiencesOf({ aud: [1, 'urn:c'] as unknown as string[] })).toEqual(['urn:c']);
  });
});
