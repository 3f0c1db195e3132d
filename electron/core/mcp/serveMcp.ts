import { createServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import type { LocalAuthority, Principal } from '../clients/LocalAuthority.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { isAllowedHost } from './isAllowedHost.ts';
import { McpSessions, type LiveSession } from './McpSessions.ts';
import { readJsonBody } from './readJsonBody.ts';
import { sendJsonRpcError } from './sendJsonRpcError.ts';
import type { ToolGateway } from './ToolGateway.ts';

export interface ServeMcpOptions {
  /** Who may call: every `/mcp` request must carry a credential it issued; it also serves the AS routes. */
  authority: LocalAuthority;
  /** The tools, filtered and checked per client. */
  gateway: ToolGateway;
  /** App version reported in `serverInfo`. */
  version: string;
  /** 0 picks a free port; the returned `url` carries the real one. */
  port: number;
  /** Only `127.0.0.1` is accepted (the default); anything else is refused. */
  host?: string;
  /**
   * Exact Origin values allowed besides the server's own (`http://127.0.0.1:<port>`, `http://localhost:<port>`,
   * `http://[::1]:<port>`: only pages this server serves run there). A request without Origin is always allowed.
   */
  allowedOrigins?: string[];
  /** A session with no open GET stream and no request for this long is closed; default 30 min. */
  sessionIdleMs?: number;
  /** A session is live (listed as connected) while a GET stream is open or this long after a request; default 60 s. */
  sessionLiveMs?: number;
  /** Sessions of all clients together; at the cap, the busiest client's stalest idle session makes room; default 100. */
  maxSessions?: number;
  /** Sessions of one client; at the cap, its stalest idle session makes room, else 429; default 16. */
  maxSessionsPerClient?: number;
  /** The clock for liveness and idle eviction (tests inject one); default Date.now. */
  now?(): number;
  /** How often idle sessions are closed and liveness re-checked; default 5 s. */
  sweepIntervalMs?: number;
  /** Request bodies beyond this get 413; default 1 MiB. */
  maxBodyBytes?: number;
  /** Answer POSTs with plain JSON instead of an SSE stream (faster); the GET stream still carries notifications. Default true. */
  enableJsonResponse?: boolean;
  /** Time allowed for a client to send all request headers (slowloris guard); default 10 s. */
  headersTimeoutMs?: number;
  /** Time allowed for a client to send a whole request; default 30 s. */
  requestTimeoutMs?: number;
  logger?: Logger;
}

export interface McpHttpServer {
  /** `http://127.0.0.1:<port>/mcp` */
  url: string;
  port: number;
  /** The bound socket address (always 127.0.0.1). */
  address(): AddressInfo;
  sessionCount(): number;
  /** Live sessions (whose client, name and version from `initialize`), for the window. */
  liveSessions(): LiveSession[];
  /** Called when a session opens, closes, goes quiet or comes back. */
  onSessionsChanged(listener: () => void): () => void;
  /** Closes every session (and its SSE streams) and the listener. */
  close(): Promise<void>;
}

/** Path of the MCP endpoint. */
export const mcpPath = '/mcp';

// JSON-RPC codes used on the HTTP layer (the SDK uses -32000 for transport-level refusals).
const parseErrorCode = -32700;
const invalidRequestCode = -32600;
const refusedCode = -32000;

const corsAllowHeaders = 'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, last-event-id';

/**
 * Serves MCP over Streamable HTTP at `/mcp` on 127.0.0.1 with one SDK `Server` and transport per session.
 * Host and Origin are checked before anything else (DNS rebinding, browser CSRF); other paths belong to the local
 * authorization server; every `/mcp` request needs a bearer credential the app issued (401 with a challenge
 * otherwise), and its session must be that client's; a destructive call without `tools:write` gets 403
 * `insufficient_scope`. Bodies are size-capped and parsed here so malformed input gets JSON-RPC errors as JSON;
 * batches are refused; sessions are capped per client, evicted when idle, closed when their client is revoked.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#access-token-usage
 * @see https://datatracker.ietf.org/doc/html/rfc6750#section-3
 */
export async function serveMcp(options: ServeMcpOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new AppError('SERVER_LISTEN_FAILED', `The MCP server listens on 127.0.0.1 only, not on ${host}.`);
  const { authority, gateway } = options;
  const sessions = createSessions(options);
  // Revocation closes the client's sessions and streams at once; a changed allow-list or scope re-lists its tools.
  const stopWatching = authority.onClientChanged((clientId) => {
    if (authority.principalOf(clientId)) sessions.notifyToolsChanged(clientId);
    else sessions.closeClient(clientId);
  });
  const context: RouteContext = { port: 0, allowedOrigins: new Set(options.allowedOrigins ?? []), maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024, sessions, authority, gateway, logger: options.logger };
  const httpServer = createHttpServer(options, (req, res) => {
    route(context, req, res).catch((error: unknown) => {
      options.logger?.error('MCP request failed', { error });
      sendJsonRpcError(res, 500, refusedCode, 'Internal error');
    });
  });
  try {
    context.port = await listen(httpServer, options.port, host);
    for (const name of ['127.0.0.1', 'localhost', '[::1]']) context.allowedOrigins.add(`http://${name}:${context.port}`);
    await authority.attach(`http://${host}:${context.port}${mcpPath}`);
  } catch (error) {
    stopWatching();
    await sessions.closeAll();
    httpServer.close();
    throw error;
  }
  return {
    url: `http://${host}:${context.port}${mcpPath}`,
    port: context.port,
    address: () => httpServer.address() as AddressInfo,
    sessionCount: () => sessions.size,
    liveSessions: () => sessions.live(),
    onSessionsChanged: (listener) => sessions.onChanged(listener),
    close: async () => {
      stopWatching();
      await sessions.closeAll();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}

function createSessions(options: ServeMcpOptions): McpSessions {
  const liveMs = options.sessionLiveMs ?? 60_000;
  return new McpSessions({
    gateway: options.gateway,
    version: options.version,
    principalOf: (clientId) => options.authority.principalOf(clientId),
    logger: options.logger,
    idleMs: options.sessionIdleMs ?? 30 * 60_000,
    liveMs,
    maxSessions: options.maxSessions ?? 100,
    maxSessionsPerClient: options.maxSessionsPerClient ?? 16,
    enableJsonResponse: options.enableJsonResponse ?? true,
    now: options.now ?? Date.now,
    sweepIntervalMs: options.sweepIntervalMs ?? Math.max(10, Math.min(5_000, liveMs / 4, (options.sessionIdleMs ?? Infinity) / 2)),
  });
}

interface RouteContext {
  /** The bound port, for the Host check. */
  port: number;
  allowedOrigins: Set<string>;
  maxBodyBytes: number;
  sessions: McpSessions;
  authority: LocalAuthority;
  gateway: ToolGateway;
  logger?: Logger;
}

// Host and Origin first, before the body is read or anything else is looked at (DNS rebinding, browser CSRF).
async function route(context: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!isAllowedHost(req.headers.host, context.port)) {
    context.logger?.debug('MCP request refused: Host is not this loopback server', { host: req.headers.host?.slice(0, 100) });
    return sendJsonRpcError(res, 403, refusedCode, 'Forbidden: invalid Host header');
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !context.allowedOrigins.has(origin)) {
    context.logger?.debug('MCP request refused: Origin is not allowed (a web page tried to call the server)', { origin: origin.slice(0, 100) });
    return sendJsonRpcError(res, 403, refusedCode, 'Forbidden: invalid Origin header');
  }
  if (origin !== undefined) setCorsHeaders(res, origin);
  if (req.headers.upgrade !== undefined) return sendJsonRpcError(res, 400, refusedCode, 'Protocol upgrades are not supported', { connection: 'close' });
  if (pathOf(req.url) !== mcpPath) {
    if (await context.authority.handleHttp(req, res)) return;
    return sendJsonRpcError(res, 404, refusedCode, `Not found: the MCP endpoint is ${mcpPath}`);
  }
  if (req.method === 'OPTIONS') return void res.writeHead(204, { allow: 'GET, POST, DELETE, OPTIONS' }).end();
  const principal = await authenticate(context, req, res);
  if (!principal) return;
  switch (req.method) {
    case 'POST':
      return handlePost(context, req, res, principal);
    case 'GET':
    case 'DELETE':
      return context.sessions.forward(req.headers['mcp-session-id'], req, res, principal);
    default:
      return sendJsonRpcError(res, 405, refusedCode, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
  }
}

/**
 * The caller, from the `Authorization` header alone (never a query parameter, cookie, body field or session id), or
 * undefined after answering 401/429. Every copy of the header is passed on, so two of them can be refused.
 */
async function authenticate(context: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<Principal | undefined> {
  const result = await context.authority.authenticate(authorizationOf(req.rawHeaders), req.socket.remoteAddress ?? '');
  if (result.ok) return result.principal;
  const headers: Record<string, string> = { 'www-authenticate': context.authority.challenge({ error: result.error, description: result.description, host: req.headers.host }) };
  if (result.retryAfterSeconds !== undefined) headers['retry-after'] = String(result.retryAfterSeconds);
  // The body of a refused request is not read: close the connection rather than drain it.
  if (req.method === 'POST') headers.connection = 'close';
  sendJsonRpcError(res, result.status, refusedCode, result.status === 429 ? 'Too many failed attempts; retry later.' : 'Unauthorized: a credential issued by GraphQL MCP Desktop is required.', headers);
  return undefined;
}

// The body is parsed here, not by the SDK, so every failure is a JSON-RPC error as JSON and batches can be refused.
async function handlePost(context: RouteContext, req: IncomingMessage, res: ServerResponse, principal: Principal): Promise<void> {
  if (!isJsonContentType(req.headers['content-type'])) {
    return sendJsonRpcError(res, 415, refusedCode, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const accept = req.headers.accept ?? '';
  if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
    return sendJsonRpcError(res, 406, refusedCode, 'Not Acceptable: Client must accept both application/json and text/event-stream');
  }
  const body = await readJsonBody(req, context.maxBodyBytes);
  if (!body.ok) {
    if (body.reason === 'aborted') return void res.destroy();
    if (body.reason === 'invalid-json') return sendJsonRpcError(res, 400, parseErrorCode, 'Parse error: Invalid JSON');
    return sendJsonRpcError(res, 413, refusedCode, `Payload Too Large: request body must not exceed ${context.maxBodyBytes} bytes`, { connection: 'close' });
  }
  if (Array.isArray(body.value)) return sendJsonRpcError(res, 400, invalidRequestCode, 'Invalid Request: JSON-RPC batches are not supported');
  const sessionId = req.headers['mcp-session-id'];
  if (sessionId !== undefined) {
    if (refuseMissingScope(context, res, principal, body.value)) return;
    return context.sessions.forward(sessionId, req, res, principal, body.value);
  }
  if (isInitialize(body.value)) return context.sessions.start(req, res, body.value, principal);
  // The wording 2025 servers use (the SDK's examples): Codex's 2026-07-28 probe falls back to initialize on exactly it.
  return sendJsonRpcError(res, 400, refusedCode, 'Bad Request: No valid session ID provided');
}

/**
 * A `tools/call` this client's scopes do not cover gets 403 `insufficient_scope` naming the scope it needs, so an
 * OAuth client can ask the user for more (step-up); the gateway refuses it again should it ever get that far.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/authorization#runtime-insufficient-scope-errors
 */
function refuseMissingScope(context: RouteContext, res: ServerResponse, principal: Principal, body: unknown): boolean {
  const call = body as { method?: unknown; params?: { name?: unknown; arguments?: unknown } } | null;
  if (call?.method !== 'tools/call' || typeof call.params?.name !== 'string') return false;
  const scope = context.gateway.missingScope(principal, call.params.name, call.params.arguments);
  if (!scope) return false;
  const description = `${call.params.name.slice(0, 128)} needs the ${scope} scope; this client was approved without it.`;
  context.gateway.recordDenied(principal, call.params.name, description);
  const challenge = context.authority.challenge({ error: 'insufficient_scope', scope, description });
  sendJsonRpcError(res, 403, refusedCode, `Forbidden: ${description}`, { 'www-authenticate': challenge });
  return true;
}

function createHttpServer(options: ServeMcpOptions, listener: RequestListener): HttpServer {
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  // Node enforces these timeouts in a periodic sweep; keep it at least as fine as the shortest timeout.
  const connectionsCheckingInterval = Math.max(50, Math.min(headersTimeout, requestTimeout) / 2);
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval, keepAliveTimeout: 5_000 }, listener);
  // With a listener, Node hands every Upgrade request here instead of to the request handler: refuse them all.
  server.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
  });
  return server;
}

/**
 * The Authorization header, or every copy of it when sent more than once; read from the raw header list, since
 * `headersDistinct` builds an object of all headers per request to answer this one question.
 */
function authorizationOf(rawHeaders: string[]): string | string[] | undefined {
  let found: string | string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length !== 13 || name.toLowerCase() !== 'authorization') continue;
    const value = rawHeaders[i + 1]!;
    found = found === undefined ? value : [...(typeof found === 'string' ? [found] : found), value];
  }
  return found;
}

function isInitialize(body: unknown): boolean {
  return typeof body === 'object' && body !== null && (body as { method?: unknown }).method === 'initialize';
}

function pathOf(url: string | undefined): string {
  const end = url?.indexOf('?') ?? -1;
  return end === -1 ? (url ?? '') : url!.slice(0, end);
}

function setCorsHeaders(res: ServerResponse, origin: string): void {
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-allow-methods', 'GET, POST, DELETE');
  res.setHeader('access-control-allow-headers', corsAllowHeaders);
  res.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version, www-authenticate');
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AppError('SERVER_LISTEN_FAILED', `The MCP server could not listen on ${host}:${port} (${error.code ?? 'error'}).`, { cause: error }));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
