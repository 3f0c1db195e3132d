/** RFC 6750 §2.1: `Bearer` (any case), one space, a b64token. */
const bearerPattern = /^bearer ([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * The token of an `Authorization: Bearer` header, or why there is none: `missing` (no header) or `malformed` (another
 * scheme, an empty or oddly spaced value, or the header sent twice).
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function parseBearer(authorization: string | string[] | undefined): { token: string } | { error: 'missing' | 'malformed' } {
  if (authorization === undefined) return { error: 'missing' };
  const values = Array.isArray(authorization) ? authorization : [authorization];
  if (values.length === 0) return { error: 'missing' };
  if (values.length > 1) return { error: 'malformed' };
  const match = bearerPattern.exec(values[0]!);
  return match ? { token: match[1]! } : { error: 'malformed' };
}
