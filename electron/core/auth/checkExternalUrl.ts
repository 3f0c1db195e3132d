import { AppError } from '../errors.ts';

export interface CheckExternalUrlOptions {
  /** Allows `http:` to 127.0.0.1 (demo and tests). */
  allowInsecureLoopback: boolean;
  /** The discovered `authorization_endpoint`: the URL's origin and path must equal it. */
  authorizationEndpoint?: string;
}

// Characters a shell or an OS URL handler could interpret (CVE-2025-6514 used `$(…)` through `open`).
const shellMeta = /[$`'"<>\\{}|^\s]/;

function refuse(reason: string): AppError {
  return new AppError('AUTH_URL_REFUSED', `Refused to open the sign-in URL: ${reason}`, { details: { reason } });
}

/** True for an `http:` URL whose host is exactly the IPv4 loopback address. */
export function isLoopbackHttp(url: URL): boolean {
  return url.protocol === 'http:' && url.hostname === '127.0.0.1';
}

/**
 * Checks a URL before it is handed to the system browser: https only (http only to 127.0.0.1 when allowed), no
 * shell metacharacters, and the origin and path of the discovered authorization endpoint. Returns the parsed URL.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-8.12 (system browser), security case D9
 */
export function checkExternalUrl(url: string, options: CheckExternalUrlOptions): URL {
  if (shellMeta.test(url) || shellMeta.test(decodedPath(url))) throw refuse('it contains characters a shell could interpret');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('it is not a valid URL');
  }
  const secure = parsed.protocol === 'https:';
  if (!secure && !(options.allowInsecureLoopback && isLoopbackHttp(parsed))) {
    throw refuse(`scheme ${parsed.protocol} is not allowed (https only${options.allowInsecureLoopback ? ', or http to 127.0.0.1' : ''})`);
  }
  if (parsed.username || parsed.password) throw refuse('it carries credentials');
  if (options.authorizationEndpoint !== undefined) {
    const endpoint = new URL(options.authorizationEndpoint);
    if (parsed.origin !== endpoint.origin || parsed.pathname !== endpoint.pathname) {
      throw refuse('it is not the identity provider\'s authorization endpoint');
    }
  }
  return parsed;
}

// A percent-encoded `$(` in the path survives URL parsing and reaches the OS handler decoded.
function decodedPath(url: string): string {
  try {
    return decodeURIComponent(url.split('?')[0] ?? '');
  } catch {
    return url;
  }
}
