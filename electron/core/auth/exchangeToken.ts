import * as client from 'openid-client';
import { toAccessToken, toTokenEndpointError, type AccessToken } from './refreshTokens.ts';

export const tokenExchangeGrantType = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const accessTokenType = 'urn:ietf:params:oauth:token-type:access_token';

export interface TokenExchangeRequest {
  /** The signed-in user's access token for the app's own resource. */
  subjectToken: string;
  /** The API's resource URI: sent as both `resource` and `audience`. */
  audience: string;
  scopes?: string[];
}

/** The RFC 8693 request parameters. Pure. */
export function buildTokenExchangeParameters(request: TokenExchangeRequest): Record<string, string> {
  return {
    subject_token: request.subjectToken,
    subject_token_type: accessTokenType,
    requested_token_type: accessTokenType,
    resource: request.audience,
    audience: request.audience,
    ...(request.scopes?.length ? { scope: request.scopes.join(' ') } : {}),
  };
}

/**
 * RFC 8693 token exchange at the token endpoint: the user's app token in, a token for one API's audience out
 * (the subject, and so `sub`, is preserved; no impersonation of the app). A DPoP-bound subject token goes with a
 * proof from the grant's key; the API's token comes back a plain bearer token for its audience.
 * @see https://www.rfc-editor.org/rfc/rfc8693#section-2.1, https://www.rfc-editor.org/rfc/rfc9449#section-5
 */
export async function exchangeToken(
  configuration: client.Configuration,
  request: TokenExchangeRequest,
  options: { now: number; dpop?: client.DPoPHandle },
): Promise<AccessToken> {
  try {
    const parameters = buildTokenExchangeParameters(request);
    const response = await client.genericGrantRequest(configuration, tokenExchangeGrantType, parameters, options.dpop ? { DPoP: options.dpop } : undefined);
    return toAccessToken(response, options.now);
  } catch (error) {
    throw toTokenEndpointError(error, 'AUTH_EXCHANGE_FAILED');
  }
}
