import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { recordIssuedToken } from '../log/recordForSecretScan.ts';
import { secretValues } from '../secrets/scrubSecrets.ts';

/** Every access key starts with this, so secret scanners and users can recognise one. */
export const accessKeyPrefix = 'gmdk_';

/** SHA-256 (hex) of a credential: the only form in which the registry keeps one. */
export function digestOf(secret: string): string {
  return hash('sha256', secret, 'hex'); // one-shot: no Hash object per request
}

/** A new access key (256 random bits after the prefix) and its digest; the key itself is shown once and never kept. */
export function createAccessKey(): { key: string; digest: string } {
  const key = `${accessKeyPrefix}${randomBytes(32).toString('base64url')}`;
  secretValues.add(key); // scrubbed from everything that leaves the core, except the one keys:create answer
  recordIssuedToken(key);
  return { key, digest: digestOf(key) };
}

/**
 * The item whose digest matches `secret`'s, comparing with `timingSafeEqual` against every candidate (no early exit),
 * so the time taken says nothing about how close a guess was or which entry matched.
 */
export function findByDigest<T>(items: readonly T[], digestOfItem: (item: T) => string | undefined, secret: string): T | undefined {
  const presented = Buffer.from(digestOf(secret), 'hex');
  let found: T | undefined;
  for (const item of items) {
    const stored = digestOfItem(item);
    if (stored === undefined || stored.length !== 64) continue;
    if (timingSafeEqual(presented, Buffer.from(stored, 'hex')) && found === undefined) found = item;
  }
  return found;
}
