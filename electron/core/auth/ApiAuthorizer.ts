import type { ApiConfig } from '../config/AppConfig.ts';

/**
 * Supplies the bearer token for one upstream API. Implementations mint a token for that API's audience
 * (RFC 8693 exchange, RFC 8707 resource token) or refuse; they never fall back to another token.
 */
export interface ApiAuthorizer {
  /**
   * Resolves the access token to send to `api` (undefined: send no Authorization header, strategy `none`).
   * Rejects with an AppError (AUTH_SIGN_IN_REQUIRED, AUTH_EXCHANGE_FAILED, AUDIENCE_MISMATCH, …) to refuse the call.
   * `forceRefresh` is set once after the API answered 401, to mint a fresh token.
   */
  tokenFor(api: ApiConfig, options?: { forceRefresh?: boolean }): Promise<string | undefined>;
}

/** For APIs and tests without sign-in: never sends an Authorization header. */
export const noAuthorization: ApiAuthorizer = { tokenFor: async () => undefined };
