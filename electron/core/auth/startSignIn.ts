import * as client from 'openid-client';
import type { SignInConfig } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { checkExternalUrl } from './checkExternalUrl.ts';
import { listenForCallback } from './listenForCallback.ts';
import { revokeRefreshToken } from './revokeRefreshToken.ts';
import type { SignInRequest } from './signInScope.ts';
import { secretValues } from '../secrets/scrubSecrets.ts';

/** The tokens a finished sign-in yields; held in memory only (the refresh token goes to the keychain). */
export interface SignInResult {
  accessToken: string;
  refreshToken: string;
  expiresIn?: number;
  scope: string;
  sub: string;
}

export interface StartSignInOptions {
  openExternal(url: string): Promise<void>;
  /** With signIn.dpop: the key the code is bound to (`dpop_jkt`) and redeemed with, binding the refresh token. */
  dpopKey?: client.CryptoKeyPair;
  timeoutMs?: number;
  logger: Logger;
}

export interface StartedSignIn {
  authorizationUrl: string;
  /** Resolves with the tokens, or rejects with AUTH_SIGN_IN_CANCELLED / AUTH_SIGN_IN_FAILED. */
  result: Promise<SignInResult>;
  cancel(): void;
}

/** The authorization request parameters: code flow, PKCE S256, state, nonce, consent (for a refresh token). Pure. */
export function buildAuthorizationParameters(
  request: SignInRequest,
  checks: { redirectUri: string; codeChallenge: string; state: string; nonce: string; dpopJkt?: string },
): URLSearchParams {
  const params = new URLSearchParams({
    redirect_uri: checks.redirectUri,
    response_type: 'code',
    scope: request.scope,
    code_challenge: checks.codeChallenge,
    code_challenge_method: 'S256',
    state: checks.state,
    nonce: checks.nonce,
    prompt: 'consent',
  });
  for (const resource of request.resources) params.append('resource', resource);
  if (checks.dpopJkt) params.set('dpop_jkt', checks.dpopJkt); // RFC 9449 §10: only this key can redeem the code
  return params;
}

/**
 * Starts an authorization code + PKCE sign-in in the system browser with a loopback redirect; the code is redeemed
 * (with `resource` = the app's own resource, and a DPoP proof when `options.dpopKey` is given) once the browser comes back.
 * @see https://www.rfc-editor.org/rfc/rfc8252, https://www.rfc-editor.org/rfc/rfc7636, https://www.rfc-editor.org/rfc/rfc9207, https://www.rfc-editor.org/rfc/rfc9449#section-10
 */
export async function startSignIn(
  configuration: client.Configuration,
  signIn: SignInConfig,
  request: SignInRequest,
  options: StartSignInOptions,
): Promise<StartedSignIn> {
  const verifier = client.randomPKCECodeVerifier();
  secretValues.add(verifier);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const dpop = options.dpopKey && client.getDPoPHandle(configuration, options.dpopKey);
  let resolveResult!: (result: SignInResult) => void;
  let rejectResult!: (error: unknown) => void;
  const result = new Promise<SignInResult>((resolve, reject) => ((resolveResult = resolve), (rejectResult = reject)));
  result.catch(() => {});
  let cancelled = false;
  const listener = await listenForCallback({
    expectedState: state,
    timeoutMs: options.timeoutMs,
    onCallback: async (callbackUrl) => {
      try {
        const tokens = await redeemCode(configuration, signIn, callbackUrl, { verifier, state, nonce, dpop });
        if (cancelled) {
          // Cancelled while the code was being redeemed: leave nothing valid at the IdP.
          await revokeRefreshToken(configuration, tokens.refreshToken, options.logger);
          return 'failed';
        }
        resolveResult(tokens);
        return 'signed-in';
      } catch (error) {
        rejectResult(error);
        return 'failed';
      }
    },
  });
  listener.done.catch(rejectResult);
  const codeChallenge = await client.calculatePKCECodeChallenge(verifier);
  const dpopJkt = await dpop?.calculateThumbprint();
  const params = buildAuthorizationParameters(request, { redirectUri: listener.redirectUri, codeChallenge, state, nonce, dpopJkt });
  const authorizationUrl = client.buildAuthorizationUrl(configuration, params).href;
  try {
    checkExternalUrl(authorizationUrl, {
      allowInsecureLoopback: signIn.allowInsecureLoopback,
      authorizationEndpoint: configuration.serverMetadata().authorization_endpoint,
    });
    await options.openExternal(authorizationUrl);
  } catch (error) {
    listener.close();
    throw AppError.is(error) ? error : new AppError('AUTH_SIGN_IN_FAILED', 'The browser could not be opened', { cause: error });
  }
  const cancel = (): void => {
    cancelled = true;
    listener.close();
  };
  return { authorizationUrl, result, cancel };
}

async function redeemCode(
  configuration: client.Configuration,
  signIn: SignInConfig,
  callbackUrl: URL,
  checks: { verifier: string; state: string; nonce: string; dpop?: client.DPoPHandle },
): Promise<SignInResult> {
  try {
    const tokens = await client.authorizationCodeGrant(
      configuration,
      callbackUrl,
      { pkceCodeVerifier: checks.verifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true },
      signIn.resource ? { resource: signIn.resource } : undefined,
      checks.dpop ? { DPoP: checks.dpop } : undefined,
    );
    return interpretSignInTokens(tokens);
  } catch (error) {
    throw toSignInError(error);
  }
}

/** Checks the token response has what a session needs. Pure. */
function interpretSignInTokens(tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers): SignInResult {
  for (const value of [tokens.access_token, tokens.refresh_token, tokens.id_token]) secretValues.add(value);
  const sub = tokens.claims()?.sub;
  if (!tokens.refresh_token) {
    throw new AppError('AUTH_SIGN_IN_FAILED', 'The identity provider issued no refresh token (offline_access not granted)');
  }
  if (!sub) throw new AppError('AUTH_SIGN_IN_FAILED', 'The identity provider issued no ID token');
  return {
    accessToken: tokens.access_token,
    refreshToken: tokens.refresh_token,
    expiresIn: tokens.expires_in,
    scope: tokens.scope ?? '',
    sub,
  };
}

/** Maps openid-client failures to safe errors: an `error=` callback's own text is never shown (D4, D6). */
function toSignInError(error: unknown): AppError {
  if (AppError.is(error)) return error;
  if (error instanceof client.AuthorizationResponseError) {
    const cancelled = error.error === 'access_denied';
    return new AppError(cancelled ? 'AUTH_SIGN_IN_CANCELLED' : 'AUTH_SIGN_IN_FAILED', undefined, {
      cause: error,
      details: { error: safeErrorCode(error.error) },
    });
  }
  const code = (error as { code?: unknown }).code;
  const oauthError = error instanceof client.ResponseBodyError ? safeErrorCode(error.error) : undefined;
  return new AppError('AUTH_SIGN_IN_FAILED', undefined, {
    cause: error,
    details: { ...(typeof code === 'string' ? { code } : {}), ...(oauthError ? { error: oauthError } : {}) },
  });
}

/** OAuth error codes are a fixed ASCII vocabulary; anything else is dropped rather than shown. */
export function safeErrorCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[a-z_]{1,64}$/.test(value) ? value : undefined;
}
