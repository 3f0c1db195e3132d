import { createHash, timingSafeEqual } from 'node:crypto';

/** What a request to the bridge presents; header values as `node:http` gives them. */
export interface UiRequestHeaders {
  host?: string;
  origin?: string;
  authorization?: string;
}

export type UiRequestVerdict = { ok: true; origin: string } | { ok: false; status: 401 | 403; reason: string };

/**
 * The bridge's own origin for a loopback `Host` on our port, else undefined: any other Host means a DNS-rebinding
 * page is talking to us through a name that resolves to 127.0.0.1.
 */
export function ownOriginFor(host: string | undefined, port: number): string | undefined {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  const normalized = host?.toLowerCase();
  return normalized && allowed.includes(normalized) ? `http://${normalized}` : undefined;
}

/** SHA-256 of the launch token: comparing digests keeps `timingSafeEqual` free of length leaks and throws. */
export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** True when `Authorization: Bearer <token>` carries the launch token. */
export function hasLaunchToken(authorization: string | undefined, tokenDigest: Buffer): boolean {
  const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(authorization ?? '');
  return match !== null && timingSafeEqual(digestToken(match[1] ?? ''), tokenDigest);
}

/**
 * Host first (403), then Origin (403: a page from another origin, including another port on 127.0.0.1), then the
 * launch token (401). A missing Origin is allowed: browsers omit it on same-origin GETs and the token still applies.
 */
export function checkApiRequest(headers: UiRequestHeaders, port: number, tokenDigest: Buffer): UiRequestVerdict {
  const origin = ownOriginFor(headers.host, port);
  if (!origin) return { ok: false, status: 403, reason: 'Host is not this app on 127.0.0.1' };
  if (headers.origin !== undefined && headers.origin !== origin) {
    return { ok: false, status: 403, reason: 'Origin is not this app' };
  }
  if (!hasLaunchToken(headers.authorization, tokenDigest)) {
    return { ok: false, status: 401, reason: 'The launch token is missing or wrong' };
  }
  return { ok: true, origin };
}
