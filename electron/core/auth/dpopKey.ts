import type { CryptoKeyPair } from 'openid-client';
import { secretValues } from '../secrets/scrubSecrets.ts';

/** The only DPoP algorithm the app uses: ES256 (ECDSA P-256), which every DPoP-capable IdP is expected to support. */
export const dpopAlgorithm = 'ES256';

const ecdsaP256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The members of an EC P-256 private JWK the keychain entry keeps (no `ext`/`key_ops`). */
export interface DPoPPrivateJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  d: string;
}

/** A new key: the pair the app signs proofs with (private key non-extractable) and the JWK to put in the keychain. */
export interface GeneratedDPoPKey {
  keyPair: CryptoKeyPair;
  privateJwk: DPoPPrivateJwk;
}

// A P-256 coordinate or scalar is 32 bytes: 43 base64url characters without padding.
const isCoordinate = (value: unknown): value is string => typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);

/** True for an EC P-256 private JWK of the right shape; never reads out what it rejects. Pure. */
export function isDPoPPrivateJwk(value: unknown): value is DPoPPrivateJwk {
  if (!value || typeof value !== 'object') return false;
  const jwk = value as Record<string, unknown>;
  return jwk.kty === 'EC' && jwk.crv === 'P-256' && isCoordinate(jwk.x) && isCoordinate(jwk.y) && isCoordinate(jwk.d);
}

/**
 * Generates the sign-in's DPoP key with WebCrypto. The private JWK is exported once, for the keychain only; the
 * pair the app keeps holds a non-extractable re-import, so nothing in the process can read the key out again.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-2
 */
export async function generateDPoPKey(): Promise<GeneratedDPoPKey> {
  const extractable = await crypto.subtle.generateKey(ecdsaP256, true, ['sign', 'verify']);
  const { kty, crv, x, y, d } = await crypto.subtle.exportKey('jwk', extractable.privateKey);
  const privateJwk = { kty, crv, x, y, d } as DPoPPrivateJwk;
  secretValues.add(d);
  return { keyPair: await importDPoPKey(privateJwk), privateJwk };
}

/**
 * Imports the stored private JWK as a non-extractable signing key (and its public half, which proofs carry).
 * Rejects when the members do not form a P-256 key.
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-4.2
 */
export async function importDPoPKey(jwk: DPoPPrivateJwk): Promise<CryptoKeyPair> {
  const { kty, crv, x, y, d } = jwk;
  const privateKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, ecdsaP256, false, ['sign']);
  const publicKey = await crypto.subtle.importKey('jwk', { kty, crv, x, y }, ecdsaP256, true, ['verify']);
  return { privateKey, publicKey };
}
