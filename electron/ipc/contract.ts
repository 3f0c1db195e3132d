/**
 * The one contract between the window and the app: request/response channels (`MainApi`), pushed events
 * (`MainEvents`) and the view types they carry. Electron's preload and the headless HTTP bridge both serve exactly
 * this; the renderer imports it with `import type` only. Views carry status, names and warnings — never tokens.
 */
import type { Problem } from '../core/config/AppConfig.ts';
import type { ErrorCode } from '../core/errors.ts';

/** IPC never throws: every call answers with a value or a `{ code, message }` the UI can show. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: ErrorCode; message: string } };

export interface AppStatusView {
  /** The MCP endpoint clients connect to, e.g. `http://127.0.0.1:47320/mcp`. */
  endpoint: string;
  /** `demo`: the built-in demo runs because no config file exists; `config`: `configPath` is in use. */
  mode: 'demo' | 'config';
  configPath?: string;
  version: string;
}

export interface ToolView {
  name: string;
  api: string;
  title?: string;
  description: string;
  /** `operation`: made from a .graphql operation; `introspection`: introspect/search/validate/execute. */
  kind: 'operation' | 'introspection';
  readOnly: boolean;
  destructive: boolean;
}

/** A config, schema or operation problem, found at load and reported instead of stopping the app (the core's own type). */
export type ProblemView = Problem;

/** The sign-in state; `signed-in` names the subject only. */
export type AuthStatusView =
  | { state: 'not-configured' }
  | { state: 'signed-out' }
  | { state: 'signing-in' }
  | { state: 'signed-in'; sub: string }
  | { state: 'keychain-unavailable'; reason: string }
  | { state: 'error'; code: ErrorCode; message: string };

/** Why the token an API would receive is (or may be) not bound to that API's audience. */
export interface AudienceWarningView {
  api: string;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  expected?: string;
  actual?: string;
  fix?: string;
}

/** A connected MCP session. Dates are ISO 8601 strings so the view survives JSON and structured clone alike. */
export interface ClientView {
  /** A prefix of the session id: enough to tell sessions apart, too short to reuse. */
  id: string;
  /** `clientInfo` from the client's `initialize` request. */
  name?: string;
  version?: string;
  connectedAt: string;
  lastSeenAt: string;
}

/** Renderer → main, request/response. Channels are `'domain:verb'`. */
export interface MainApi {
  'app:status'(): Promise<Result<AppStatusView>>;
  'tools:list'(): Promise<Result<ToolView[]>>;
  'problems:list'(): Promise<Result<ProblemView[]>>;
  'auth:status'(): Promise<Result<AuthStatusView>>;
  /** Opens the sign-in page in the system browser; the outcome arrives as `auth:changed`. */
  'auth:signIn'(): Promise<Result<void>>;
  /** Revokes and forgets the grant; resolves once signed out. */
  'auth:signOut'(): Promise<Result<void>>;
  'warnings:list'(): Promise<Result<AudienceWarningView[]>>;
  'clients:list'(): Promise<Result<ClientView[]>>;
}

/** Main → renderer: each event carries the new full value, so a window never has to ask again. */
export interface MainEvents {
  'tools:changed': ToolView[];
  'problems:changed': ProblemView[];
  'auth:changed': AuthStatusView;
  'warnings:changed': AudienceWarningView[];
  'clients:changed': ClientView[];
}

export type MainChannel = keyof MainApi;
export type MainEvent = keyof MainEvents;

// Object-literal checks reject a missing or an unknown key, so these tables cannot drift from the interfaces.
export const mainApiChannels: { readonly [K in MainChannel]: true } = {
  'app:status': true,
  'tools:list': true,
  'problems:list': true,
  'auth:status': true,
  'auth:signIn': true,
  'auth:signOut': true,
  'warnings:list': true,
  'clients:list': true,
};

export const mainEventNames: { readonly [K in MainEvent]: true } = {
  'tools:changed': true,
  'problems:changed': true,
  'auth:changed': true,
  'warnings:changed': true,
  'clients:changed': true,
};

/** True for own keys of the channel table only (never `__proto__`, `toString`, …). */
export function isMainChannel(name: string): name is MainChannel {
  return Object.hasOwn(mainApiChannels, name);
}

export function isMainEvent(name: string): name is MainEvent {
  return Object.hasOwn(mainEventNames, name);
}

export type MainEventListener = <E extends MainEvent>(event: E, payload: MainEvents[E]) => void;

/** What the window sees as `window.api`: the channels plus a subscription to events (returns an unsubscribe). */
export interface RendererApi extends MainApi {
  on<E extends MainEvent>(event: E, listener: (payload: MainEvents[E]) => void): () => void;
}

/**
 * What the core provides so the shell (IPC) and the headless bridge (HTTP) can serve the contract: one function per
 * channel, and `subscribe`, which calls `listener` for every event until the returned function is called.
 */
export interface CoreBridge extends MainApi {
  subscribe(listener: MainEventListener): () => void;
}
