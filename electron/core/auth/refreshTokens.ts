import * as client from 'openid-client';
import { AppError } from '../errors.ts';
import { decodeJwtClaims } from './jwtClaims.ts';
import { safeErrorCode } from './startSignIn.ts';
import { secretValues } from '../secrets/scrubSecrets.ts';

/** An access token and when it stops being usable (ms since epoch); in memory only. */
export interface AccessToken {
  token: string;
  expiresAt: number;
  issuedAt: number;
}

export interface RefreshedTokens extends AccessToken {
  /** The rotated refresh token, when the IdP rotates (oidc-provider does for public clients). */
  refreshToken?: string;
  sub?: string;
}

/** Clock-skew margin: a quarter of the token's life, at most 30 s, so short-lived tokens stay usable. */
function marginMs(token: AccessToken): number {
  return Math.min(30_000, Math.max(0, token.expiresAt - token.issuedAt) / 4);
}

/** True while the token is not within its clock-skew margin of expiry (security case C12). */
export function isUsable(token: AccessToken, now: number): boolean {
  return now < token.expiresAt - marginMs(token);
}

/** Without `exp` or `expires_in` we assume a short life rather than a long one. */
const defaultLifetimeSeconds = 60;

/** Expiry from `expires_in` and the JWT `exp`, whichever is earlier. Pure. */
export function toAccessToken(response: { access_token: string; expires_in?: number }, now: number): AccessToken {
  secretValues.add(response.access_token); // every access token the app holds passes here (issue 7: scrub it everywhere)
  const claims = decodeJwtClaims(response.access_token);
  const candidates = [now + (response.expires_in ?? defaultLifetimeSeconds) * 1000];
  if (typeof claims?.exp === 'number') candidates.push(claims.exp * 1000);
  return { token: response.access_token, expiresAt: Math.min(...candidates), issuedAt: now };
}

/**
 * The refresh-token grant, with `resource` naming the one resource the new access token is for, and a DPoP proof
 * when the grant is bound to a key (a DPoP-bound refresh token is refused without one).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6, https://www.rfc-editor.org/rfc/rfc8707#section-2.2, https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export async function refreshTokens(
  configuration: client.Configuration,
  refreshToken: string,
  options: { resource?: string; now: number; dpop?: client.DPoPHandle },
): Promise<RefreshedTokens> {
  try {
    const response = await client.refreshTokenGrant(
      configuration,
      refreshToken,
      options.resource ? { resource: options.resource } : undefined,
      options.dpop ? { DPoP: options.dpop } : undefined,
    );
    secretValues.add(response.refresh_token);
    secretValues.add(response.id_token);
    return {
      ...toAccessToken(response, options.now),
      refreshToken: response.refresh_token,
      sub: response.claims()?.sub ?? decodeJwtClaims(response.access_token)?.sub,
    };
  } catch (error) {
    throw toTokenEndpointError(error, 'AUTH_REFRESH_FAILED');
  }
}

/**
 * Maps a token-endpoint failure to a safe AppError: `invalid_grant` means the grant is gone (sign-in required),
 * a transport failure means the IdP is unreachable; details carry only the OAuth error code and status (I3).
 */
export function toTokenEndpointError(error: unknown, fallback: 'AUTH_REFRESH_FAILED' | 'AUTH_EXCHANGE_FAILED'): AppError {
  if (AppError.is(error)) return error;
  if (error instanceof client.ResponseBodyError) {
    const oauthError = safeErrorCode(error.error);
    const details = { error: oauthError, status: error.status };
    if (oauthError === 'invalid_grant' && fallback === 'AUTH_REFRESH_FAILED') {
      return new AppError('AUTH_SIGN_IN_REQUIRED', 'Sign-in required: the sign-in expired or was revoked', { cause: error, details });
    }
    return new AppError(fallback, `${fallbackMessage[fallback]}: the identity provider answered ${oauthError ?? 'an error'}`, {
      cause: error,
      details,
    });
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    return new AppError(fallback, `${fallbackMessage[fallback]}: the identity provider's answer was not acceptable (${code})`, {
      cause: error,
      details: { code },
    });
  }
  return new AppError('AUTH_IDP_UNREACHABLE', undefined, { cause: error });
}

const fallbackMessage = {
  AUTH_REFRESH_FAILED: 'Refreshing the sign-in failed',
  AUTH_EXCHANGE_FAILED: 'Token exchange for the API failed',
};
