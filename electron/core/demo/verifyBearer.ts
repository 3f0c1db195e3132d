import { createRemoteJWKSet, customFetch, errors, jwtVerify } from 'jose';
import type { FetchImplementation, JWTPayload } from 'jose';

export interface VerifyBearerOptions {
  issuer: string;
  jwksUri: string;
  /** This API's resource indicator: a token is accepted only if its `aud` names it. */
  audience: string;
  fetch?: typeof fetch;
  /** Seconds of clock skew tolerated on `exp`/`nbf`. Default 0. */
  clockToleranceSeconds?: number;
}

export type BearerResult =
  | { ok: true; claims: JWTPayload }
  | { ok: false; status: 401; wwwAuthenticate: string };

const bearerPattern = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Builds the check a resource server (the demo GraphQL APIs, test upstreams) runs on each request: the
 * `Authorization: Bearer` JWT must be signed by the issuer's JWKS (fetched and cached, refetched on an unknown
 * `kid`), typed `at+jwt`, unexpired, and carry this API's `aud`. Failures answer 401 with a `WWW-Authenticate`
 * header whose description never repeats the token.
 * @see https://www.rfc-editor.org/rfc/rfc9068#section-4
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function verifyBearer(options: VerifyBearerOptions): (authorizationHeader: string | undefined) => Promise<BearerResult> {
  const jwksOptions = options.fetch ? { [customFetch]: options.fetch as FetchImplementation } : {};
  const keys = createRemoteJWKSet(new URL(options.jwksUri), jwksOptions);
  return async (authorizationHeader) => {
    const token = bearerPattern.exec(authorizationHeader ?? '')?.[1];
    if (token === undefined) return refuse(authorizationHeader ? 'malformed Authorization header' : 'missing bearer token');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        typ: 'at+jwt',
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'sub'],
        clockTolerance: options.clockToleranceSeconds ?? 0,
      });
      return { ok: true, claims: payload };
    } catch (error) {
      return refuse(describeFailure(error));
    }
  };
}

/** A fixed description per failure: jose's own messages are safe, but fixed text keeps the header predictable. */
function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return 'the token was not issued for this API';
    if (error.claim === 'iss') return 'the token was not issued by the expected issuer';
    return `the token's ${error.claim} claim is not acceptable`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was signed by an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token algorithm is not allowed';
  if (error instanceof errors.JWKSTimeout || error instanceof TypeError) return 'the issuer keys could not be fetched';
  return 'the token is malformed';
}

function refuse(description: string): BearerResult {
  return { ok: false, status: 401, wwwAuthenticate: `Bearer error="invalid_token", error_description="${description}"` };
}
