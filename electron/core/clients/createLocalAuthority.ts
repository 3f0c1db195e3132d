import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { ClientDecision } from '../../ipc/contract.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import { silentLogger, type Logger } from '../log/Logger.ts';
import { accessKeyPrefix, findByDigest } from './accessKeys.ts';
import { createClientsBridgePart } from './createClientsBridgePart.ts';
import { ClientRegistry, type StoredClient } from './ClientRegistry.ts';
import { FailureLimiter } from './FailureLimiter.ts';
import type { AuthenticateResult, BridgeClientInfo, LocalAuthority, Principal } from './LocalAuthority.ts';
import { newClientId, scopesFor, toApprovedClient } from './manageKeys.ts';
import { parseBearer } from './parseBearer.ts';
import { PendingRequests } from './PendingRequests.ts';
import { allScopes, buildChallenge, buildProtectedResourceMetadata, protectedResourceMetadataPath, resourceFor } from './protectedResourceMetadata.ts';
import { toVisibleText } from './toVisibleText.ts';

export interface LocalAuthorityOptions {
  /** The app's data folder; the registry is `<dataDir>/clients.json`. */
  dataDir: string;
  logger?: Logger;
  /** How long a client's request waits for the user's decision (default 5 minutes). */
  decisionTimeoutMs?: number;
  /** Follow edits of the registry file by another process (the `keys` CLI); default true. */
  watch?: boolean;
  /** How often the registry file is polled for such edits; default 500 ms. */
  pollMs?: number;
  /** Failed bearer checks allowed per source address per minute before 429 (default 60). */
  maxFailuresPerSource?: number;
  now?: () => number;
}

/** The local authority as the core composes it: the seam B and C use, plus the window's channels. */
export interface LocalAuthorityService extends LocalAuthority {
  /** `clients:pending`, `clients:decide`, `clients:revoke`, `clients:setTools`, `keys:*` and `clients:pending-changed`. */
  bridgePart: BridgePart;
  registry: ClientRegistry;
}

/** How long a principal built from an access key is good for: keys do not expire, but every request checks again. */
const keyPrincipalMs = 60 * 60_000;

/**
 * Creates the app's authority over local MCP clients: the registry of approved clients and access keys at
 * `<dataDir>/clients.json`, bearer checks for `/mcp`, protected resource metadata, and approvals in the app.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export async function createLocalAuthority(options: LocalAuthorityOptions): Promise<LocalAuthorityService> {
  const now = options.now ?? Date.now;
  const registry = await ClientRegistry.open({ file: path.join(options.dataDir, 'clients.json'), logger: options.logger, watch: options.watch ?? true, pollMs: options.pollMs, now });
  return new AppAuthority(registry, options, now);
}

class AppAuthority implements LocalAuthorityService {
  readonly registry: ClientRegistry;
  readonly bridgePart: BridgePart;
  readonly #pending: PendingRequests;
  readonly #failures: FailureLimiter;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #bridgeWaits = new Map<string, Promise<Principal | undefined>>();
  readonly #listeners = new Set<(clientId: string) => void>();
  #port = 0;

  constructor(registry: ClientRegistry, options: LocalAuthorityOptions, now: () => number) {
    this.registry = registry;
    this.#now = now;
    this.#logger = options.logger ?? silentLogger;
    this.#pending = new PendingRequests({ timeoutMs: options.decisionTimeoutMs, now });
    this.#failures = new FailureLimiter({ max: options.maxFailuresPerSource ?? 60, windowMs: 60_000, now });
    registry.onChange((ids) => ids.forEach((id) => this.#listeners.forEach((listener) => listener(id))));
    this.bridgePart = createClientsBridgePart({ registry, pending: this.#pending, revoke: (client) => this.#revokeCredentials(client) });
  }

  async attach(mcpUrl: string): Promise<void> {
    this.#port = Number(new URL(mcpUrl).port);
  }

  async authenticate(authorization: string | string[] | undefined, source: string): Promise<AuthenticateResult> {
    const parsed = parseBearer(authorization);
    if ('error' in parsed && parsed.error === 'missing') return refusal('invalid_token', 'An access token is required');
    const principal = 'token' in parsed ? await this.#verify(parsed.token) : undefined;
    if (principal) return { ok: true, principal };
    // Only failures count and only failures are refused with 429: a valid credential always gets through.
    const retryAfterSeconds = this.#failures.retryAfterSeconds(source);
    this.#failures.recordFailure(source);
    if (retryAfterSeconds > 0) return { ok: false, status: 429, error: 'invalid_token', description: 'Too many failed attempts', retryAfterSeconds };
    if ('error' in parsed) return refusal('invalid_request', 'The Authorization header must be one "Bearer <token>"');
    return refusal('invalid_token', 'The access token is invalid, expired or revoked');
  }

  principalOf(clientId: string): Principal | undefined {
    const client = this.registry.state.clients.find((candidate) => candidate.clientId === clientId);
    return client && toPrincipal(client, this.#now() + keyPrincipalMs);
  }

  approvedClients() {
    return this.registry.state.clients.map(toApprovedClient);
  }

  onClientChanged(listener: (clientId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  authorizeBridgeClient(info: BridgeClientInfo): Promise<Principal | undefined> {
    const name = toVisibleText(info.name || 'Unnamed stdio client');
    const known = this.registry.state.clients.find((client) => client.kind === 'bridge' && client.name === name);
    if (known) return Promise.resolve(this.principalOf(known.clientId));
    // Several connections of one new client share one question instead of asking the user once each.
    let waiting = this.#bridgeWaits.get(name);
    if (!waiting) {
      waiting = this.#askForBridgeClient(name).finally(() => this.#bridgeWaits.delete(name));
      this.#bridgeWaits.set(name, waiting);
    }
    return waiting;
  }

  challenge(options: { error?: string; scope?: string; description?: string }): string {
    return buildChallenge(`${this.#issuer()}${protectedResourceMetadataPath}`, options);
  }

  async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname === protectedResourceMetadataPath || pathname === '/.well-known/oauth-protected-resource') {
      sendJson(res, 200, buildProtectedResourceMetadata(resourceFor(req.headers.host, this.#port), this.#issuer()));
      return true;
    }
    return false;
  }

  async close(): Promise<void> {
    this.#pending.close();
    this.registry.close();
    this.#listeners.clear();
  }

  #issuer(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  async #verify(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(accessKeyPrefix)) return undefined;
    const keys = this.registry.state.clients.filter((client) => client.kind === 'key');
    const client = findByDigest(keys, (candidate) => candidate.keyDigest, token);
    return client && toPrincipal(client, this.#now() + keyPrincipalMs);
  }

  async #askForBridgeClient(name: string): Promise<Principal | undefined> {
    const { decision } = this.#pending.ask({ name, kind: 'bridge', identity: 'self-asserted', scopes: [...allScopes] });
    const answer = await decision;
    if (answer === 'deny') return undefined;
    const clientId = await this.#approveBridgeClient(name, answer);
    this.#logger.info('stdio bridge client approved', { clientId });
    return this.principalOf(clientId);
  }

  async #approveBridgeClient(name: string, decision: Exclude<ClientDecision, 'deny'>): Promise<string> {
    return this.registry.update((state) => {
      const existing = state.clients.find((client) => client.kind === 'bridge' && client.name === name);
      if (existing) return existing.clientId;
      const clientId = newClientId();
      state.clients.push({ clientId, name, kind: 'bridge', identity: 'self-asserted', scopes: scopesFor(decision), tools: null, approvedAt: this.#now() });
      return clientId;
    });
  }

  // Keys and bridge approvals die with their registry entry; OAuth grants are revoked by the OAuth server (later).
  async #revokeCredentials(_client: StoredClient): Promise<void> {}
}

function toPrincipal(client: StoredClient, expiresAt: number): Principal {
  const { clientId, name, kind, identity, scopes, tools } = client;
  return { clientId, name, kind, identity, scopes: [...scopes], tools: tools && [...tools], expiresAt };
}

function refusal(error: 'invalid_request' | 'invalid_token', description: string): AuthenticateResult {
  return { ok: false, status: 401, error, description };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}
