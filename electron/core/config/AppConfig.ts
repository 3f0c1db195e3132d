/** The validated, resolved config the core runs on (paths absolute, env references expanded). */
export interface AppConfig {
  /** Absolute path of the config file, or undefined for the built-in demo. */
  configPath?: string;
  server: ServerConfig;
  apis: ApiConfig[];
  signIn?: SignInConfig;
  /** Approval of tool calls that change data; absent = every client asks. */
  approvals?: ApprovalsConfig;
}

/** What a client's destructive tool call does: wait for the user (`ask`), run, or be refused. */
export type ApprovalPolicy = 'ask' | 'allow' | 'deny';

/** `approvals:` in the config: the default for clients the user set no policy for, and per-API overrides. */
export interface ApprovalsConfig {
  default: ApprovalPolicy;
  apis: Record<string, ApprovalPolicy>;
}

export interface ServerConfig {
  /** Always bound to 127.0.0.1; 0 picks a free port. */
  port: number;
}

export type MutationMode = 'none' | 'explicit' | 'all';

export type SchemaSource = { file: string } | { introspect: true };

/** A folder or file of `.graphql` operations, or an Apollo persisted-query manifest. */
export type OperationSource = { path: string } | { manifest: string };

export interface IntrospectionToolsConfig {
  introspect: boolean;
  search: boolean;
  validate: boolean;
  execute: boolean;
}

/** JSON Schema fragment used for a custom scalar's arguments. */
export type JsonSchema = Record<string, unknown>;

export type TokenStrategy = 'exchange' | 'resource' | 'passthrough' | 'none';

export interface ApiTokenConfig {
  strategy: TokenStrategy;
  /** The API's resource URI (RFC 8707) / audience (RFC 8693). Required unless strategy is `none`. */
  audience?: string;
  scopes?: string[];
}

export interface ApiConfig {
  /** Matches [a-z][a-z0-9_-]*. */
  name: string;
  toolPrefix: string;
  endpoint: string;
  schema: SchemaSource;
  operations: OperationSource[];
  mutations: MutationMode;
  introspection: IntrospectionToolsConfig;
  /** Static headers, env references already expanded. */
  headers: Record<string, string>;
  customScalars: Record<string, JsonSchema>;
  timeoutMs: number;
  token: ApiTokenConfig;
  /** Absolute path of a PEM file of CA certificates trusted for this API besides Node's and the OS's roots. */
  ca?: string;
}

export interface SignInConfig {
  issuer: string;
  clientId: string;
  scopes: string[];
  /** RFC 8707 resource for the app's own token (the subject of exchanges). */
  resource?: string;
  /** Allows an `http:` issuer on 127.0.0.1 only (demo and tests). */
  allowInsecureLoopback: boolean;
  /**
   * RFC 9449: bind the refresh token and the app's own token to a key held by the app, so a stolen refresh token is
   * useless without it. APIs then get their tokens by exchange (plain bearer tokens for their audience only).
   */
  dpop?: boolean;
}

/** A problem found while loading config, schema or operations: reported, never thrown past the loader. */
export interface Problem {
  severity: 'error' | 'warning';
  message: string;
  file?: string;
  line?: number;
  /** 1-based column, where the reader knows it (YAML syntax errors). */
  column?: number;
  /** Dotted key path in the config file, e.g. `apis[0].endpoint`. */
  key?: string;
  api?: string;
}

/** `file:line[:column]: message` — the one way problems are printed. */
export function formatProblem(problem: Problem): string {
  const at = problem.line ? `:${problem.line}${problem.column ? `:${problem.column}` : ''}` : '';
  const where = problem.file ? `${problem.file}${at}` : problem.api ? `api ${problem.api}` : '';
  const key = problem.key ? ` (${problem.key})` : '';
  return `${problem.severity}: ${where ? `${where}: ` : ''}${problem.message}${key}`;
}
