import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log/Logger.ts';
import { recordIssuedToken } from '../log/recordForSecretScan.ts';
import { secretValues } from '../secrets/scrubSecrets.ts';
import { applyLocalClientPolicy, isLoopbackRedirectUri } from './applyLocalClientPolicy.ts';
import type { ClientRegistry } from './ClientRegistry.ts';
import { createConsentRoutes, type ConsentRoutes } from './createConsentRoutes.ts';
import { FailureLimiter } from './FailureLimiter.ts';
import type { OidcErrors, OidcKoaContext, OidcProvider } from './oidcTypes.ts';
import type { PendingRequests } from './PendingRequests.ts';
import { allScopes } from './protectedResourceMetadata.ts';
import { persistedModels, RegistryAdapter, storedRegistrations } from './RegistryAdapter.ts';

export interface OauthServerOptions {
  /** `http://127.0.0.1:<port>`: the MCP origin, which is also the issuer. */
  issuer: string;
  port: number;
  registry: ClientRegistry;
  pending: PendingRequests;
  logger: Logger;
  /** Fetches Client ID Metadata Documents (called with oidc-provider's SSRF-guarded dispatcher in `init`). */
  fetch: typeof fetch;
  /** Notes which metadata document URLs could not be fetched (their clients are unverified, loopback-only). */
  isUnverifiedClient(clientId: string): boolean;
  /** Registered (DCR) clients kept at most; the oldest not approved are dropped first. Default 100. */
  maxRegistrations?: number;
  /** Access token lifetime; default and maximum 3600 s. */
  accessTokenTtlSeconds?: number;
}

/** An access token this server issued, as `/mcp` needs it. */
export interface VerifiedAccessToken {
  oauthClientId: string;
  scopes: string[];
  /** Epoch ms. */
  issuedAt: number;
  expiresAt: number;
  /** Issued here but past its lifetime: it grants nothing, it only tells whose it was (J14). */
  expired: boolean;
}

type MemoryAdapterFactory = ReturnType<typeof import('oidc-provider/lib/adapters/memory_adapter.js')['createMemoryAdapter']>;

/** How long an expired access token is still recognized as this server's (never accepted), for J14's per-client count. */
const expiredTokenMemorySeconds = 3600;

export interface OauthServer {
  handleHttp(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean>;
  verifyAccessToken(token: string): Promise<VerifiedAccessToken | undefined>;
}

/** The subject of every grant: the one user of this desktop app. */
const localAccountId = 'local-user';

const providerPaths = new Set(['/authorize', '/token', '/register', '/revoke', '/jwks', '/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']);

/** Whether `pathname` belongs to the authorization server (so its module is loaded only when a client uses it). */
export function isOauthPath(pathname: string): boolean {
  return providerPaths.has(pathname) || pathname.startsWith('/authorize/') || pathname.startsWith('/consent/');
}

/**
 * The app as OAuth 2.1 authorization server for local MCP clients, built on oidc-provider: authorization code with
 * PKCE S256 only, RFC 8707 resource = this `/mcp` (either loopback spelling), opaque access tokens of at most an hour,
 * rotating refresh tokens whose reuse revokes the grant, RFC 7009 revocation, RFC 7591 registration and Client ID
 * Metadata Documents. Consent is never given on a web page: the interaction waits for `clients:decide` in the app.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 * @see https://www.rfc-editor.org/rfc/rfc8414
 */
export async function createOauthServer(options: OauthServerOptions): Promise<OauthServer> {
  const { default: Provider, errors } = await import('oidc-provider');
  const { createMemoryAdapter } = await import('oidc-provider/lib/adapters/memory_adapter.js');
  const resources = new Set([`http://127.0.0.1:${options.port}/mcp`, `http://localhost:${options.port}/mcp`]);
  const configuration = await buildConfiguration(options, resources, errors as unknown as OidcErrors, rememberExpiredAccessTokens(createMemoryAdapter()));
  const provider = new Provider(options.issuer, configuration) as unknown as OidcProvider;
  restrictUnverifiedClients(provider, options.isUnverifiedClient);
  await narrowRefreshScopes(provider);
  limitFailedTokenRequests(provider, options.logger);
  rememberIssuedTokens(provider);
  advertiseResourceScopes(provider);
  provider.on('server_error', (_ctx: unknown, error: Error) => options.logger.error('authorization server error', { error }));
  const consent = createConsentRoutes({ provider, registry: options.registry, pending: options.pending, logger: options.logger, accountId: localAccountId, resources, isUnverifiedClient: options.isUnverifiedClient });
  const callback = provider.callback();
  return {
    handleHttp: (req, res, pathname) => route({ req, res, pathname, callback, consent, options }),
    verifyAccessToken: (token) => verifyAccessToken(provider, resources, token),
  };
}

interface RouteInput {
  req: IncomingMessage;
  res: ServerResponse;
  pathname: string;
  callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  consent: ConsentRoutes;
  options: OauthServerOptions;
}

async function route({ req, res, pathname, callback, consent, options }: RouteInput): Promise<boolean> {
  if (pathname.startsWith('/consent/')) return consent.handle(req, res, pathname);
  if (!isOauthPath(pathname)) return false;
  // RFC 8414's well-known path serves the same document as OIDC discovery.
  if (pathname === '/.well-known/oauth-authorization-server') req.url = '/.well-known/openid-configuration';
  if (pathname === '/authorize') req.url = withDefaultScope(req.url ?? pathname);
  if (pathname === '/register' && req.method === 'POST' && !(await makeRoomForRegistration(options))) {
    res.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' })
      .end(JSON.stringify({ error: 'invalid_client_metadata', error_description: 'Too many registered clients; approve or revoke some in the app first' }));
    return true;
  }
  await callback(req, res);
  return true;
}

/**
 * RFC 6749 §3.3: a request naming none of this server's scopes asks for the default, every scope; the user then
 * grants read or read-write in the app. (oidc-provider would otherwise deny it for lack of any scope to grant.)
 */
function withDefaultScope(url: string): string {
  const parsed = new URL(url, 'http://127.0.0.1');
  const requested = (parsed.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
  if (requested.some((scope) => (allScopes as string[]).includes(scope))) return url;
  parsed.searchParams.set('scope', [...requested, ...allScopes].join(' '));
  return `${parsed.pathname}${parsed.search}`;
}

// Registrations are bounded: a new one pushes out the oldest registration the user never approved (J8).
async function makeRoomForRegistration(options: OauthServerOptions): Promise<boolean> {
  const max = options.maxRegistrations ?? 100;
  return options.registry.update((state) => {
    const approved = new Set(state.clients.map((client) => client.oauthClientId).filter(Boolean));
    const registrations = storedRegistrations(state);
    for (const registration of registrations) {
      if (registrations.length < max) break;
      if (approved.has(registration.clientId)) continue;
      delete state.oauth[registration.key];
      registrations.splice(registrations.indexOf(registration), 1);
    }
    return registrations.length < max;
  });
}

/** An access token this server issued for `resources`, valid or expired (revoked ones are gone); undefined otherwise. */
async function verifyAccessToken(provider: OidcProvider, resources: Set<string>, value: string): Promise<VerifiedAccessToken | undefined> {
  const token = await provider.AccessToken.find(value, { ignoreExpiration: true });
  if (!token) return undefined;
  const audiences = Array.isArray(token.aud) ? token.aud : [token.aud];
  if (audiences.length !== 1 || !resources.has(audiences[0] ?? '')) return undefined;
  const { clientId, scope, iat, exp, isExpired } = token;
  return { oauthClientId: clientId, scopes: scope?.split(' ').filter(Boolean) ?? [], issuedAt: iat * 1000, expiresAt: exp * 1000, expired: isExpired };
}

/**
 * Keeps access tokens in memory an hour past their expiry (oidc-provider still refuses them as expired), so a client
 * presenting its expired token is recognized and is not charged to the loopback address every process shares.
 */
function rememberExpiredAccessTokens(memory: MemoryAdapterFactory): MemoryAdapterFactory {
  return (model) => {
    const adapter = memory(model);
    if (model !== 'AccessToken') return adapter;
    const upsert = adapter.upsert.bind(adapter);
    adapter.upsert = (id, payload, expiresIn) => upsert(id, payload, typeof expiresIn === 'number' ? expiresIn + expiredTokenMemorySeconds : expiresIn);
    return adapter;
  };
}

async function buildConfiguration(options: OauthServerOptions, resources: Set<string>, errors: OidcErrors, memory: (model: string) => unknown): Promise<Record<string, unknown>> {
  const ttl = Math.min(options.accessTokenTtlSeconds ?? 3600, 3600);
  return {
    adapter: (model: string) => (persistedModels.has(model) ? new RegistryAdapter(options.registry, model) : memory(model)),
    clients: [],
    // The signing key is ES256 (fast to generate at start); ID tokens are signed with it if a client asks for openid.
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [await generateSigningJwk()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'] },
    // Every local client is public (applyLocalClientPolicy sets `none`): advertise no secret or key based method.
    clientAuthMethods: ['none'],
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/consent/${interaction.uid}` },
    routes: { authorization: '/authorize', token: '/token', registration: '/register', revocation: '/revoke', jwks: '/jwks', userinfo: '/userinfo', end_session: '/logout', introspection: '/introspect' },
    pkce: { required: () => true },
    // OAuth 2.1 has only the code flow; oidc-provider would also offer implicit and hybrid id_token responses.
    responseTypes: ['code'],
    // Only the grant the app just made for this interaction; one remembered in a browser session would skip the app.
    loadExistingGrant: loadInteractionGrant,
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    // Sessions live in memory; a refresh token must outlive them (and a restart), bound to its grant instead.
    expiresWithSession: async () => false,
    extraClientMetadata: { properties: ['x_local_policy'], validator: localPolicyValidator(errors) },
    renderError,
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      dPoP: { enabled: false },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      // RFC 7009 §2.1: a client may revoke only tokens issued to it; another's token is answered 200 and left alone.
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: { clientId: string }, token: { clientId?: string }) => token.clientId === client.clientId },
      clientIdMetadataDocument: { enabled: true, ack: 'draft-02', allowFetch: async () => true, allowClient: async () => true },
      resourceIndicators: {
        enabled: true,
        // No `resource` at authorization is refused (J5); a token request may leave it out and get the granted one.
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => {
          if (!oneOf) throw new errors.InvalidTarget('resource must name this MCP server');
          return oneOf[0];
        },
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (!resources.has(resource)) throw new errors.InvalidTarget('resource must name this MCP server');
          return { scope: allScopes.join(' '), audience: resource, accessTokenTTL: ttl, accessTokenFormat: 'opaque' };
        },
        useGrantedResource: () => true,
      },
    },
    ttl: { AccessToken: ttl, AuthorizationCode: 60, Grant: 30 * 86_400, IdToken: 600, Interaction: 600, RefreshToken: 30 * 86_400, Session: 600 },
    fetch: options.fetch,
  };
}

async function loadInteractionGrant(ctx: { oidc: { result?: { consent?: { grantId?: string } }; provider: { Grant: { find(id: string): Promise<unknown> } } } }): Promise<unknown> {
  const grantId = ctx.oidc.result?.consent?.grantId;
  return grantId ? ctx.oidc.provider.Grant.find(grantId) : undefined;
}

// Called by oidc-provider for every client it builds (registration, metadata document, storage), before validation.
function localPolicyValidator(errors: OidcErrors) {
  return (_ctx: unknown, key: string, _value: unknown, metadata: Record<string, unknown>) => {
    delete metadata[key];
    const refusal = applyLocalClientPolicy(metadata);
    if (refusal?.error === 'invalid_redirect_uri') throw new errors.InvalidRedirectUri(refusal.description);
    if (refusal) throw new errors.InvalidClientMetadata(refusal.description);
  };
}

// A client whose metadata document could not be fetched may use any loopback redirect URI and nothing else (J9).
function restrictUnverifiedClients(provider: OidcProvider, isUnverifiedClient: (clientId: string) => boolean): void {
  const allowed = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(this: { clientId: string }, value: string) {
    if (isUnverifiedClient(this.clientId)) return isLoopbackRedirectUri(value);
    return allowed.call(this, value);
  };
}

// oidc-provider lists only its OIDC scopes; a client reading RFC 8414 metadata alone should also see the ones /mcp takes.
function advertiseResourceScopes(provider: OidcProvider): void {
  provider.use(async (ctx: OidcKoaContext, next) => {
    await next();
    if (ctx.oidc?.route !== 'discovery' || !ctx.body || typeof ctx.body !== 'object') return;
    const body = ctx.body as { scopes_supported?: string[] };
    body.scopes_supported = [...new Set([...(body.scopes_supported ?? []), ...allScopes])];
  });
}

// Every credential this server issues is scrubbed from whatever leaves the core, and fingerprinted for the test
// run's secret scan (issue 7; a no-op outside tests).
function rememberIssuedTokens(provider: OidcProvider): void {
  provider.use(async (ctx: OidcKoaContext, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || !ctx.body || typeof ctx.body !== 'object') return;
    for (const name of ['access_token', 'refresh_token', 'id_token']) {
      const value = (ctx.body as Record<string, unknown>)[name];
      secretValues.add(value as string | undefined);
      recordIssuedToken(value);
    }
  });
}

/**
 * A refresh that asks for scopes its refresh token does not hold gets the ones it holds instead of `invalid_scope`.
 * Codex sends the scopes it first asked for on every refresh (with `offline_access`, which oidc-provider never puts
 * in a token without prompt=consent, and `tools:write` after a read-only approval), so a strict RFC 6749 §6 check
 * left it logged out after every restart of the app. Narrowing never grants more than the user approved.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
async function narrowRefreshScopes(provider: OidcProvider): Promise<void> {
  const { default: internals } = await import('oidc-provider/lib/helpers/weak_cache.js');
  const handlers = internals(provider).grantTypeHandlers;
  const refresh = handlers.get('refresh_token');
  if (!refresh) throw new Error('oidc-provider has no refresh_token grant handler to wrap');
  handlers.set('refresh_token', async (ctx) => {
    const params = (ctx as OidcKoaContext).oidc?.params ?? {};
    if (typeof params.scope === 'string' && typeof params.refresh_token === 'string') {
      const held = (await provider.RefreshToken.find(params.refresh_token, { ignoreExpiration: true }))?.scope?.split(' ') ?? [];
      const kept = params.scope.split(' ').filter((scope) => held.includes(scope));
      params.scope = kept.length > 0 ? kept.join(' ') : undefined;
    }
    return refresh(ctx);
  });
}

// Failed token requests per source and per client: past the limit they get 429; successful ones are never held up (J14).
function limitFailedTokenRequests(provider: OidcProvider, logger: Logger): void {
  const limiter = new FailureLimiter({ max: 30, windowMs: 60_000 });
  provider.use(async (ctx: OidcKoaContext, next) => {
    await next();
    if (ctx.oidc?.route !== 'token' || ctx.status < 400) return;
    const keys = [`source:${ctx.req.socket.remoteAddress ?? ''}`, `client:${String(ctx.oidc.params?.client_id ?? ctx.oidc.client?.clientId ?? '')}`];
    const retryAfter = Math.max(...keys.map((key) => limiter.retryAfterSeconds(key)));
    keys.forEach((key) => limiter.recordFailure(key));
    if (retryAfter === 0) return;
    logger.debug('token requests rate-limited', { retryAfter });
    ctx.status = 429;
    ctx.set('retry-after', String(retryAfter));
    ctx.body = { error: 'invalid_request', error_description: 'Too many failed token requests; retry later' };
  });
}

async function generateSigningJwk(): Promise<Record<string, unknown>> {
  const { exportJWK, generateKeyPair } = await import('jose'); // ~45 modules, only once the authorization server starts (like oidc-provider)
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomBytes(8).toString('hex'), alg: 'ES256', use: 'sig' };
}

// Errors shown in the browser: the code only, as text, in a page that cannot be framed.
async function renderError(ctx: { type: string; body: unknown; set(name: string, value: string): void }, out: { error?: string }): Promise<void> {
  ctx.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
  ctx.type = 'html';
  const code = String(out.error ?? 'server_error').replace(/[^a-z_]/g, '');
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Authorization failed</title></head><body><h1>Authorization failed</h1><p>${code}</p><p>Start the connection again from your MCP client.</p></body></html>`;
}
