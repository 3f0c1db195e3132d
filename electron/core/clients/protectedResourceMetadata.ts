import type { ClientScope } from '../../ipc/contract.ts';

/** Every scope a local client can hold, in the order a challenge names them. */
export const allScopes: readonly ClientScope[] = ['tools:read', 'tools:write'];

/** Where RFC 9728 metadata lives for the `/mcp` resource (the path-suffixed form; the root form is also served). */
export const protectedResourceMetadataPath = '/.well-known/oauth-protected-resource/mcp';

/**
 * This server's origin as the client spells it: `localhost` when it connected through `localhost`, else `127.0.0.1`.
 * Clients check that metadata names the URL they were configured with (RFC 9728 §3.3), so the resource and the
 * metadata URL in a challenge follow the request's Host.
 */
export function originFor(host: string | undefined, port: number): string {
  const name = host?.toLowerCase().startsWith('localhost:') ? 'localhost' : '127.0.0.1';
  return `http://${name}:${port}`;
}

/**
 * RFC 9728 protected resource metadata for `/mcp`: the resource, this app as its only authorization server, the
 * scopes, and bearer tokens in the header only.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-2
 */
export function buildProtectedResourceMetadata(resource: string, issuer: string): Record<string, unknown> {
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...allScopes],
    bearer_methods_supported: ['header'],
    resource_name: 'GraphQL MCP Desktop',
  };
}

/**
 * A `WWW-Authenticate` value for `/mcp` refusals: `resource_metadata` so clients find the authorization server
 * (MCP authorization 2025-11-25), `scope` naming what to ask for, and the RFC 6750 `error` when there is one.
 * @see https://www.rfc-editor.org/rfc/rfc9728#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function buildChallenge(metadataUrl: string, options: { error?: string; scope?: string; description?: string }): string {
  const params = [
    options.error && `error="${quotable(options.error)}"`,
    options.description && `error_description="${quotable(options.description)}"`,
    `resource_metadata="${quotable(metadataUrl)}"`,
    `scope="${quotable(options.scope ?? allScopes.join(' '))}"`,
  ];
  return `Bearer ${params.filter(Boolean).join(', ')}`;
}

// RFC 6750 §3: values are quoted strings of printable ASCII without `"` and `\`.
function quotable(value: string): string {
  return value.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '');
}
