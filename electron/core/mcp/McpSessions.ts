import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Principal } from '../clients/LocalAuthority.ts';
import type { Logger } from '../log/Logger.ts';
import { connectMcpServer } from './connectMcpServer.ts';
import { createMcpServer } from './createMcpServer.ts';
import { JsonHttpTransport } from './JsonHttpTransport.ts';
import { sendJsonRpcError } from './sendJsonRpcError.ts';
import type { ToolGateway } from './ToolGateway.ts';

export interface McpSessionsOptions {
  gateway: ToolGateway;
  version: string;
  /** The client as it is now (scopes, allow-list), or undefined once revoked. */
  principalOf(clientId: string): Principal | undefined;
  logger?: Logger;
  /** Sessions of all clients together; default 100. */
  maxSessions: number;
  /** Sessions of one client; default 16. */
  maxSessionsPerClient: number;
  /** A session with no open GET stream and no request for this long is closed. */
  idleMs: number;
  /** A session counts as live while a GET stream is open or for this long after its last request. */
  liveMs: number;
  enableJsonResponse: boolean;
  now(): number;
  /** How often idle sessions are closed and liveness is re-checked. */
  sweepIntervalMs: number;
}

/** A live session as the app shows it: whose, who (from `initialize`), since when, last request. Dates: epoch ms. */
export interface LiveSession {
  clientId: string;
  /** A prefix of the session id: enough to tell sessions apart, too short to reuse. */
  id: string;
  clientName?: string;
  clientVersion?: string;
  connectedAt: number;
  lastSeenAt: number;
  /** A GET stream is open: the client is listening for notifications (unknown for bridge sessions). */
  listening?: boolean;
}

/** JsonHttpTransport, or the SDK's Streamable HTTP transport when POSTs are answered as SSE streams. */
type SessionTransport = Transport & { handleRequest(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void> };

interface Session {
  /** The approved client that opened it; only that client's credential reaches it. */
  clientId: string;
  connectedAt: number;
  server: Server;
  transport: SessionTransport;
  lastSeen: number;
  /** Open GET streams: a client listening for notifications is live and not idle. */
  streams: number;
}

/**
 * The MCP sessions: one SDK `Server` and Streamable HTTP transport each, created on `initialize` and bound to the
 * client whose credential opened it. Capped per client and in total, where a full cap first closes the stalest
 * session without a stream (of that client, or of the client holding the most), so no client can lock out another;
 * evicted when idle; closed at once when their client is revoked.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#session-hijacking
 */
export class McpSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #options: McpSessionsOptions;
  readonly #sweeper: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  readonly #listeners = new Set<() => void>();
  readonly #pending = new Map<string, number>();
  #liveSignature = '';

  constructor(options: McpSessionsOptions) {
    this.#options = options;
    this.#unsubscribe = options.gateway.onToolsChanged(() => this.notifyToolsChanged());
    this.#sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs);
    this.#sweeper.unref();
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Handles an `initialize` POST in a new session of this client, making room within the caps if it can. */
  async start(req: IncomingMessage, res: ServerResponse, body: unknown, principal: Principal): Promise<void> {
    const { clientId } = principal;
    const transport: SessionTransport = await this.#createTransport((id) => {
      const now = this.#options.now();
      this.#sessions.set(id, { clientId, server, transport, connectedAt: now, lastSeen: now, streams: 0 });
    });
    const refusal = this.#makeRoom(clientId);
    if (refusal) return sendJsonRpcError(res, refusal.status, -32000, refusal.message, { 'retry-after': '5' });
    this.#pending.set(clientId, (this.#pending.get(clientId) ?? 0) + 1);
    const server = createMcpServer(this.#options.gateway, { version: this.#options.version, logger: this.#options.logger, principal: () => this.#options.principalOf(clientId) });
    server.onclose = () => {
      if (transport.sessionId && this.#sessions.delete(transport.sessionId)) this.#changed();
    };
    try {
      await connectMcpServer(server, transport);
      await transport.handleRequest(req, res, body);
      // Announced once the server has read clientInfo, so the window shows the client's name at once.
      if (transport.sessionId !== undefined && this.#sessions.has(transport.sessionId)) this.#changed();
    } finally {
      this.#pending.set(clientId, this.#pending.get(clientId)! - 1);
      // An initialize that failed validation never got a session id: nothing can reach this server again.
      if (transport.sessionId === undefined) void server.close().catch(() => {});
    }
  }

  /**
   * JSON responses (the default) use the app's own transport: no per-request leak (SDK issue #2559) and no web-stream
   * adapters. The SDK's transport, loaded only then, serves the SSE-response mode.
   */
  async #createTransport(onsessioninitialized: (sessionId: string) => void): Promise<SessionTransport> {
    if (this.#options.enableJsonResponse) return new JsonHttpTransport({ sessionIdGenerator: randomUUID, onsessioninitialized });
    const { StreamableHTTPServerTransport } = await import('@modelcontextprotocol/sdk/server/streamableHttp.js');
    return new StreamableHTTPServerTransport({ sessionIdGenerator: randomUUID, onsessioninitialized });
  }

  /**
   * Hands a request to its session's transport: 400 without a session id; 404 for an unknown one and for another
   * client's session alike, so a session id tells a client nothing it could use.
   */
  async forward(sessionId: string | string[] | undefined, req: IncomingMessage, res: ServerResponse, principal: Principal, body?: unknown): Promise<void> {
    if (sessionId === undefined) return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
    const session = this.#session(sessionId, principal);
    if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found');
    const wasLive = this.#isLive(session, this.#options.now());
    this.#touch(session, res);
    if (req.method === 'GET') {
      session.streams++;
      res.once('close', () => session.streams--);
    }
    if (!wasLive) this.#changed();
    await session.transport.handleRequest(req, res, body);
  }

  /** The session with this id if it belongs to this client. */
  #session(sessionId: string | string[], principal: Principal): Session | undefined {
    const session = typeof sessionId === 'string' ? this.#sessions.get(sessionId) : undefined;
    return session?.clientId === principal.clientId ? session : undefined;
  }

  /** Live sessions (an open GET stream, or a request within `liveMs`), oldest first; never a full session id. */
  live(): LiveSession[] {
    const now = this.#options.now();
    return [...this.#sessions].filter(([, session]) => this.#isLive(session, now)).map(([id, session]) => {
      const client = session.server.getClientVersion();
      return { clientId: session.clientId, id: id.slice(0, 8), clientName: client?.name, clientVersion: client?.version, connectedAt: session.connectedAt, lastSeenAt: session.lastSeen, listening: session.streams > 0 };
    });
  }

  /** Called when the live sessions change: opened, closed, gone quiet or back. */
  onChanged(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends `notifications/tools/list_changed` on every session's GET stream, or on one client's only. */
  notifyToolsChanged(clientId?: string): void {
    for (const session of this.#sessions.values()) {
      if (clientId === undefined || session.clientId === clientId) void session.server.sendToolListChanged().catch(() => {});
    }
  }

  /** Closes every session of this client with its streams and requests in flight (revocation). */
  closeClient(clientId: string): void {
    for (const [id, session] of this.#sessions) if (session.clientId === clientId) this.#close(id, session);
  }

  /** Closes idle sessions and announces sessions that stopped (or started) being live. */
  sweep(): void {
    const now = this.#options.now();
    for (const [id, session] of this.#sessions) {
      if (session.streams === 0 && now - session.lastSeen >= this.#options.idleMs) this.#close(id, session);
    }
    if (this.#signature(now) !== this.#liveSignature) this.#changed();
  }

  /** Stops eviction and notifications and closes every session with its streams. */
  async closeAll(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#unsubscribe();
    this.#listeners.clear();
    const closing = [...this.#sessions.values()].map((session) => session.server.close().catch(() => {}));
    this.#sessions.clear();
    await Promise.all(closing);
  }

  // Per-client cap first, then the total: each full cap closes the stalest idle session it may, or refuses.
  #makeRoom(clientId: string): { status: number; message: string } | undefined {
    const own = (id: string) => this.#count(id) + (this.#pending.get(id) ?? 0);
    if (own(clientId) >= this.#options.maxSessionsPerClient && !this.#evictStalest(clientId)) {
      return { status: 429, message: 'Too many MCP sessions for this client; end one (DELETE) and retry.' };
    }
    const total = this.#sessions.size + [...this.#pending.values()].reduce((sum, n) => sum + n, 0);
    if (total >= this.#options.maxSessions && !this.#evictStalest(this.#busiestClient())) {
      return { status: 503, message: 'Too many MCP sessions; close one and retry.' };
    }
    return undefined;
  }

  #evictStalest(clientId: string | undefined): boolean {
    let stalest: [string, Session] | undefined;
    for (const entry of this.#sessions) {
      if (entry[1].clientId !== clientId || entry[1].streams > 0) continue;
      if (!stalest || entry[1].lastSeen < stalest[1].lastSeen) stalest = entry;
    }
    if (stalest) this.#close(...stalest);
    return stalest !== undefined;
  }

  #busiestClient(): string | undefined {
    const counts = new Map<string, number>();
    for (const session of this.#sessions.values()) if (session.streams === 0) counts.set(session.clientId, (counts.get(session.clientId) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  #count(clientId: string): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (session.clientId === clientId) count++;
    return count;
  }

  // A request counts from its arrival to its answer, so a long tool call keeps its session live.
  #touch(session: Session, res: ServerResponse): void {
    session.lastSeen = this.#options.now();
    res.once('close', () => (session.lastSeen = this.#options.now()));
  }

  #isLive(session: Session, now: number): boolean {
    return session.streams > 0 || now - session.lastSeen < this.#options.liveMs;
  }

  #signature(now: number): string {
    return [...this.#sessions].filter(([, session]) => this.#isLive(session, now)).map(([id]) => id).join(',');
  }

  #close(id: string, session: Session): void {
    if (!this.#sessions.delete(id)) return;
    void session.server.close().catch(() => {});
    this.#changed();
  }

  #changed(): void {
    this.#liveSignature = this.#signature(this.#options.now());
    for (const listener of this.#listeners) listener();
  }
}
