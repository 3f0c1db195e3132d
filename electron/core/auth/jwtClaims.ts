/** The JWT claims the broker and the audience analysis read. The signature is the API's business, not ours. */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  client_id?: string;
  scope?: string;
  [claim: string]: unknown;
}

/**
 * Reads the payload of a compact JWS without verifying it; undefined for an opaque (non-JWT) token.
 * Used only to check what a token we are about to send says about itself (`aud`, `exp`), never to trust it.
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-7.2
 */
export function decodeJwtClaims(token: string): JwtClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as JwtClaims) : undefined;
  } catch {
    return undefined;
  }
}

/** The `aud` claim as a list (RFC 7519 allows a string or an array). */
export function audiencesOf(claims: JwtClaims): string[] {
  if (typeof claims.aud === 'string') return [claims.aud];
  if (Array.isArray(claims.aud)) return claims.aud.filter((value): value is string => typeof value === 'string');
  return [];
}
