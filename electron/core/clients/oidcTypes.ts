import type { IncomingMessage, ServerResponse } from 'node:http';

// The narrow slice of oidc-provider 9 the local authorization server uses (the package ships no types; the demo's
// ambient declaration covers only the demo IdP). One cast in createOauthServer.ts binds the provider to this shape.

export interface OidcClientInstance {
  clientId: string;
  clientName?: string;
  redirectUris: string[];
  clientIdMetadataDocument?: boolean;
  redirectUriAllowed(value: string): boolean;
}

export interface OidcAccessToken {
  clientId: string;
  accountId: string;
  aud?: string | string[];
  scope?: string;
  iat: number;
  exp: number;
  isExpired: boolean;
}

export interface OidcInteraction {
  uid: string;
  params: { client_id?: string; redirect_uri?: string; scope?: string; resource?: string | string[] };
}

export interface OidcGrant {
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  rejectResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

/** A Koa context as oidc-provider middleware sees it. */
export interface OidcKoaContext {
  oidc?: { route?: string; params?: Record<string, unknown>; client?: { clientId: string } };
  req: IncomingMessage;
  status: number;
  body: unknown;
  set(name: string, value: string): void;
}

export interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  use(middleware: (ctx: OidcKoaContext, next: () => Promise<void>) => Promise<void>): void;
  on(event: string, listener: (...args: never[]) => void): void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<OidcInteraction>;
  interactionFinished(req: IncomingMessage, res: ServerResponse, result: Record<string, unknown>, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
  Client: { find(id: string): Promise<OidcClientInstance | undefined>; prototype: OidcClientInstance };
  AccessToken: { find(value: string, options?: { ignoreExpiration?: boolean }): Promise<OidcAccessToken | undefined> };
  RefreshToken: { find(value: string, options?: { ignoreExpiration?: boolean }): Promise<{ scope?: string } | undefined> };
  Grant: new (init: { accountId: string; clientId: string }) => OidcGrant;
}

export interface OidcErrors {
  InvalidTarget: new (description?: string) => Error;
  InvalidClientMetadata: new (description?: string) => Error;
  InvalidRedirectUri: new (description?: string) => Error;
}
