import type { CryptoKeyPair } from 'openid-client';
import { AppError, invariant } from '../errors.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { importDPoPKey, isDPoPPrivateJwk, type DPoPPrivateJwk } from './dpopKey.ts';
import { secretValues } from '../secrets/scrubSecrets.ts';

/** What the keychain holds for one sign-in: the refresh token and enough context to refuse a foreign entry. */
export interface StoredGrant {
  issuer: string;
  clientId: string;
  refreshToken: string;
  scope: string;
  /** RFC 8707 resources granted at sign-in; a `resource` API outside this list needs a new sign-in (C7). */
  resources: string[];
  /** The user's subject, shown as "signed in as"; not a secret. */
  sub: string;
  savedAt: number;
  /** RFC 9449: the refresh token is bound to a DPoP key whose private JWK is only in the keychain entry (C13). */
  dpop?: true;
}

export interface GrantKey {
  issuer: string;
  clientId: string;
}

export type GrantLookup =
  | { status: 'found'; grant: StoredGrant; /** The grant's DPoP key, private half non-extractable. */ dpopKey?: CryptoKeyPair }
  | { status: 'none' }
  | { status: 'discarded'; reason: string };

/** A parsed entry: the grant, and for a DPoP grant the private JWK it holds (only until it is imported). */
export type ParsedGrant =
  | { status: 'found'; grant: StoredGrant; privateJwk?: DPoPPrivateJwk }
  | { status: 'discarded'; reason: string };

export interface GrantEntryOptions {
  /** signIn.dpop: the entry must hold a DPoP key; without it, it must not. */
  dpop?: boolean;
}

/** The keychain account: the issuer and client id, so two IdPs or clients never share an entry (E4). */
export function grantAccount(key: GrantKey): string {
  return `${key.issuer}|${key.clientId}`;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * Parses a stored entry; anything that is not our JSON for this issuer and client, or whose DPoP key does not match
 * `signIn.dpop`, is discarded with a reason that never quotes the value (E3). Pure.
 */
export function parseStoredGrant(text: string, key: GrantKey, options: GrantEntryOptions = {}): ParsedGrant {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { status: 'discarded', reason: 'the keychain entry is not valid JSON' };
  }
  if (!value || typeof value !== 'object') return { status: 'discarded', reason: 'the keychain entry is not an object' };
  if (value.issuer !== key.issuer) return { status: 'discarded', reason: 'the keychain entry belongs to another issuer' };
  if (value.clientId !== key.clientId) return { status: 'discarded', reason: 'the keychain entry belongs to another client' };
  const complete =
    typeof value.refreshToken === 'string' && value.refreshToken.length > 0 &&
    typeof value.scope === 'string' && typeof value.sub === 'string' &&
    typeof value.savedAt === 'number' && isStringArray(value.resources);
  if (!complete) return { status: 'discarded', reason: 'the keychain entry is missing fields' };
  // Only our members: whatever else a foreign writer put in the entry is never carried along (or written back).
  const { issuer, clientId, refreshToken, scope, resources, sub, savedAt, dpopKey } = value as unknown as StoredGrant & { dpopKey?: unknown };
  const grant: StoredGrant = { issuer, clientId, refreshToken, scope, resources, sub, savedAt };
  if (!options.dpop) {
    // A DPoP-bound refresh token is useless without its key, and the key is no use with dpop off.
    if (dpopKey !== undefined) return { status: 'discarded', reason: 'the keychain entry is bound to a DPoP key but signIn.dpop is off' };
    return { status: 'found', grant };
  }
  if (!isDPoPPrivateJwk(dpopKey)) return { status: 'discarded', reason: 'the keychain entry has no valid DPoP key' };
  return { status: 'found', grant: { ...grant, dpop: true }, privateJwk: dpopKey };
}

/**
 * Reads the grant; a discarded entry is deleted so it is never used. A DPoP grant's key is imported
 * non-extractable here, so its JWK goes no further. Rejects with SECRETS_UNAVAILABLE.
 * @see security cases E1–E4, C13
 */
export async function loadGrant(store: SecretStore, key: GrantKey, options: GrantEntryOptions = {}): Promise<GrantLookup> {
  const text = await withSecretsError(store.get(grantAccount(key)));
  if (text === null) return { status: 'none' };
  const parsed = parseStoredGrant(text, key, options);
  if (parsed.status === 'found') for (const value of [parsed.grant.refreshToken, parsed.privateJwk?.d]) secretValues.add(value);
  const lookup = await importEntry(parsed);
  if (lookup.status === 'discarded') await withSecretsError(store.delete(grantAccount(key)));
  return lookup;
}

async function importEntry(parsed: ParsedGrant): Promise<GrantLookup> {
  if (parsed.status !== 'found' || !parsed.privateJwk) return parsed.status === 'found' ? { status: 'found', grant: parsed.grant } : parsed;
  try {
    return { status: 'found', grant: parsed.grant, dpopKey: await importDPoPKey(parsed.privateJwk) };
  } catch {
    return { status: 'discarded', reason: 'the keychain entry has no valid DPoP key' };
  }
}

/**
 * Stores the grant as JSON under `issuer|clientId`; the only place a refresh token, or a DPoP private key
 * (`privateJwk`, required for a DPoP grant), is ever written.
 */
export async function saveGrant(store: SecretStore, grant: StoredGrant, privateJwk?: DPoPPrivateJwk): Promise<void> {
  invariant(!grant.dpop === !privateJwk, 'a DPoP grant is saved with its key, and only a DPoP grant');
  await withSecretsError(store.set(grantAccount(grant), JSON.stringify(privateJwk ? { ...grant, dpopKey: privateJwk } : grant)));
}

/**
 * Stores a rotated refresh token. The app holds no copy of a DPoP grant's key, so its entry is read back and
 * rewritten with the key it holds, and only while it still holds `replaced` (never over a newer sign-in's entry).
 * Resolves false when the entry was not ours to update.
 */
export async function saveRotatedGrant(store: SecretStore, grant: StoredGrant, replaced: string): Promise<boolean> {
  if (!grant.dpop) return saveGrant(store, grant).then(() => true);
  const text = await withSecretsError(store.get(grantAccount(grant)));
  const entry = text === null ? undefined : parseStoredGrant(text, grant, { dpop: true });
  if (entry?.status !== 'found' || entry.grant.refreshToken !== replaced) return false;
  await saveGrant(store, grant, entry.privateJwk);
  return true;
}

/** Resolves false when there was nothing to delete (E5). */
export async function deleteGrant(store: SecretStore, key: GrantKey): Promise<boolean> {
  return withSecretsError(store.delete(grantAccount(key)));
}

// The SecretStore contract already rejects with SECRETS_UNAVAILABLE; this keeps a non-conforming store from leaking.
async function withSecretsError<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (AppError.is(error, 'SECRETS_UNAVAILABLE')) throw error;
    throw new AppError('SECRETS_UNAVAILABLE', `Keychain unavailable: ${error instanceof Error ? error.message : 'unknown error'}`, {
      cause: error,
    });
  }
}
