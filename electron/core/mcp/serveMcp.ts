import { createServer, type IncomingMessage, type RequestListener, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import type { ToolCatalog } from '../ToolCatalog.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { isAllowedHost } from './isAllowedHost.ts';
import { McpSessions, type McpClientInfo } from './McpSessions.ts';
import { readJsonBody } from './readJsonBody.ts';
import { sendJsonRpcError } from './sendJsonRpcError.ts';

export interface ServeMcpOptions {
  catalog: ToolCatalog;
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
  /** New sessions beyond this get 503; default 100. */
  maxSessions?: number;
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
  /** Connected clients (name and version from `initialize`), for the window. */
  clients(): McpClientInfo[];
  onClientsChanged(listener: () => void): () => void;
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
 * Host and Origin are checked before anything else (DNS rebinding, browser CSRF); bodies are size-capped and parsed
 * here so malformed input gets JSON-RPC errors as JSON; batches are refused; idle sessions are evicted and the
 * number of sessions is capped. A catalog change sends `notifications/tools/list_changed` to every session.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#streamable-http
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#session-management
 */
export async function serveMcp(options: ServeMcpOptions): Promise<McpHttpServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new AppError('SERVER_LISTEN_FAILED', `The MCP server listens on 127.0.0.1 only, not on ${host}.`);
  const sessions = new McpSessions({
    catalog: options.catalog,
    version: options.version,
    logger: options.logger,
    idleMs: options.sessionIdleMs ?? 30 * 60_000,
    maxSessions: options.maxSessions ?? 100,
    enableJsonResponse: options.enableJsonResponse ?? true,
  });
  const context: RouteContext = { port: 0, allowedOrigins: new Set(options.allowedOrigins ?? []), maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024, sessions, logger: options.logger };
  const httpServer = createHttpServer(options, (req, res) => {
    route(context, req, res).catch((error: unknown) => {
      options.logger?.error('MCP request failed', { error });
      sendJsonRpcError(res, 500, refusedCode, 'Internal error');
    });
  });
  try {
    context.port = await listen(httpServer, options.port, host);
  } catch (error) {
    await sessions.closeAll();
    throw error;
  }
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) context.allowedOrigins.add(`http://${name}:${context.port}`);
  return {
    url: `http://${host}:${context.port}${mcpPath}`,
    port: context.port,
    address: () => httpServer.address() as AddressInfo,
    sessionCount: () => sessions.size,
    clients: () => sessions.clients(),
    onClientsChanged: (listener) => sessions.onClientsChanged(listener),
    close: async () => {
      await sessions.closeAll();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
}

interface RouteContext {
  /** The bound port, for the Host check. */
  port: number;
  allowedOrigins: Set<string>;
  maxBodyBytes: number;
  sessions: McpSessions;
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
  if (pathOf(req.url) !== mcpPath) return sendJsonRpcError(res, 404, refusedCode, `Not found: the MCP endpoint is ${mcpPath}`);
  switch (req.method) {
    case 'POST':
      return handlePost(context, req, res);
    case 'GET':
    case 'DELETE':
      return context.sessions.forward(req.headers['mcp-session-id'], req, res);
    case 'OPTIONS':
      return void res.writeHead(204, { allow: 'GET, POST, DELETE, OPTIONS' }).end();
    default:
      return sendJsonRpcError(res, 405, refusedCode, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
  }
}

// The body is parsed here, not by the SDK, so every failure is a JSON-RPC error as JSON and batches can be refused.
async function handlePost(context: RouteContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
  if (sessionId !== undefined) return context.sessions.forward(sessionId, req, res, body.value);
  if (isInitialize(body.value)) return context.sessions.start(req, res, body.value);
  return sendJsonRpcError(res, 400, refusedCode, 'Bad Request: Mcp-Session-Id header is required');
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
  res.setHeader('access-control-expose-headers', 'mcp-session-id, mcp-protocol-version');
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AppError('SERVER_LISTEN_FAILED', `The MCP server could not listen on ${host}:${port} (${error.code ?? 'error'}).`, { cause: error }));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
