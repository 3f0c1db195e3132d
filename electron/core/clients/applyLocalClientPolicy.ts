/** Schemes a private-use redirect URI must not use: web, script, file and socket schemes are not an app's own. */
const forbiddenSchemes = new Set(['http:', 'https:', 'javascript:', 'data:', 'file:', 'vbscript:', 'about:', 'blob:', 'filesystem:', 'ftp:', 'ws:', 'wss:', 'mailto:']);
const loopbackHosts = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** Metadata that would make the server fetch something or that a user could mistake for a verified fact; `scope` too, as the user decides scopes in the app. */
const droppedMetadata = ['logo_uri', 'client_uri', 'policy_uri', 'tos_uri', 'jwks_uri', 'jwks', 'sector_identifier_uri', 'request_uris', 'backchannel_logout_uri', 'post_logout_redirect_uris', 'initiate_login_uri', 'contacts', 'client_secret', 'software_statement', 'scope'];
const maxRedirectUris = 10;
const maxUriLength = 1000;
const maxNameLength = 200;

/** Whether `uri` is an `http:` URI on a loopback host (RFC 8252 §7.3, and `localhost`), without credentials or fragment. */
export function isLoopbackRedirectUri(uri: string): boolean {
  const parsed = URL.parse(uri);
  return parsed !== null && parsed.protocol === 'http:' && loopbackHosts.has(parsed.hostname) && parsed.username === '' && parsed.password === '' && !uri.includes('#');
}

function isPrivateUseRedirectUri(uri: string): boolean {
  const parsed = URL.parse(uri);
  return parsed !== null && /^[a-z][a-z0-9+.-]*:$/.test(parsed.protocol) && !forbiddenSchemes.has(parsed.protocol) && !uri.includes('#');
}

/**
 * Makes a local MCP client's metadata (dynamic registration or a metadata document) fit this app, in place: a public
 * native client (no secret, PKCE, code + refresh) whose redirect URIs are loopback `http:` (any port, RFC 8252 §7.3)
 * or a private-use scheme (exact match, §7.1), never `https:` — a code for this app is only ever delivered on this
 * machine. Drops every URI the server would fetch or show (logo_uri is never fetched). Returns why it refuses, if it does.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export function applyLocalClientPolicy(metadata: Record<string, unknown>): { error: 'invalid_redirect_uri' | 'invalid_client_metadata'; description: string } | undefined {
  const uris = metadata.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.length > maxRedirectUris) return { error: 'invalid_redirect_uri', description: `redirect_uris must list 1 to ${maxRedirectUris} URIs` };
  for (const uri of uris) {
    if (typeof uri !== 'string' || uri.length > maxUriLength) return { error: 'invalid_redirect_uri', description: 'redirect_uris must be short strings' };
    if (!isLoopbackRedirectUri(uri) && !isPrivateUseRedirectUri(uri)) return { error: 'invalid_redirect_uri', description: 'redirect_uris must be loopback http: URIs or private-use scheme URIs' };
  }
  if (metadata.client_name !== undefined && typeof metadata.client_name !== 'string') return { error: 'invalid_client_metadata', description: 'client_name must be a string' };
  if (typeof metadata.client_name === 'string') metadata.client_name = [...metadata.client_name].slice(0, maxNameLength).join('');
  for (const key of droppedMetadata) delete metadata[key];
  Object.assign(metadata, { application_type: 'native', token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] });
  return undefined;
}
