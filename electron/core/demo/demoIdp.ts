import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import type { JWK } from 'jose';
import Provider, { errors } from 'oidc-provider';
import { createMemoryAdapter } from 'oidc-provider/lib/adapters/memory_adapter.js';
import type { OidcClient, OidcContext, ResourceServerInfo, TokenSource } from 'oidc-provider';
import { AppError } from '../errors.ts';
import { silentLogger } from '../log/Logger.ts';
import { recordIssuedToken } from '../log/recordForSecretScan.ts';
import type { Logger } from '../log/Logger.ts';
import { handleLoginPage, renderError } from './demoLoginPages.ts';
import { registerTokenExchangeGrant, tokenExchangeGrantType } from './tokenExchangeGrant.ts';

export const demoClientId = 'graphql-mcp-desktop';
export const demoAppResource = 'urn:graphql-mcp-desktop:app';
export const demoRedirectUri = 'http://127.0.0.1/callback';

export interface DemoApi {
  /** The API's resource indicator (RFC 8707): the `aud` of its tokens. */
  resource: string;
  scopes: string[];
}

export interface DemoIdpOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  clientId?: string;
  /** The app's own resource: the `aud` of its login token, the subject of exchanges. */
  appResource?: string;
  apis: DemoApi[];
  accessTokenTtlSeconds?: number;
  /** RFC 9449 DPoP at the token endpoint (no nonce): tokens requested with a proof are bound to its key. Off by default. */
  dpop?: boolean;
  logger?: Logger;
}

/** Successful token-endpoint grants by type, and calls to the revocation endpoint. */
export interface DemoIdpStats {
  authorizationCode: number;
  refreshToken: number;
  tokenExchange: number;
  /** Successful refresh and exchange grants per target resource ('' when none was named). */
  byResource: Record<string, { refreshToken: number; tokenExchange: number }>;
  /** Token requests that ended in an OAuth error (invalid_grant, invalid_target, …). */
  failedGrants: number;
  revocations: number;
}

export interface DemoIdp {
  /** `http://127.0.0.1:PORT` */
  issuer: string;
  jwksUri: string;
  clientId: string;
  appResource: string;
  port: number;
  stats(): DemoIdpStats;
  /** Stops listening and drops open connections: afterwards the IdP is "down". */
  close(): Promise<void>;
}

/**
 * Starts the built-in demo identity provider (oidc-provider) on 127.0.0.1: one public native client with PKCE,
 * refresh tokens, RFC 8707 resource indicators giving JWT access tokens per API, RFC 8693 token exchange, and
 * with `dpop` RFC 9449 DPoP (a public client's refresh token is then bound to the key that redeemed the code).
 * Keys and cookie secrets are generated in memory at each start and never written anywhere.
 * Without a `resource` at authorization the grant is for `appResource` (see `defaultResource` below).
 * @see https://www.rfc-editor.org/rfc/rfc8707
 * @see https://www.rfc-editor.org/rfc/rfc8693
 * @see https://www.rfc-editor.org/rfc/rfc9449
 */
export async function startDemoIdp(options: DemoIdpOptions): Promise<DemoIdp> {
  const settings = resolveSettings(options);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;
  const { provider, stats } = await createProvider(issuer, settings).catch(async (error: unknown) => {
    await closeServer(server);
    throw error;
  });
  const callback = provider.callback();
  const pages = { resourceScopes: settings.resourceScopes, defaultResource: settings.appResource };
  server.on('request', (req, res) => {
    handleLoginPage(provider, req, res, pages)
      .then((handled) => handled || callback(req, res))
      .catch(() => (res.headersSent ? res.destroy() : res.writeHead(500).end()));
  });
  settings.logger.info('demo identity provider listening', { issuer });
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    clientId: settings.clientId,
    appResource: settings.appResource,
    port,
    stats: () => structuredClone(stats),
    close: () => closeServer(server),
  };
}

interface Settings {
  clientId: string;
  appResource: string;
  ttl: number;
  dpop: boolean;
  logger: Logger;
  /** The app resource (no scopes of its own) and each API with its scopes. */
  resourceScopes: Map<string, string[]>;
}

function resolveSettings(options: DemoIdpOptions): Settings {
  const appResource = options.appResource ?? demoAppResource;
  const resourceScopes = new Map<string, string[]>([[appResource, []]]);
  for (const api of options.apis) {
    if (api.resource === appResource) {
      throw new AppError('CONFIG_INVALID', 'demo IdP: an API resource must differ from the app resource');
    }
    resourceScopes.set(api.resource, [...api.scopes]);
  }
  return {
    clientId: options.clientId ?? demoClientId,
    appResource,
    ttl: options.accessTokenTtlSeconds ?? 600,
    dpop: options.dpop === true,
    logger: options.logger ?? silentLogger,
    resourceScopes,
  };
}

async function createProvider(issuer: string, settings: Settings): Promise<{ provider: Provider; stats: DemoIdpStats }> {
  const { privateJwk, publicJwk } = await generateSigningKey();
  const resourceServerInfo = (resource: string): ResourceServerInfo => ({
    scope: (settings.resourceScopes.get(resource) ?? []).join(' '),
    audience: resource,
    accessTokenFormat: 'jwt',
    accessTokenTTL: settings.ttl,
    jwt: { sign: { alg: 'RS256' } },
  });
  const provider = new Provider(issuer, providerConfiguration(settings, privateJwk, resourceServerInfo));
  const apis = new Map([...settings.resourceScopes].filter(([resource]) => resource !== settings.appResource));
  registerTokenExchangeGrant(provider, {
    appResource: settings.appResource,
    publicJwks: { keys: [publicJwk] },
    apis,
    resourceServerInfo,
  });
  return { provider, stats: trackStats(provider, settings.logger) };
}

async function generateSigningKey(): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomBytes(8).toString('hex');
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateJwk, publicJwk };
}

function providerConfiguration(
  settings: Settings,
  privateJwk: JWK,
  resourceServerInfo: (resource: string) => ResourceServerInfo,
): Record<string, unknown> {
  return {
    // Own storage per start: the default adapter is module-global, so a restarted demo IdP would still accept the
    // old refresh tokens (and it prints a development-only warning).
    adapter: createMemoryAdapter(),
    clients: [
      {
        client_id: settings.clientId,
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        redirect_uris: [demoRedirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', tokenExchangeGrantType],
      },
    ],
    jwks: { keys: [privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // OIDC scopes only: API scopes belong to resource servers (getResourceServerInfo), or they would be granted
    // as OIDC scopes and never reach the API's token.
    scopes: ['openid', 'offline_access'],
    claims: { openid: ['sub'] },
    findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    renderError,
    // Every grant that includes offline_access gets a refresh token (the default also needs prompt=consent).
    issueRefreshToken: (_ctx: unknown, client: OidcClient, source: TokenSource) =>
      client.grantTypeAllowed('refresh_token') && source.scopes.has('offline_access'),
    extraTokenClaims: (_ctx: unknown, token: { gty?: string; clientId: string }) =>
      token.gty === 'token_exchange' ? { act: { sub: token.clientId } } : undefined, // RFC 8693 §4.1
    features: {
      devInteractions: { enabled: false },
      // A public client may introspect and revoke only its own tokens.
      introspection: { enabled: true, allowedPolicy: ownTokenOnly },
      revocation: { enabled: true, allowedPolicy: ownTokenOnly },
      // oidc-provider 9 turns DPoP on by default; the demo advertises it only when asked, so its metadata tells the truth.
      dPoP: { enabled: settings.dpop },
      resourceIndicators: {
        enabled: true,
        // Decision: an authorization request without `resource` is for the app's own resource.
        defaultResource: (_ctx: unknown, _client: unknown, oneOf?: string[]) => oneOf ?? settings.appResource,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (!settings.resourceScopes.has(resource)) throw new errors.InvalidTarget();
          return resourceServerInfo(resource);
        },
        useGrantedResource: () => false,
      },
    },
    ttl: {
      AccessToken: (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
        token.resourceServer?.accessTokenTTL ?? settings.ttl,
      AuthorizationCode: 60,
      Grant: 14 * 24 * 3600,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
    },
  };
}

function ownTokenOnly(_ctx: unknown, client: OidcClient, token: { clientId?: string }): boolean {
  return token.clientId === client.clientId;
}

function emptyStats(): DemoIdpStats {
  return { authorizationCode: 0, refreshToken: 0, tokenExchange: 0, byResource: {}, failedGrants: 0, revocations: 0 };
}

function trackStats(provider: Provider, logger: Logger): DemoIdpStats {
  const stats = emptyStats();
  provider.on('grant.success', (ctx: OidcContext) => countGrant(stats, ctx));
  provider.on('grant.error', (_ctx: OidcContext, error: Error & { error?: string }) => {
    stats.failedGrants += 1;
    logger.debug('demo IdP: token request refused', { error: error.error ?? error.name });
  });
  provider.on('server_error', (_ctx: OidcContext, error: Error) => logger.error('demo IdP: server error', { error }));
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.oidc?.route === 'revocation' && ctx.status === 200) stats.revocations += 1;
    recordIssued(ctx.body, ctx.response.get('location'));
  });
  return stats;
}

/** Every token and code this IdP hands out, for the test run's secret scan (a no-op unless one runs). */
function recordIssued(body: unknown, location: string): void {
  if (body && typeof body === 'object') {
    const tokens = body as Record<string, unknown>;
    for (const name of ['access_token', 'refresh_token', 'id_token']) recordIssuedToken(tokens[name]);
  }
  if (location) recordIssuedToken(URL.canParse(location) ? new URL(location).searchParams.get('code') : undefined);
}

function countGrant(stats: DemoIdpStats, ctx: OidcContext): void {
  const type = ctx.oidc.params.grant_type;
  if (type === 'authorization_code') {
    stats.authorizationCode += 1;
    return;
  }
  const resource = String(ctx.oidc.params.resource ?? ctx.oidc.params.audience ?? '');
  const perResource = (stats.byResource[resource] ??= { refreshToken: 0, tokenExchange: 0 });
  if (type === 'refresh_token') {
    stats.refreshToken += 1;
    perResource.refreshToken += 1;
  } else if (type === tokenExchangeGrantType) {
    stats.tokenExchange += 1;
    perResource.tokenExchange += 1;
  }
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
