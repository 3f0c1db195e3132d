import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ClientIdentity, ClientKind, ClientScope } from '../../ipc/contract.ts';

/**
 * Who is calling `/mcp`: an approved local client, as the registry knows it now. Built from the app's own credential
 * (an OAuth access token this app issued, an access key, or an approved bridge connection), never from anything else.
 */
export interface Principal {
  /** The registry's stable id of the approved client. */
  clientId: string;
  /** Display name, plain text. */
  name: string;
  kind: ClientKind;
  identity: ClientIdentity;
  scopes: readonly ClientScope[];
  /** Tools this client may see and call; null = every tool. */
  tools: readonly string[] | null;
  /** Epoch ms after which the credential that produced this principal is no longer valid. */
  expiresAt: number;
}

/** An approved client as the registry holds it (never a credential or its digest): what `clients:list` shows. */
export interface ApprovedClient {
  clientId: string;
  name: string;
  kind: ClientKind;
  identity: ClientIdentity;
  domain?: string;
  redirectUris?: string[];
  scopes: ClientScope[];
  tools: string[] | null;
  /** Epoch ms. */
  approvedAt: number;
}

/** A bearer check's answer: the principal, or the HTTP refusal to send (RFC 6750 §3). */
export type AuthenticateResult =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 429; error: 'invalid_request' | 'invalid_token'; description: string; retryAfterSeconds?: number };

/** A stdio bridge connection asking to act as a client (the first connection of a client asks the user). */
export interface BridgeClientInfo {
  /** `clientInfo.name` from the bridged client's `initialize`. */
  name: string;
  version?: string;
}

/**
 * The app as the OAuth 2.1 authorization server for local MCP clients, plus its registry of approved clients and
 * access keys. `serveMcp` asks it who is calling and hands it every non-`/mcp` path on the MCP origin.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization
 */
export interface LocalAuthority {
  /** Called once the MCP server listens: the resource (`http://127.0.0.1:<port>/mcp`) tokens are bound to. */
  attach(mcpUrl: string): Promise<void>;
  /**
   * Verifies an `Authorization` header for `/mcp` (`source`: the peer address, for rate limits). Pass
   * `req.headersDistinct.authorization`: Node's `req.headers` keeps only the first of two such headers (A4).
   */
  authenticate(authorization: string | string[] | undefined, source: string): Promise<AuthenticateResult>;
  /** The client as it is now (scopes and allow-list may change while a session is open); undefined once revoked. */
  principalOf(clientId: string): Principal | undefined;
  /** Every approved client (OAuth, key, bridge), oldest first. */
  approvedClients(): ApprovedClient[];
  /**
   * Called with a client's id when it is approved, revoked, or its scopes or allow-list change (also when the `keys`
   * CLI changed the registry): `principalOf` then tells which (undefined = revoked: close its sessions).
   */
  onClientChanged(listener: (clientId: string) => void): () => void;
  /** Asks the user (in the app) to approve a bridge client; resolves with its principal, or undefined when denied. */
  authorizeBridgeClient(info: BridgeClientInfo): Promise<Principal | undefined>;
  /**
   * `WWW-Authenticate` value for a 401/403 from `/mcp` (RFC 9728 §5.1 `resource_metadata`, `scope`, `error`). Pass the
   * request's `host`: a client configured with `localhost` must be sent to metadata that names `localhost` (J5).
   */
  challenge(options: { error?: string; scope?: string; description?: string; host?: string }): string;
  /** Serves the AS, metadata and consent-page routes on the MCP origin; resolves false for paths it does not own. */
  handleHttp(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  close(): Promise<void>;
}
