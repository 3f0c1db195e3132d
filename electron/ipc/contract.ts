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
  /** Set when the configured port was taken and the app listens elsewhere: saved client setups will not reach it. */
  portWarning?: string;
  /** Paused from the tray: the MCP endpoint refuses calls until resumed. */
  paused?: boolean;
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
  /** The tool's JSON Schema (2020-12) input schema, for the detail view and the Try it form. */
  inputSchema?: Record<string, unknown>;
  /** False when the user disabled it: no client sees or can call it. */
  enabled?: boolean;
}

/** A config, schema or operation problem, found at load and reported instead of stopping the app (the core's own type). */
export type ProblemView = Problem;

/** The sign-in state; `signed-in` names the subject only. */
export type AuthStatusView =
  | { state: 'not-configured' }
  | { state: 'signed-out' }
  /** `url`: the IdP page, for a window that could not open the browser (shown with a copy button). */
  | { state: 'signing-in'; url?: string }
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

/** The two scopes a local client can hold: `tools:read` (queries, introspection), `tools:write` (mutations). */
export type ClientScope = 'tools:read' | 'tools:write';

/** How a local client reached the app: OAuth (CIMD or dynamic registration), an access key, or the stdio bridge. */
export type ClientKind = 'oauth' | 'key' | 'bridge';

/**
 * How far the client's name can be trusted: `verified` (a Client ID Metadata Document fetched from its https
 * `client_id`: `domain` is that URL's host), `self-asserted` (dynamic registration or a bridge's `clientInfo`),
 * `local` (an access key the user created in the app).
 */
export type ClientIdentity = 'verified' | 'self-asserted' | 'local';

/** What a destructive tool call of this client does: wait for the user (`ask`), run, or be refused. */
export type ApprovalPolicy = 'ask' | 'allow' | 'deny';

/** One live MCP session of an approved client. Dates are ISO 8601 strings (they survive JSON and structured clone). */
export interface SessionView {
  /** A prefix of the session id: enough to tell sessions apart, too short to reuse. */
  id: string;
  /** `clientInfo` from the session's `initialize` request. */
  clientName?: string;
  clientVersion?: string;
  connectedAt: string;
  lastSeenAt: string;
}

/** An approved local client (OAuth client, access key or bridge client) with what it is doing. Never a credential. */
export interface ClientView {
  clientId: string;
  /** Plain text; control, bidi and zero-width characters already made visible. */
  name: string;
  kind: ClientKind;
  identity: ClientIdentity;
  /** For `verified`: the https host of the client's metadata document URL. */
  domain?: string;
  redirectUris?: string[];
  access: 'read' | 'write';
  /** Tools this client may see and call; null = every tool. */
  tools: string[] | null;
  approvalPolicy: ApprovalPolicy;
  approvedAt: string;
  lastActivityAt?: string;
  calls: number;
  errors: number;
  sessions: SessionView[];
}

/** A client waiting for the user's decision (an OAuth `/authorize` or a bridge's first connection). */
export interface PendingClientView {
  requestId: string;
  name: string;
  kind: ClientKind;
  identity: ClientIdentity;
  domain?: string;
  redirectUri?: string;
  scopes: ClientScope[];
  requestedAt: string;
  /** With no decision by then the client gets `access_denied`. */
  expiresAt: string;
}

export type ClientDecision = 'allow-read' | 'allow-write' | 'deny';

/** The answer to `keys:create`: the only contract payload that ever carries a secret, shown once. */
export interface CreatedKeyView {
  name: string;
  clientId: string;
  key: string;
}

export type ActivityOutcome = 'ok' | 'error' | 'denied';

/** One tool call: who, what, how long, how it ended. Never arguments, results or secrets. */
export interface ActivityEntryView {
  id: number;
  at: string;
  clientId: string;
  clientName: string;
  tool: string;
  api?: string;
  durationMs: number;
  outcome: ActivityOutcome;
  /** The error message (already scrubbed of secrets) when `outcome` is not `ok`. */
  error?: string;
}

export interface ActivityFilter {
  clientId?: string;
  tool?: string;
  outcome?: ActivityOutcome;
  /** Newest first; default 200. */
  limit?: number;
}

/** A destructive tool call waiting for the user under the `ask` policy. */
export interface PendingCallView {
  id: string;
  clientId: string;
  clientName: string;
  tool: string;
  api?: string;
  /** The call's arguments as the client sent them (shown readably; never sent anywhere else). */
  arguments: Record<string, unknown>;
  requestedAt: string;
  /** With no decision by then the call fails with `isError`. */
  expiresAt: string;
}

/** `allow-tool`: this tool for this client until the app restarts. */
export type CallDecision = 'allow-once' | 'allow-tool' | 'deny';

/** A tool result as the window shows it after "Try it". */
export interface ToolRunView {
  isError: boolean;
  text: string;
  structuredContent?: unknown;
  durationMs: number;
}

/** Per API: how its token is obtained and the audience it would carry (never the token). */
export interface AudienceView {
  api: string;
  strategy: 'exchange' | 'resource' | 'passthrough' | 'none';
  expectedAudience?: string;
  /** The `aud` of the token the app holds or would send; undefined when none is held yet. */
  actualAudience?: string[];
  state: 'ok' | 'mismatch' | 'unverifiable' | 'no-token' | 'not-needed';
  warnings: AudienceWarningView[];
}

/** The editable settings, as the config file says them (the demo's are read-only). */
export interface SettingsView {
  configPath?: string;
  /** False for the built-in demo: there is no file to write. */
  writable: boolean;
  port: number;
  signIn?: { issuer: string; clientId: string; scopes: string[]; resource?: string };
  apis: ApiSettingsView[];
  approvals: { default: ApprovalPolicy; apis: Record<string, ApprovalPolicy> };
}

export interface ApiSettingsView {
  name: string;
  endpoint: string;
  operations: string[];
  mutations: 'none' | 'explicit' | 'all';
  tokenStrategy: AudienceView['strategy'];
  audience?: string;
}

/** A change to the settings; each key present replaces that value (apis are matched by name). */
export interface SettingsPatch {
  port?: number;
  approvals?: { default?: ApprovalPolicy; apis?: Record<string, ApprovalPolicy> };
  apis?: Array<Partial<ApiSettingsView> & { name: string }>;
  /** The `signIn:` block: each key present replaces that value (`resource: null` removes it); null removes the block. */
  signIn?: { issuer?: string; clientId?: string; scopes?: string[]; resource?: string | null } | null;
  /** New APIs, appended at the end of `apis`. */
  addApis?: NewApiSettings[];
  /** APIs removed by name, with their approval overrides. */
  removeApis?: string[];
}

/** What a new API needs: its settings as the window shows them, and where its schema comes from. */
export interface NewApiSettings extends ApiSettingsView {
  /** A schema file (relative to the config file's folder) or the endpoint's own introspection. */
  schema: { file: string } | { introspect: true };
}

export type SetupTarget = 'claude-code' | 'cursor' | 'vscode' | 'windsurf' | 'codex' | 'claude-desktop';

/** How to connect one MCP client: the snippet, the file it goes in, and whether it is already there. */
export interface ClientSetupView {
  target: SetupTarget;
  label: string;
  /** The exact text to paste (or the command to run). */
  snippet: string;
  configPath?: string;
  state: 'configured' | 'not-configured' | 'config-unreadable' | 'not-installed';
  /** Why `config-unreadable` (file and where it fails to parse). */
  message?: string;
  /** A cursor:// or vscode: install link where the client has one. */
  deeplink?: string;
  /** Whether this client connects by OAuth (only the URL is written) or by the bridge / an access key. */
  auth: 'oauth' | 'bridge' | 'key';
  /** What is left for the user once the entry is written (sign in, start, refresh or restart the client), with the command when there is one to run. */
  nextStep?: { text: string; command?: string };
  /** A client-specific setting worth knowing about (plain text). */
  tip?: string;
}

export interface SetupResultView {
  target: SetupTarget;
  configPath: string;
  /** The backup of the previous file, when there was one. */
  backupPath?: string;
  changed: boolean;
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
  /** Abandons a sign-in in progress (its browser page can no longer complete it). */
  'auth:cancel'(): Promise<Result<void>>;
  'audiences:list'(): Promise<Result<AudienceView[]>>;
  'tools:setEnabled'(name: string, enabled: boolean): Promise<Result<void>>;
  /** Runs a tool through the same path as an MCP client would (as the app itself, approval included). */
  'tools:try'(name: string, args: Record<string, unknown>): Promise<Result<ToolRunView>>;
  'clients:list'(): Promise<Result<ClientView[]>>;
  'clients:pending'(): Promise<Result<PendingClientView[]>>;
  'clients:decide'(requestId: string, decision: ClientDecision): Promise<Result<void>>;
  /** Kills the client's tokens and keys and closes its sessions at once. */
  'clients:revoke'(clientId: string): Promise<Result<void>>;
  'clients:setTools'(clientId: string, names: string[] | null): Promise<Result<void>>;
  'clients:setPolicy'(clientId: string, policy: ApprovalPolicy): Promise<Result<void>>;
  'keys:create'(name: string, readOnly: boolean): Promise<Result<CreatedKeyView>>;
  'keys:revoke'(name: string): Promise<Result<void>>;
  'activity:list'(filter: ActivityFilter): Promise<Result<ActivityEntryView[]>>;
  'approvals:pending'(): Promise<Result<PendingCallView[]>>;
  'approvals:decide'(id: string, decision: CallDecision): Promise<Result<void>>;
  'settings:get'(): Promise<Result<SettingsView>>;
  /** Validated like the config file, written back keeping comments and order, applied without restart. */
  'settings:update'(patch: SettingsPatch): Promise<Result<SettingsView>>;
  'setup:list'(): Promise<Result<ClientSetupView[]>>;
  /** Writes this client's config file (atomic, with a backup, other entries and comments kept). */
  'setup:apply'(target: SetupTarget): Promise<Result<SetupResultView>>;
}

/** Main → renderer: each event carries the new full value, so a window never has to ask again. */
export interface MainEvents {
  'tools:changed': ToolView[];
  'problems:changed': ProblemView[];
  'auth:changed': AuthStatusView;
  'warnings:changed': AudienceWarningView[];
  'clients:changed': ClientView[];
  'clients:pending-changed': PendingClientView[];
  /** One new entry (the window prepends it). */
  'activity:appended': ActivityEntryView;
  'approvals:changed': PendingCallView[];
  'settings:changed': SettingsView;
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
  'auth:cancel': true,
  'audiences:list': true,
  'tools:setEnabled': true,
  'tools:try': true,
  'clients:list': true,
  'clients:pending': true,
  'clients:decide': true,
  'clients:revoke': true,
  'clients:setTools': true,
  'clients:setPolicy': true,
  'keys:create': true,
  'keys:revoke': true,
  'activity:list': true,
  'approvals:pending': true,
  'approvals:decide': true,
  'settings:get': true,
  'settings:update': true,
  'setup:list': true,
  'setup:apply': true,
};

export const mainEventNames: { readonly [K in MainEvent]: true } = {
  'tools:changed': true,
  'problems:changed': true,
  'auth:changed': true,
  'warnings:changed': true,
  'clients:changed': true,
  'clients:pending-changed': true,
  'activity:appended': true,
  'approvals:changed': true,
  'settings:changed': true,
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
