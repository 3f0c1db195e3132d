import type { ClientDecision, Result } from '../../ipc/contract.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import { AppError } from '../errors.ts';
import { toResultError } from '../ui/invokeBridge.ts';
import type { ClientRegistry, StoredClient } from './ClientRegistry.ts';
import { createKey, revokeKey } from './manageKeys.ts';
import type { PendingRequests } from './PendingRequests.ts';

export interface ClientsBridgePartOptions {
  registry: ClientRegistry;
  pending: PendingRequests;
  /** Kills what the registry entry alone does not hold (OAuth grants and tokens) once the entry is gone. */
  revoke(client: StoredClient): Promise<void>;
}

const decisions = new Set<ClientDecision>(['allow-read', 'allow-write', 'deny']);
const ok = <T>(value: T): Result<T> => ({ ok: true, value });

// Arguments arrive from the window (IPC or the headless HTTP bridge): checked here, never trusted.
async function answer<T>(run: () => Promise<T>): Promise<Result<T>> {
  try {
    return ok(await run());
  } catch (error) {
    return { ok: false, error: toResultError(error) };
  }
}

function invalid(message: string): AppError {
  return new AppError('UI_REQUEST_REFUSED', message);
}

/**
 * The window's channels for client approvals and access keys. Deciding a pending request happens here and nowhere
 * else (never from a web page the client opened); `keys:create` is the only answer that carries a secret.
 */
export function createClientsBridgePart(options: ClientsBridgePartOptions): BridgePart {
  const { registry, pending } = options;
  return {
    'clients:pending': async () => ok(pending.list()),
    'clients:decide': (requestId, decision) => answer(async () => {
      if (typeof requestId !== 'string' || !decisions.has(decision)) throw invalid('clients:decide needs a request id and allow-read, allow-write or deny');
      if (!pending.decide(requestId, decision)) throw new AppError('CLIENT_REQUEST_NOT_FOUND');
    }),
    'clients:revoke': (clientId) => answer(() => revokeClient(options, clientId)),
    'clients:setTools': (clientId, names) => answer(() => setTools(registry, clientId, names)),
    'keys:create': (name, readOnly) => answer(async () => {
      if (typeof name !== 'string' || typeof readOnly !== 'boolean') throw invalid('keys:create needs a name and readOnly');
      return createKey(registry, name, readOnly);
    }),
    'keys:revoke': (name) => answer(async () => {
      if (typeof name !== 'string') throw invalid('keys:revoke needs a name');
      await revokeKey(registry, name);
    }),
    subscribe: (listener) => pending.onChange(() => listener('clients:pending-changed', pending.list())),
  };
}

async function revokeClient(options: ClientsBridgePartOptions, clientId: unknown): Promise<void> {
  if (typeof clientId !== 'string') throw invalid('clients:revoke needs a client id');
  const removed = await options.registry.update((state) => {
    const index = state.clients.findIndex((client) => client.clientId === clientId);
    return index === -1 ? undefined : state.clients.splice(index, 1)[0];
  });
  if (!removed) throw new AppError('CLIENT_NOT_FOUND');
  await options.revoke(removed);
}

async function setTools(registry: ClientRegistry, clientId: unknown, names: unknown): Promise<void> {
  const valid = names === null || (Array.isArray(names) && names.length <= 10_000 && names.every((name) => typeof name === 'string' && name.length <= 200));
  if (typeof clientId !== 'string' || !valid) throw invalid('clients:setTools needs a client id and a list of tool names or null');
  const found = await registry.update((state) => {
    const client = state.clients.find((candidate) => candidate.clientId === clientId);
    if (client) client.tools = names === null ? null : [...new Set(names as string[])];
    return client !== undefined;
  });
  if (!found) throw new AppError('CLIENT_NOT_FOUND');
}
