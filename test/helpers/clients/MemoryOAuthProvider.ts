import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';

/** An SDK OAuthClientProvider that keeps everything in memory and records the authorization URL instead of opening it. */
export class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl?: URL;
  #client?: OAuthClientInformationMixed;
  #tokens?: OAuthTokens;
  #verifier = '';
  readonly redirectUrl: string;
  readonly clientMetadataUrl?: string;
  readonly #name: string;

  constructor(options: { redirectUrl?: string; clientMetadataUrl?: string; name?: string } = {}) {
    this.redirectUrl = options.redirectUrl ?? 'http://127.0.0.1:45454/callback';
    this.clientMetadataUrl = options.clientMetadataUrl;
    this.#name = options.name ?? 'SDK test client';
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.#name, redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }

  clientInformation() { return this.#client; }
  saveClientInformation(info: OAuthClientInformationMixed) { this.#client = info; }
  tokens() { return this.#tokens; }
  saveTokens(tokens: OAuthTokens) { this.#tokens = tokens; }
  redirectToAuthorization(url: URL) { this.authorizationUrl = url; }
  saveCodeVerifier(verifier: string) { this.#verifier = verifier; }
  codeVerifier() { return this.#verifier; }
}
