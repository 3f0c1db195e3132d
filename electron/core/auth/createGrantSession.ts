import * as client from 'openid-client';
import type { SignInConfig } from '../config/AppConfig.ts';
import { AppError, invariant } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import type { SecretStore } from '../secrets/SecretStore.ts';
import { saveRotatedGrant, type StoredGrant } from './grantStore.ts';
import { audiencesOf } from './jwtClaims.ts';
import { isUsable, refreshTokens, type AccessToken, type RefreshedTokens } from './refreshTokens.ts';
import { revokeRefreshToken } from './revokeRefreshToken.ts';
import { createSingleFlight } from './createSingleFlight.ts';

export interface GrantSessionOptions {
  configuration: client.Configuration;
  signIn: SignInConfig;
  grant: StoredGrant;
  secrets: SecretStore;
  now(): number;
  logger: Logger;
  /** The app token from the sign-in itself, so the first call needs no refresh. */
  appToken?: AccessToken;
  /** The grant's DPoP key (RFC 9449), when `grant.dpop`: every refresh and exchange carries a proof signed with it. */
  dpopKey?: client.CryptoKeyPair;
  /** Called when the IdP says the grant is gone (`invalid_grant`): the caller signs out. */
  onGrantLost(error: AppError): void;
}

/** One signed-in grant: the refresh token (rotated on every use) and the app's own access token, in memory. */
export interface GrantSession {
  readonly configuration: client.Configuration;
  readonly grant: StoredGrant;
  /** Signs DPoP proofs for the token endpoint when the grant is DPoP-bound (pass it to every token request). */
  readonly dpop?: client.DPoPHandle;
  /** The app's own access token (resource = signIn.resource), refreshed when it is about to expire. */
  appToken(options?: { forceRefresh?: boolean }): Promise<AccessToken>;
  /** The app token held in memory right now, without any request. */
  cachedAppToken(): string | undefined;
  /** A refresh-token grant for one resource; all refreshes of the grant run one at a time (rotation). */
  refresh(resource?: string): Promise<RefreshedTokens>;
  /** RFC 7662 introspection of an opaque token; undefined when the IdP offers none or does not say. */
  introspectAudience(token: string): Promise<string[] | undefined>;
  /** RFC 7009 revocation of the refresh token, when the IdP has a revocation endpoint; never throws. */
  revoke(): Promise<void>;
}

/**
 * Holds a grant. Refreshes are serialized across resources and shared per resource: with rotation, two refreshes
 * with the same refresh token make oidc-provider revoke the whole grant (security case C8).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6, https://www.rfc-editor.org/rfc/rfc9700#section-4.14
 */
export function createGrantSession(options: GrantSessionOptions): GrantSession {
  const { configuration, logger } = options;
  invariant(!options.grant.dpop === !options.dpopKey, 'a DPoP grant needs its key');
  const dpop = options.dpopKey && client.getDPoPHandle(configuration, options.dpopKey);
  let grant = options.grant;
  let appToken = options.appToken;
  let queue: Promise<unknown> = Promise.resolve();
  const refreshFlights = createSingleFlight<RefreshedTokens>();
  const appFlight = createSingleFlight<AccessToken>();

  const refreshSerially = (resource: string | undefined): Promise<RefreshedTokens> => {
    const run = queue.then(() => refreshOnce(resource));
    queue = run.catch(() => {});
    return run;
  };
  const refreshOnce = async (resource: string | undefined): Promise<RefreshedTokens> => {
    logger.debug('refreshing tokens', { resource: resource ?? '(default)' });
    let tokens: RefreshedTokens;
    try {
      tokens = await refreshTokens(configuration, grant.refreshToken, { resource, now: options.now(), dpop });
    } catch (error) {
      if (AppError.is(error, 'AUTH_SIGN_IN_REQUIRED')) options.onGrantLost(error);
      throw error;
    }
    if (tokens.refreshToken && tokens.refreshToken !== grant.refreshToken) await rotate(tokens.refreshToken);
    return tokens;
  };
  const rotate = (refreshToken: string): Promise<void> => {
    const replaced = grant.refreshToken;
    grant = { ...grant, refreshToken, savedAt: options.now() };
    return keepRotatedGrant(options, grant, replaced);
  };

  return {
    configuration,
    dpop,
    get grant() {
      return grant;
    },
    refresh: (resource) => refreshFlights.run(resource ?? '', () => refreshSerially(resource)),
    appToken: async (callOptions = {}) => {
      if (appToken && !callOptions.forceRefresh && isUsable(appToken, options.now())) return appToken;
      return appFlight.run('app', async () => {
        appToken = await refreshSerially(options.signIn.resource);
        return appToken;
      });
    },
    cachedAppToken: () => appToken?.token,
    introspectAudience: (token) => introspectAudience(configuration, token),
    revoke: () => revokeRefreshToken(configuration, grant.refreshToken, logger),
  };
}

/** Writes a rotated refresh token to the keychain; when that fails the session still holds it for this run. */
async function keepRotatedGrant({ secrets, logger }: GrantSessionOptions, grant: StoredGrant, replaced: string): Promise<void> {
  try {
    if (!(await saveRotatedGrant(secrets, grant, replaced))) {
      logger.warn('the stored sign-in changed meanwhile; the rotated refresh token is kept in memory only');
    }
  } catch (error) {
    // The rotated token stays usable in memory for this run; the keychain copy is now spent.
    logger.warn('could not store the rotated refresh token; sign-in will be needed after restart', {
      code: AppError.is(error) ? error.code : 'SECRETS_UNAVAILABLE',
    });
  }
}

async function introspectAudience(configuration: client.Configuration, token: string): Promise<string[] | undefined> {
  if (!configuration.serverMetadata().introspection_endpoint) return undefined;
  try {
    const result = await client.tokenIntrospection(configuration, token);
    return result.active ? audiencesOf({ aud: result.aud }) : [];
  } catch {
    return undefined;
  }
}
