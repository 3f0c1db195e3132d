import type { ApiConfig } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { analyzeAudience, type AudienceWarning } from './analyzeAudience.ts';
import type { ApiAuthorizer } from './ApiAuthorizer.ts';
import type { GrantSession } from './createGrantSession.ts';
import { exchangeToken } from './exchangeToken.ts';
import { isUsable, type AccessToken } from './refreshTokens.ts';
import { createSingleFlight } from './createSingleFlight.ts';

export interface TokenBrokerOptions {
  /** The current grant session; rejects with AUTH_SIGN_IN_REQUIRED (or why not) when there is none. */
  session(): Promise<GrantSession>;
  now(): number;
  logger: Logger;
  /** Receives the analysis of every token minted for an API (and of every refusal). */
  onAnalyzed?(api: string, warnings: AudienceWarning[]): void;
}

export interface TokenBroker extends ApiAuthorizer {
  /** Forgets every cached token (sign-out, new sign-in, config change). */
  clear(): void;
}

interface CachedToken extends AccessToken {
  api: string;
}

// Config that changes what a token is for (C11): a new endpoint, audience or strategy never reuses an old token.
function cacheKey(api: ApiConfig): string {
  return JSON.stringify([api.name, api.endpoint, api.token.strategy, api.token.audience, api.token.scopes ?? []]);
}

/**
 * The per-API token broker: mints a token for each API's audience (RFC 8693 exchange or RFC 8707 resource
 * refresh), checks its `aud` before it is sent, caches it until shortly before `exp`, and shares one mint among
 * concurrent callers. It never falls back to another token or strategy (C6).
 * @see https://www.rfc-editor.org/rfc/rfc8693, https://www.rfc-editor.org/rfc/rfc8707, security cases C1–C12
 */
export function createTokenBroker(options: TokenBrokerOptions): TokenBroker {
  const cache = new Map<string, CachedToken>();
  const flights = createSingleFlight<CachedToken>();
  // Which API each live token went to: two APIs never receive the same token string (C2).
  const issuedTo = new Map<string, { api: string; expiresAt: number }>();
  // Bumped by clear(): a mint that was running at sign-out must not refill the cache afterwards.
  let generation = 0;

  const mint = async (api: ApiConfig, audience: string, forceRefresh: boolean): Promise<CachedToken> => {
    const session = await options.session();
    checkGrantedResource(api, audience, session);
    const token = await mintFor(api, audience, session, { now: options.now(), forceRefresh });
    const appToken = api.token.strategy === 'passthrough' ? undefined : session.cachedAppToken();
    await checkAudience(api, token.token, session, options);
    if (appToken === token.token) throw refuseShared(api, 'the sign-in token itself');
    claim(api, token);
    options.logger.debug('token ready for API', { api: api.name, strategy: api.token.strategy, audience, expiresAt: token.expiresAt });
    return { ...token, api: api.name };
  };
  const claim = (api: ApiConfig, token: AccessToken): void => {
    const now = options.now();
    for (const [value, owner] of issuedTo) if (owner.expiresAt <= now) issuedTo.delete(value);
    const owner = issuedTo.get(token.token);
    if (owner && owner.api !== api.name) throw refuseShared(api, `the token already sent to API ${owner.api}`);
    issuedTo.set(token.token, { api: api.name, expiresAt: token.expiresAt });
  };

  return {
    async tokenFor(api, callOptions = {}) {
      if (api.token.strategy === 'none') return undefined;
      const audience = api.token.audience;
      if (!audience) throw new AppError('AUDIENCE_MISMATCH', `API ${api.name} has no token.audience configured; the call is refused`);
      const key = cacheKey(api);
      const cached = cache.get(key);
      if (cached && !callOptions.forceRefresh && isUsable(cached, options.now())) return cached.token;
      if (!callOptions.forceRefresh || !flights.running(key)) cache.delete(key);
      const token = await flights.run(key, async () => {
        const started = generation;
        const fresh = await mint(api, audience, callOptions.forceRefresh === true).catch((error) => {
          throw explainMintFailure(api, error);
        });
        if (started !== generation) throw new AppError('AUTH_SIGN_IN_REQUIRED', 'Sign-in required: signed out while the token was being minted');
        cache.set(key, fresh);
        return fresh;
      });
      return token.token;
    },
    clear() {
      generation += 1;
      cache.clear();
      issuedTo.clear();
    },
  };
}

async function mintFor(
  api: ApiConfig,
  audience: string,
  session: GrantSession,
  { now, forceRefresh }: { now: number; forceRefresh: boolean },
): Promise<AccessToken> {
  switch (api.token.strategy) {
    case 'exchange': {
      const subject = await session.appToken();
      return exchangeToken(session.configuration, { subjectToken: subject.token, audience, scopes: api.token.scopes }, { now, dpop: session.dpop });
    }
    case 'resource':
      return session.refresh(audience);
    case 'passthrough':
      return session.appToken({ forceRefresh });
    default:
      throw new AppError('AUDIENCE_MISMATCH', `API ${api.name} has an unknown token strategy; the call is refused`);
  }
}

/** A `resource` API must have been granted at sign-in; asking the IdP anyway would burn the refresh token (C7). */
function checkGrantedResource(api: ApiConfig, audience: string, session: GrantSession): void {
  if (api.token.strategy !== 'resource' || session.grant.resources.includes(audience)) return;
  throw new AppError('AUTH_SIGN_IN_REQUIRED', `Sign-in required: API ${api.name} (${audience}) was not granted at sign-in; sign in again to grant it`, {
    details: { api: api.name, audience },
  });
}

async function checkAudience(api: ApiConfig, token: string, session: GrantSession, options: TokenBrokerOptions): Promise<void> {
  const isJwt = token.split('.').length === 3;
  const introspectedAudience = isJwt ? undefined : await session.introspectAudience(token);
  const metadata = session.configuration.serverMetadata();
  const warnings = analyzeAudience({ api, metadata, token, introspectedAudience, now: options.now() });
  options.onAnalyzed?.(api.name, warnings);
  const refusal = warnings.find((warning) => warning.severity === 'error');
  if (!refusal) return;
  options.logger.warn('refused to send a token to an API', { api: api.name, code: refusal.code, expected: refusal.expected, actual: refusal.actual });
  throw new AppError('AUDIENCE_MISMATCH', refusal.message, {
    details: { api: api.name, warning: refusal.code, expected: refusal.expected, actual: refusal.actual },
  });
}

// F3: with the IdP down the cached token served until expiry; after that the user has to sign in again.
function explainMintFailure(api: ApiConfig, error: unknown): unknown {
  if (!AppError.is(error, 'AUTH_IDP_UNREACHABLE')) return error;
  return new AppError('AUTH_IDP_UNREACHABLE', `Sign-in required: the identity provider could not be reached to renew the token for API ${api.name}`, {
    cause: error,
  });
}

function refuseShared(api: ApiConfig, what: string): AppError {
  return new AppError('AUDIENCE_MISMATCH', `The token minted for API ${api.name} is ${what}; the call is refused`, {
    details: { api: api.name },
  });
}
