import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { ClientDecision } from '../../ipc/contract.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import { silentLogger, type Logger } from '../log/Logger.ts';
import { accessKeyPrefix, findByDigest } from './accessKeys.ts';
import { createClientsBridgePart } from './createClientsBridgePart.ts';
import { createMetadataDocumentFetch, type MetadataDocumentFetch } from './createMetadataDocumentFetch.ts';
import { createOauthServer, isOauthPath, type OauthServer, type VerifiedAccessToken } from './createOauthServer.ts';
import { revokeOauthClientGrants } from './RegistryAdapter.ts';
import { ClientRegistry, type StoredClient } from './ClientRegistry.ts';
import { FailureLimiter } from './FailureLimiter.ts';
import type { ApprovedClient, AuthenticateResult, BridgeClientInfo, LocalAuthority, Principal } from './LocalAuthority.ts';
import { newClientId, scopesFor, toApprovedClient } from './manageKeys.ts';
import { parseBearer } from './parseBearer.ts';
import { PendingRequests } from './PendingRequests.ts';
import { allScopes, buildChallenge, buildProtectedResourceMetadata, originFor, protectedResourceMetadataPath } from './protectedResourceMetadata.ts';
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
  /** Failed bearer checks allowed per source address (per client for its own expired tokens) per minute before 429 (default 60). */
  maxFailuresPerSource?: number;
  /**
   * Fetches Client ID Metadata Documents; default `globalThis.fetch` behind oidc-provider's guard against private and
   * loopback addresses. Tests pass one that trusts a test CA and ignores that guard, to serve a document on loopback.
   */
  fetchClientMetadata?: typeof fetch;
  /** OAuth access token lifetime in seconds (at most, and by default, 3600). */
  accessTokenTtlSeconds?: number;
  /** OAuth client registrations kept at most (J8); default 100. */
  maxRegistrations?: number;
  now?: () => number;
}

/** The local authority as the core composes it: the seam B and C use, plus the window's channels. */
export interface LocalAuthorityService extends LocalAuthority {
  /** `clients:pending`, `clients:decide`, `clients:revoke`, `clients:setTools`, `keys:*` and `clients:pending-changed`. */
  bridgePart: BridgePart;
  registry: ClientRegistry;
}

/** A bearer credential checked: the client it authenticates, or whose expired token it is, or neither. */
interface TokenCheck {
  principal?: Principal;
  expiredClientId?: string;
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
  readonly #metadataFetch: MetadataDocumentFetch;
  readonly #options: LocalAuthorityOptions;
  #oauth?: Promise<OauthServer>;
  #port = 0;

  constructor(registry: ClientRegistry, options: LocalAuthorityOptions, now: () => number) {
    this.registry = registry;
    this.#now = now;
    this.#logger = options.logger ?? silentLogger;
    this.#pending = new PendingRequests({ timeoutMs: options.decisionTimeoutMs, now });
    this.#options = options;
    this.#metadataFetch = createMetadataDocumentFetch(options.fetchClientMetadata ?? ((input, init) => globalThis.fetch(input, init)), this.#logger);
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
    const checked = 'token' in parsed ? await this.#verify(parsed.token) : {};
    if (checked.principal) return { ok: true, principal: checked.principal };
    // Only failures count and only failures are refused with 429: a valid credential always gets through. A client's
    // own expired token counts against that client, so a stranger spending the shared loopback address's limit
    // cannot keep it from learning that it must refresh (J14).
    const key = checked.expiredClientId ? `client:${checked.expiredClientId}` : source;
    const retryAfterSeconds = this.#failures.retryAfterSeconds(key);
    this.#failures.recordFailure(key);
    if (retryAfterSeconds > 0) return { ok: false, status: 429, error: 'invalid_token', description: 'Too many failed attempts', retryAfterSeconds };
    if ('error' in parsed) return refusal('invalid_request', 'The Authorization header must be one "Bearer <token>"');
    if (checked.expiredClientId) return refusal('invalid_token', 'The access token expired');
    return refusal('invalid_token', 'The access token is invalid, expired or revoked');
  }

  principalOf(clientId: string): Principal | undefined {
    const client = this.registry.state.clients.find((candidate) => candidate.clientId === clientId);
    return client && toPrincipal(client, this.#now() + keyPrincipalMs);
  }

  approvedClients(): ApprovedClient[] {
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

  challenge(options: { error?: string; scope?: string; description?: string; host?: string }): string {
    return buildChallenge(`${originFor(options.host, this.#port)}${protectedResourceMetadataPath}`, options);
  }

  async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (pathname === protectedResourceMetadataPath || pathname === '/.well-known/oauth-protected-resource') {
      sendJson(res, 200, buildProtectedResourceMetadata(`${originFor(req.headers.host, this.#port)}/mcp`, this.#issuer()));
      return true;
    }
    if (!isOauthPath(pathname) || this.#port === 0) return false;
    return (await this.#startOauth()).handleHttp(req, res, pathname);
  }

  async close(): Promise<void> {
    this.#pending.close();
    this.registry.close();
    this.#listeners.clear();
  }

  #issuer(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  // Loaded when a client first uses OAuth: oidc-provider costs start-up time and memory that key-only setups never need.
  #startOauth(): Promise<OauthServer> {
    this.#oauth ??= createOauthServer({
      issuer: this.#issuer(), port: this.#port, registry: this.registry, pending: this.#pending, logger: this.#logger,
      fetch: this.#metadataFetch.fetch, isUnverifiedClient: this.#metadataFetch.isUnverifiedClient,
      maxRegistrations: this.#options.maxRegistrations, accessTokenTtlSeconds: this.#options.accessTokenTtlSeconds,
    }).catch((error: unknown) => {
      this.#oauth = undefined;
      throw error;
    });
    return this.#oauth;
  }

  async #verify(token: string): Promise<TokenCheck> {
    // Access tokens live in memory only: before the authorization server has started, none can be valid.
    if (!token.startsWith(accessKeyPrefix)) return this.#oauth ? this.#verifyAccessToken(await this.#oauth, token) : {};
    const keys = this.registry.state.clients.filter((client) => client.kind === 'key');
    const client = findByDigest(keys, (candidate) => candidate.keyDigest, token);
    return { principal: client && toPrincipal(client, this.#now() + keyPrincipalMs) };
  }

  async #askForBridgeClient(name: string): Promise<Principal | undefined> {
    const { decision } = this.#pending.ask({ name, kind: 'bridge', identity: 'self-asserted', scopes: [...allScopes] }, `bridge:${name}`);
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

  async #verifyAccessToken(oauth: OauthServer, token: string): Promise<TokenCheck> {
    const verified = await oauth.verifyAccessToken(token);
    // A token issued before the client's current approval (revoked, then approved again) is not this approval's.
    const client = verified && this.registry.state.clients.find((candidate) => candidate.kind === 'oauth' && candidate.oauthClientId === verified.oauthClientId);
    if (!verified || !client || verified.issuedAt < Math.floor(client.approvedAt / 1000) * 1000) return {};
    if (verified.expired) return { expiredClientId: client.clientId };
    return { principal: { ...toPrincipal(client, verified.expiresAt), scopes: grantedScopes(client, verified) } };
  }

  // Keys and bridge approvals die with their registry entry; an OAuth client's grants and refresh tokens go too.
  async #revokeCredentials(client: StoredClient): Promise<void> {
    if (client.oauthClientId) await revokeOauthClientGrants(this.registry, client.oauthClientId);
  }
}

/** The token's scopes within what the user approved now (the approval may have been narrowed since). */
function grantedScopes(client: StoredClient, token: VerifiedAccessToken): Principal['scopes'] {
  const inToken = client.scopes.filter((scope) => token.scopes.includes(scope));
  return token.scopes.some((scope) => (allScopes as string[]).includes(scope)) ? inToken : [...client.scopes];
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
