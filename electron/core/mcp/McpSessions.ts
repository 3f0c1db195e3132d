import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { ToolCatalog } from '../ToolCatalog.ts';
import type { Logger } from '../log/Logger.ts';
import { createMcpServer } from './createMcpServer.ts';
import { sendJsonRpcError } from './sendJsonRpcError.ts';

export interface McpSessionsOptions {
  catalog: ToolCatalog;
  version: string;
  logger?: Logger;
  maxSessions: number;
  idleMs: number;
  enableJsonResponse: boolean;
}

/** A connected client as the app shows it: who (from `initialize`), since when, last request. */
export interface McpClientInfo {
  /** A prefix of the session id: enough to tell sessions apart, too short to reuse. */
  id: string;
  name?: string;
  version?: string;
  connectedAt: number;
  lastSeenAt: number;
}

interface Session {
  connectedAt: number;
  server: Server;
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** Open GET streams: a client listening for notifications is not idle. */
  streams: number;
}

/**
 * The live MCP sessions: one SDK `Server` and Streamable HTTP transport each, created on `initialize`, capped in
 * number, evicted when idle, and told when the catalog's tools change.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#session-management
 */
export class McpSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #options: McpSessionsOptions;
  readonly #sweeper: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  readonly #clientListeners = new Set<() => void>();
  #pending = 0;

  constructor(options: McpSessionsOptions) {
    this.#options = options;
    this.#unsubscribe = options.catalog.onToolsChanged(() => this.notifyToolsChanged());
    this.#sweeper = setInterval(() => this.evictIdle(Date.now()), Math.max(10, Math.min(options.idleMs / 2, 60_000)));
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Handles an `initialize` POST in a new session, or answers 503 when the cap is reached. */
  async start(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (this.#sessions.size + this.#pending >= this.#options.maxSessions) {
      return sendJsonRpcError(res, 503, -32000, 'Too many MCP sessions; close one and retry.', { 'retry-after': '5' });
    }
    this.#pending++;
    const server = createMcpServer(this.#options.catalog, { version: this.#options.version, logger: this.#options.logger });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      enableJsonResponse: this.#options.enableJsonResponse,
      onsessioninitialized: (id) => {
        this.#sessions.set(id, { server, transport, connectedAt: Date.now(), lastSeen: Date.now(), streams: 0 });
        this.#clientsChanged();
      },
    });
    server.onclose = () => {
      if (transport.sessionId && this.#sessions.delete(transport.sessionId)) this.#clientsChanged();
    };
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      // onsessioninitialized fires before the server has read clientInfo: announce again now that the name is known.
      if (transport.sessionId !== undefined && this.#sessions.has(transport.sessionId)) this.#clientsChanged();
    } finally {
      this.#pending--;
      // An initialize that failed validation never got a session id: nothing can reach this server again.
      if (transport.sessionId === undefined) void server.close().catch(() => {});
    }
  }

  /** Hands a request to its session's transport; 400 without a session id, 404 for an unknown one (spec). */
  async forward(sessionId: string | string[] | undefined, req: IncomingMessage, res: ServerResponse, body?: unknown): Promise<void> {
    if (sessionId === undefined) return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    const session = typeof sessionId === 'string' ? this.#sessions.get(sessionId) : undefined;
    if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found');
    session.lastSeen = Date.now();
    if (req.method === 'GET') {
      session.streams++;
      res.once('close', () => {
        session.streams--;
        session.lastSeen = Date.now();
      });
    }
    await session.transport.handleRequest(req, res, body);
  }

  /** The connected clients, oldest first; never the full session id. */
  clients(): McpClientInfo[] {
    return [...this.#sessions].map(([id, session]) => {
      const client = session.server.getClientVersion();
      return { id: id.slice(0, 8), name: client?.name, version: client?.version, connectedAt: session.connectedAt, lastSeenAt: session.lastSeen };
    });
  }

  /** Called when a client connects or its session ends (closed, deleted or evicted). */
  onClientsChanged(listener: () => void): () => void {
    this.#clientListeners.add(listener);
    return () => this.#clientListeners.delete(listener);
  }

  #clientsChanged(): void {
    for (const listener of this.#clientListeners) listener();
  }

  /** Sends `notifications/tools/list_changed` on every session's GET stream. */
  notifyToolsChanged(): void {
    for (const session of this.#sessions.values()) void session.server.sendToolListChanged().catch(() => {});
  }

  /**
   * Closes sessions with no open GET stream that saw no request for `idleMs`. A connected client keeps its stream
   * open (SSE keep-alives reveal dead ones); sessions left behind by clients that went away are what this reclaims.
   */
  evictIdle(now: number): void {
    const cutoff = now - this.#options.idleMs;
    for (const [id, session] of this.#sessions) {
      if (session.streams > 0 || session.lastSeen >= cutoff) continue;
      this.#sessions.delete(id);
      void session.server.close().catch(() => {});
      this.#clientsChanged();
    }
  }

  /** Stops eviction and notifications and closes every session with its streams. */
  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#unsubscribe();
    this.#clientListeners.clear();
    const closing = [...this.#sessions.values()].map((session) => session.server.close().catch(() => {}));
    this.#sessions.clear();
    await Promise.all(closing);
  }
}
