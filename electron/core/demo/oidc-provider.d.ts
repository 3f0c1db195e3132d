// oidc-provider ships no types and @types/oidc-provider lags behind 9.x; this declares only what the demo IdP uses.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface OidcParams {
    [key: string]: unknown;
    scope?: string;
    resource?: string | string[];
    client_id?: string;
  }

  export interface OidcClient {
    clientId: string;
    grantTypeAllowed(type: string): boolean;
  }

  export interface ResourceServerInfo {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string } };
  }

  export interface OidcContext {
    oidc: {
      params: OidcParams;
      client: OidcClient;
      route: string;
      entity(type: string, value: unknown): void;
    };
    body: unknown;
    status: number;
    /** Koa's response; `get` reads a header (the redirect's Location). */
    response: { get(field: string): string };
  }

  export interface Interaction {
    uid: string;
    params: OidcParams;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    session?: { accountId: string };
    grantId?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface AccessTokenInstance {
    gty?: string;
    clientId: string;
    scope?: string;
    expiration: number;
    resourceServer?: unknown;
    save(): Promise<string>;
  }

  export interface TokenSource {
    scopes: Set<string>;
  }

  export const errors: {
    InvalidRequest: new (description?: string) => Error;
    InvalidGrant: new (description?: string) => Error;
    InvalidTarget: new (description?: string) => Error;
    InvalidScope: new (description?: string, scope?: string) => Error;
  };

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: never[]) => void): this;
    use(middleware: (ctx: OidcContext, next: () => Promise<void>) => Promise<void>): void;
    registerGrantType(name: string, handler: (ctx: OidcContext) => Promise<void>, params?: string[]): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    Grant: {
      new (init: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    AccessToken: new (init: { accountId: string; client: OidcClient; scope: string; gty: string }) => AccessTokenInstance;
    ResourceServer: new (identifier: string, info: ResourceServerInfo) => unknown;
  }
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** An in-memory adapter with its own storage (the default one is shared by every Provider in the process). */
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => {
    upsert(id: string, payload: unknown, expiresIn?: number): Promise<void>;
  };
}

declare module 'oidc-provider/lib/helpers/validate_dpop.js' {
  import type Provider from 'oidc-provider';
  import type { OidcContext } from 'oidc-provider';

  /** A verified DPoP proof: the thumbprint of the key that signed it. */
  export interface DPoPProof {
    thumbprint: string;
    jti: string;
    iat: number;
  }

  /**
   * Verifies the request's DPoP header (signature, typ, htm, htu = this endpoint, iat); resolves undefined when
   * there is none or the feature is off, rejects with invalid_dpop_proof for a bad one. Custom grant handlers get
   * no such helper from the provider (its own grants receive it bound), so the demo's token exchange imports it.
   */
  export default function validateDpop(provider: Provider, ctx: OidcContext): Promise<DPoPProof | undefined>;
  /** Rejects with invalid_grant when the proof's `jti` was seen before. */
  export function checkDpopReplay(provider: Provider, ctx: OidcContext, proof: DPoPProof, clientId: string): Promise<void>;
}
