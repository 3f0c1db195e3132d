import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isJsonContentType } from '@modelcontextprotocol/sdk/shared/mediaType.js';
import type { ToolCatalog } from '../ToolCatalog.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { createMcpServer } from './createMcpServer.ts';
import { isAllowedHost } from './isAllowedHost.ts';
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
  /** A session with no request for this long is closed; default 30 min. */
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
  /** Closes every session (and its SSE streams) and the listener. */
  close(): Promise<void>;
}

interface Session {
  server: Server;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
}

/** Path of the MCP endpoint. */
export const mcpPath = '/mcp';

// JSON-RPC codes used on the HTTP layer (the SDK uses -32000 for transport-level refusals).
const parseErrorCode = -32700;
const invalidRequestCode = -32600;
const refusedCode = -32000;
const sessionNotFoundCode = -32001;

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
  const sessions = new Map<string, Session>();
  const state = { port: 0, pending: 0 };
  const settings = {
    allowedOrigins: new Set(options.allowedOrigins ?? []),
    idleMs: options.sessionIdleMs ?? 30 * 60_000,
    maxSessions: options.maxSessions ?? 100,
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    enableJsonResponse: options.enableJsonResponse ?? true,
  };

  const closeSession = (id: string) => {
    const session = sessions.get(id);
    if (!session) return;
    sessions.delete(id);
    void session.server.close().catch(() => {});
  };

  const startSession = async (req: IncomingMessage, res: ServerResponse, body: unknown) => {
    if (sessions.size + state.pending >= settings.maxSessions) {
      sendJsonRpcError(res, 503, refusedCode, 'Too many MCP sessions; close one and retry.', { 'retry-after': '5' });
      return;
    }
    state.pending++;
    const server = createMcpServer(options.catalog, { version: options.version, logger: options.logger });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: settings.enableJsonResponse,
      onsessioninitialized: (id) => void sessions.set(id, { server, transport, lastSeen: Date.now() }),
    });
    server.onclose = () => void (transport.sessionId && sessions.delete(transport.sessionId));
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    } finally {
      state.pending--;
      // An initialize that failed validation never got a session id: nothing can reach this server again.
      if (transport.sessionId === undefined) void server.close().catch(() => {});
    }
  };

  const handlePost = async (req: IncomingMessage, res: ServerResponse) => {
    if (!isJsonContentType(req.headers['content-type'])) {
      return sendJsonRpcError(res, 415, refusedCode, 'Unsupported Media Type: Content-Type must be application/json');
    }
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return sendJsonRpcError(res, 406, refusedCode, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    const body = await readJsonBody(req, settings.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'too-large') {
        return sendJsonRpcError(res, 413, refusedCode, `Payload Too Large: request body must not exceed ${settings.maxBodyBytes} bytes`, { connection: 'close' });
      }
      if (body.reason === 'aborted') return void res.destroy();
      return sendJsonRpcError(res, 400, parseErrorCode, 'Parse error: Invalid JSON');
    }
    if (Array.isArray(body.value)) return sendJsonRpcError(res, 400, invalidRequestCode, 'Invalid Request: JSON-RPC batches are not supported');
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId !== undefined) return forwardToSession(sessionId, req, res, body.value);
    if (isInitialize(body.value)) return startSession(req, res, body.value);
    return sendJsonRpcError(res, 400, refusedCode, 'Bad Request: Mcp-Session-Id header is required');
  };

  const forwardToSession = async (sessionId: string | string[] | undefined, req: IncomingMessage, res: ServerResponse, body?: unknown) => {
    if (sessionId === undefined) return sendJsonRpcError(res, 400, refusedCode, 'Bad Request: Mcp-Session-Id header is required');
    const session = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!session) return sendJsonRpcError(res, 404, sessionNotFoundCode, 'Session not found');
    session.lastSeen = Date.now();
    await session.transport.handleRequest(req, res, body);
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    if (!isAllowedHost(req.headers.host, state.port)) return sendJsonRpcError(res, 403, refusedCode, 'Forbidden: invalid Host header');
    const origin = req.headers.origin;
    if (origin !== undefined && !settings.allowedOrigins.has(origin)) return sendJsonRpcError(res, 403, refusedCode, 'Forbidden: invalid Origin header');
    if (origin !== undefined) setCorsHeaders(res, origin);
    if (req.headers.upgrade !== undefined) return sendJsonRpcError(res, 400, refusedCode, 'Protocol upgrades are not supported', { connection: 'close' });
    if (pathOf(req.url) !== mcpPath) return sendJsonRpcError(res, 404, refusedCode, `Not found: the MCP endpoint is ${mcpPath}`);
    switch (req.method) {
      case 'POST':
        return handlePost(req, res);
      case 'GET':
      case 'DELETE':
        return forwardToSession(req.headers['mcp-session-id'], req, res);
      case 'OPTIONS':
        return void res.writeHead(204, { allow: 'GET, POST, DELETE, OPTIONS' }).end();
      default:
        return sendJsonRpcError(res, 405, refusedCode, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
    }
  };

  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  // The timeouts are enforced by a periodic sweep; keep it at least as fine as the shortest timeout.
  const connectionsCheckingInterval = Math.max(50, Math.min(headersTimeout, requestTimeout) / 2);
  const serverOptions = { headersTimeout, requestTimeout, connectionsCheckingInterval, keepAliveTimeout: 5_000 };
  const httpServer = createServer(serverOptions, (req, res) => {
    route(req, res).catch((error: unknown) => {
      options.logger?.error('MCP request failed', { error });
      sendJsonRpcError(res, 500, refusedCode, 'Internal error');
    });
  });
  // With a listener, Node hands every Upgrade request here instead of the request handler: refuse them all.
  httpServer.on('upgrade', (_req, socket) => {
    socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}');
  });
  state.port = await listen(httpServer, options.port, host);
  for (const name of ['127.0.0.1', 'localhost', '[::1]']) settings.allowedOrigins.add(`http://${name}:${state.port}`);

  const unsubscribe = options.catalog.onToolsChanged(() => {
    for (const session of sessions.values()) void session.server.sendToolListChanged().catch(() => {});
  });
  const sweeper = setInterval(() => {
    const cutoff = Date.now() - settings.idleMs;
    for (const [id, session] of sessions) if (session.lastSeen < cutoff) closeSession(id);
  }, Math.max(10, Math.min(settings.idleMs / 2, 60_000)));
  sweeper.unref();

  return {
    url: `http://${host}:${state.port}${mcpPath}`,
    port: state.port,
    address: () => httpServer.address() as AddressInfo,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweeper);
      unsubscribe();
      await Promise.all([...sessions.values()].map((session) => session.server.close().catch(() => {})));
      sessions.clear();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
  };
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

function listen(server: ReturnType<typeof createServer>, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new AppError('SERVER_LISTEN_FAILED', `The MCP server could not listen on ${host}:${port} (${error.code ?? 'error'}).`, { cause: error }));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
