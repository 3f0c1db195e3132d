import * as client from 'openid-client';
import type { SignInConfig } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import { checkExternalUrl, isLoopbackHttp } from './checkExternalUrl.ts';
import { dpopAlgorithm } from './dpopKey.ts';

export interface DiscoverIssuerOptions {
  fetch?: typeof fetch;
  /** Per-request timeout in seconds for every request made with the returned configuration. */
  timeoutSeconds?: number;
}

function refuse(message: string, cause?: unknown): AppError {
  return new AppError('AUTH_ISSUER_INVALID', `The identity provider is not acceptable: ${message}`, { cause });
}

/**
 * Checks the configured issuer URL before any request: https, or http to 127.0.0.1 only when
 * `allowInsecureLoopback` is set (demo and tests). Returns whether insecure requests must be allowed.
 * @see security case D10
 */
export function checkIssuerUrl(signIn: SignInConfig): { insecure: boolean } {
  let url: URL;
  try {
    url = new URL(signIn.issuer);
  } catch {
    throw refuse(`issuer ${JSON.stringify(signIn.issuer)} is not a URL`);
  }
  if (url.protocol === 'https:') return { insecure: false };
  if (signIn.allowInsecureLoopback && isLoopbackHttp(url)) return { insecure: true };
  throw refuse(`issuer ${url.origin} must use https (http only to 127.0.0.1 with allowInsecureLoopback)`);
}

/**
 * Checks discovered metadata: `issuer` equal to the configured one, S256 PKCE advertised, an authorization
 * endpoint that may be opened in the browser, and with `signIn.dpop` DPoP with ES256.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.3, https://www.rfc-editor.org/rfc/rfc7636#section-4.2, https://www.rfc-editor.org/rfc/rfc9449#section-5.1
 */
function checkIssuerMetadata(signIn: SignInConfig, metadata: client.ServerMetadata): void {
  if (metadata.issuer !== signIn.issuer) {
    throw refuse(`discovered issuer ${metadata.issuer} differs from the configured ${signIn.issuer}`);
  }
  if (!metadata.code_challenge_methods_supported?.includes('S256')) {
    throw refuse('it does not advertise PKCE S256 in code_challenge_methods_supported');
  }
  if (!metadata.authorization_endpoint || !metadata.token_endpoint) {
    throw refuse('its metadata lacks an authorization or token endpoint');
  }
  // Without it the IdP would issue plain bearer tokens and the refresh token would not be bound (C13).
  if (signIn.dpop && !metadata.dpop_signing_alg_values_supported?.includes(dpopAlgorithm)) {
    throw refuse(`signIn.dpop is on but it does not advertise DPoP with ${dpopAlgorithm} in dpop_signing_alg_values_supported`);
  }
  try {
    checkExternalUrl(metadata.authorization_endpoint, { allowInsecureLoopback: signIn.allowInsecureLoopback });
  } catch (error) {
    throw refuse(`its authorization endpoint is not acceptable (${(error as Error).message})`);
  }
}

/**
 * OpenID Connect discovery from the configured issuer URL (so openid-client compares the document's `issuer`),
 * then our own checks. The returned configuration is a public client (PKCE, no secret).
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 */
export async function discoverIssuer(signIn: SignInConfig, options: DiscoverIssuerOptions = {}): Promise<client.Configuration> {
  const { insecure } = checkIssuerUrl(signIn);
  let configuration: client.Configuration;
  try {
    configuration = await client.discovery(new URL(signIn.issuer), signIn.clientId, undefined, client.None(), {
      execute: insecure ? [client.allowInsecureRequests] : [],
      timeout: options.timeoutSeconds ?? 30,
      ...(options.fetch ? { [client.customFetch]: options.fetch } : {}),
    });
  } catch (error) {
    throw toDiscoveryError(error);
  }
  checkIssuerMetadata(signIn, configuration.serverMetadata());
  return configuration;
}

function toDiscoveryError(error: unknown): AppError {
  const code = (error as { code?: unknown }).code;
  if (code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' || code === 'OAUTH_INVALID_RESPONSE') {
    return refuse('its discovery document does not match the configured issuer', error);
  }
  const reason = error instanceof Error ? error.message : 'unknown error';
  return new AppError('AUTH_IDP_UNREACHABLE', `The identity provider could not be reached: ${reason}`, {
    cause: error,
    details: { unreachable: true },
  });
}
