import { randomBytes } from 'node:crypto';
import type { ClientDecision, ClientScope, CreatedKeyView } from '../../ipc/contract.ts';
import { AppError } from '../errors.ts';
import { createAccessKey } from './accessKeys.ts';
import type { ClientRegistry, StoredClient } from './ClientRegistry.ts';
import type { ApprovedClient } from './LocalAuthority.ts';

const keyNamePattern = /^[\p{L}\p{N}][\p{L}\p{N} ._@-]{0,63}$/u;

/** A new registry id for an approved client (never a credential). */
export function newClientId(): string {
  return `c_${randomBytes(12).toString('base64url')}`;
}

/** The scopes an approval grants: read-only clients get `tools:read` alone. */
export function scopesFor(decision: Exclude<ClientDecision, 'deny'>): ClientScope[] {
  return decision === 'allow-write' ? ['tools:read', 'tools:write'] : ['tools:read'];
}

/** The registry entry without what identifies its credential: what leaves the registry. */
export function toApprovedClient(client: StoredClient): ApprovedClient {
  const { keyName: _keyName, keyDigest: _keyDigest, oauthClientId: _oauth, ...approved } = client;
  return structuredClone(approved);
}

/**
 * Creates a named access key: the registry keeps its SHA-256 only, so the returned key is the one and only copy.
 * Read-only keys get `tools:read` alone. Rejects KEY_NAME_INVALID or KEY_NAME_TAKEN.
 */
export async function createKey(registry: ClientRegistry, name: string, readOnly: boolean): Promise<CreatedKeyView> {
  const trimmed = name.trim();
  if (!keyNamePattern.test(trimmed)) throw new AppError('KEY_NAME_INVALID');
  const { key, digest } = createAccessKey();
  const clientId = newClientId();
  await registry.update((state) => {
    if (state.clients.some((client) => client.kind === 'key' && client.keyName === trimmed)) throw new AppError('KEY_NAME_TAKEN', `An access key named "${trimmed}" already exists.`);
    state.clients.push({
      clientId, name: trimmed, kind: 'key', identity: 'local', keyName: trimmed, keyDigest: digest,
      scopes: scopesFor(readOnly ? 'allow-read' : 'allow-write'), tools: null, approvedAt: registry.now(),
    });
  });
  return { name: trimmed, clientId, key };
}

/** Deletes the key named `name` (its digest goes with it, so the key stops working at once). Rejects CLIENT_NOT_FOUND. */
export async function revokeKey(registry: ClientRegistry, name: string): Promise<void> {
  await registry.update((state) => {
    const index = state.clients.findIndex((client) => client.kind === 'key' && client.keyName === name.trim());
    if (index === -1) throw new AppError('CLIENT_NOT_FOUND', `No access key is named "${name.trim()}".`);
    state.clients.splice(index, 1);
  });
}

/** The access keys, oldest first (names, scopes, dates; never a key or digest). */
export function listKeys(registry: ClientRegistry): ApprovedClient[] {
  return registry.state.clients.filter((client) => client.kind === 'key').map(toApprovedClient);
}
