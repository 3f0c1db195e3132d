import { AppError } from '../errors.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';

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
}

export interface GrantKey {
  issuer: string;
  clientId: string;
}

export type GrantLookup = { status: 'found'; grant: StoredGrant } | { status: 'none' } | { status: 'discarded'; reason: string };

/** The keychain account: the issuer and client id, so two IdPs or clients never share an entry (E4). */
export function grantAccount(key: GrantKey): string {
  return `${key.issuer}|${key.clientId}`;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');

/**
 * Parses a stored entry; anything that is not our JSON for this issuer and client is discarded with a reason
 * that never quotes the value (E3). Pure.
 */
export function parseStoredGrant(text: string, key: GrantKey): GrantLookup {
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
  return { status: 'found', grant: value as unknown as StoredGrant };
}

/**
 * Reads the grant; a discarded entry is deleted so it is never used. Rejects with SECRETS_UNAVAILABLE.
 * @see security cases E1–E4
 */
export async function loadGrant(store: SecretStore, key: GrantKey): Promise<GrantLookup> {
  const text = await withSecretsError(store.get(grantAccount(key)));
  if (text === null) return { status: 'none' };
  const lookup = parseStoredGrant(text, key);
  if (lookup.status === 'discarded') await withSecretsError(store.delete(grantAccount(key)));
  return lookup;
}

/** Stores the grant as JSON under `issuer|clientId`; the only place a refresh token is ever written. */
export async function saveGrant(store: SecretStore, grant: StoredGrant): Promise<void> {
  await withSecretsError(store.set(grantAccount(grant), JSON.stringify(grant)));
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
