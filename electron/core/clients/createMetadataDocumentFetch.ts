import type { Logger } from '../log/Logger.ts';

export interface MetadataDocumentFetch {
  /** The fetch oidc-provider uses for Client ID Metadata Documents. */
  fetch: typeof fetch;
  /** True when the last attempt to fetch this `client_id`'s document failed. */
  isUnverifiedClient(clientId: string): boolean;
}

/** URLs remembered as unreachable at most (oldest forgotten first). */
const maxRemembered = 200;

/**
 * Wraps the fetch of Client ID Metadata Documents. oidc-provider calls it with its own guards: https `client_id` without
 * fragment or credentials, a dispatcher that refuses private, loopback and link-local addresses at connect time (so
 * the checked address is the one used), no redirects, 2.5 s and 5 KB caps. When no document arrives (offline, an
 * unreachable host such as claude.ai from this machine, a refused address, a redirect, a non-200), the client is not
 * refused but described as "unverified: could not fetch <url>", and only loopback redirect URIs are accepted for it:
 * the same trust as a dynamically registered client, and the user still decides in the app. A document that arrives
 * but is invalid (wrong `client_id`, not JSON, too large) is still refused.
 * @see https://datatracker.ietf.org/doc/draft-ietf-oauth-client-id-metadata-document/
 */
export function createMetadataDocumentFetch(base: typeof fetch, logger: Logger): MetadataDocumentFetch {
  const unverified = new Set<string>();
  const fetchDocument = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    try {
      const response = await base(input, init);
      if (response.status === 200) {
        unverified.delete(url);
        return response;
      }
      await response.body?.cancel();
      logger.info('client metadata document not fetched', { url, status: response.status });
    } catch (error) {
      logger.info('client metadata document not fetched', { url, error });
    }
    remember(unverified, url);
    return Response.json(unverifiedDocument(url), { headers: { 'cache-control': 'max-age=30' } });
  };
  return { fetch: fetchDocument as typeof fetch, isUnverifiedClient: (clientId) => unverified.has(clientId) };
}

function remember(set: Set<string>, url: string): void {
  set.delete(url);
  if (set.size >= maxRemembered) set.delete(set.values().next().value!);
  set.add(url);
}

/** Stands in for a document that could not be fetched; the redirect URI is a placeholder (any loopback one is allowed). */
function unverifiedDocument(url: string): Record<string, unknown> {
  return {
    client_id: url,
    client_name: `unverified: could not fetch ${url}`,
    redirect_uris: ['http://127.0.0.1/callback'],
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
}
