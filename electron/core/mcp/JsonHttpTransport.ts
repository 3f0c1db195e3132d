import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { SUPPORTED_PROTOCOL_VERSIONS, type JSONRPCMessage, type MessageExtraInfo, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { RequestRoutingTransport } from './connectMcpServer.ts';
import { toJsonRpcMessage } from './toJsonRpcMessage.ts';
import { serializeMessage } from './serializeMessage.ts';
import { sendJsonRpcError } from './sendJsonRpcError.ts';

export interface JsonHttpTransportOptions {
  /** Called on `initialize` for the new session's id. */
  sessionIdGenerator: () => string;
  /** Called once the session has its id, before the initialize request is handled. */
  onsessioninitialized?: (sessionId: string) => void;
  /** Called when the client ends the session with DELETE. */
  onsessionclosed?: (sessionId: string) => void;
  /** Interval of SSE comment frames on the GET stream (they reveal clients that went away); default 15 s. */
  keepAliveMs?: number;
}

/** A POST waiting for its answer, and the HTTP response it goes to. */
interface PendingRequest {
  res: ServerResponse;
  /** Set once a notification of this request went out: the response became an SSE stream, the answer its last event. */
  streaming?: boolean;
}

const sseHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };

/**
 * One MCP session over Streamable HTTP, answering every POST with plain JSON, on node:http directly: the SDK
 * `Server` sees the SDK's own `Transport` seam, without the SDK transport's web-standard Request/Response and
 * stream adapters, and without its per-request bookkeeping that JSON mode never frees (SDK issue #2559). A request's
 * entry lives from its POST until its answer is written or the client disconnects.
 *
 * What the SDK transport checks, this checks: Accept and Content-Type, a JSON-RPC message shape, re-initialization,
 * the session id, the `MCP-Protocol-Version` header, one GET stream per session. Host, Origin, body size, JSON parsing
 * and batch refusal happen before (serveMcp). Notifications and client responses get 202. Server-initiated messages
 * go to the GET stream. A request's own notifications (progress while a call waits for the user's approval) turn
 * that POST's answer into an SSE stream, the answer its last event; every other answer stays one JSON body.
 *
 * Message handling (`#receive`) knows nothing of sessions, so a stateless protocol revision (2026-07-28, no
 * initialize) can be served next to this one by a per-request transport built on the same pieces.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http
 * @see https://github.com/modelcontextprotocol/typescript-sdk/issues/2559
 */
export class JsonHttpTransport implements RequestRoutingTransport {
  sessionId?: string;
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  onrequest?: RequestRoutingTransport['onrequest'];

  readonly #options: JsonHttpTransportOptions;
  readonly #pending = new Map<RequestId, PendingRequest>();
  #stream?: ServerResponse;
  #keepAlive?: NodeJS.Timeout;
  #closed = false;

  constructor(options: JsonHttpTransportOptions) {
    this.#options = options;
  }

  /** Requests waiting for an answer (for tests: nothing may be left behind). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  async start(): Promise<void> {}

  /**
   * Handles one HTTP request for this session. `parsedBody` is the POST body already parsed (serveMcp reads it);
   * `req.auth`, when set by the caller, reaches request handlers as `extra.authInfo`, as with the SDK transport.
   */
  async handleRequest(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, parsedBody?: unknown): Promise<void> {
    if (req.method === 'POST') return this.#handlePost(req, res, parsedBody);
    if (req.method === 'GET') return this.#handleGet(req, res);
    if (req.method === 'DELETE') return this.#handleDelete(req, res);
    sendJsonRpcError(res, 405, -32000, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
  }

  async #handlePost(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse, body: unknown): Promise<void> {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return sendJsonRpcError(res, 406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    if (Array.isArray(body)) return sendJsonRpcError(res, 400, -32600, 'Invalid Request: JSON-RPC batches are not supported');
    const message = toJsonRpcMessage(body);
    if (!message) return sendJsonRpcError(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
    const initialize = 'method' in message && message.method === 'initialize' && 'id' in message;
    const refusal = initialize ? this.#startSession() : this.#checkSession(req);
    if (refusal) return sendJsonRpcError(res, refusal.status, refusal.code, refusal.message);
    if (this.#closed) return sendJsonRpcError(res, 404, -32001, 'Session not found');
    const extra: MessageExtraInfo = { authInfo: req.auth, requestInfo: { headers: req.headers } };
    if (!('method' in message) || !('id' in message)) {
      res.writeHead(202).end();
      return this.#receive(message, extra);
    }
    const { id } = message;
    if (this.#pending.has(id)) return sendJsonRpcError(res, 409, -32600, 'Invalid Request: a request with this id is still running');
    this.#pending.set(id, { res });
    // A client that disconnects before its answer leaves nothing behind; the late answer is dropped in send().
    res.once('close', () => {
      if (this.#pending.get(id)?.res === res) this.#pending.delete(id);
    });
    this.#receive(message, extra);
  }

  /** Hands one message to the SDK `Server` (a request straight to its handling); session-free, for a stateless revision. */
  #receive(message: JSONRPCMessage, extra: MessageExtraInfo): void {
    try {
      if (this.onrequest && 'method' in message && 'id' in message) this.onrequest(message, extra);
      else this.onmessage?.(message, extra);
    } catch (error) {
      this.onerror?.(error as Error);
    }
  }

  #startSession(): { status: number; code: number; message: string } | undefined {
    if (this.sessionId !== undefined) return { status: 400, code: -32600, message: 'Invalid Request: Server already initialized' };
    this.sessionId = this.#options.sessionIdGenerator();
    this.#options.onsessioninitialized?.(this.sessionId);
    return undefined;
  }

  /** Session id and protocol version of a request after initialize, as the SDK transport checks them. */
  #checkSession(req: IncomingMessage): { status: number; code: number; message: string } | undefined {
    if (this.sessionId === undefined) return { status: 400, code: -32000, message: 'Bad Request: Server not initialized' };
    const sessionId = req.headers['mcp-session-id'];
    if (sessionId === undefined) return { status: 400, code: -32000, message: 'Bad Request: Mcp-Session-Id header is required' };
    if (sessionId !== this.sessionId) return { status: 404, code: -32001, message: 'Session not found' };
    const version = req.headers['mcp-protocol-version'];
    if (version !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(String(version))) {
      const supported = SUPPORTED_PROTOCOL_VERSIONS.join(', ');
      return { status: 400, code: -32000, message: `Bad Request: Unsupported protocol version: ${String(version)} (supported versions: ${supported})` };
    }
    return undefined;
  }

  async #handleGet(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      return sendJsonRpcError(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
    }
    const refusal = this.#checkSession(req);
    if (refusal) return sendJsonRpcError(res, refusal.status, refusal.code, refusal.message);
    if (this.#stream) return sendJsonRpcError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    this.#stream = res;
    res.writeHead(200, { ...sseHeaders, 'mcp-session-id': this.sessionId! });
    res.flushHeaders();
    const keepAlive = setInterval(() => res.write(': keepalive\n\n'), this.#options.keepAliveMs ?? 15_000);
    keepAlive.unref();
    this.#keepAlive = keepAlive;
    res.once('close', () => {
      clearInterval(keepAlive);
      if (this.#stream === res) this.#stream = undefined;
    });
  }

  async #handleDelete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = this.#checkSession(req);
    if (refusal) return sendJsonRpcError(res, refusal.status, refusal.code, refusal.message);
    this.#options.onsessionclosed?.(this.sessionId!);
    res.writeHead(200).end();
    await this.close();
  }

  /**
   * Answers go to the POST that asked (and free its entry); other server messages go to the GET stream when one is
   * open. An answer whose client has gone is dropped, as is anything after close.
   */
  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (!('method' in message)) {
      if (message.id === undefined) return void this.onerror?.(new Error('An error response without an id has no request to answer'));
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      if (pending.streaming) return void pending.res.end(toSseEvent(message));
      const body = serializeMessage(message);
      const length = typeof body === 'string' ? Buffer.byteLength(body) : body.reduce((sum, chunk) => sum + chunk.length, 0);
      const headers = ['content-type', 'application/json', 'content-length', String(length)];
      if (this.sessionId) headers.push('mcp-session-id', this.sessionId);
      pending.res.writeHead(200, headers);
      // A string goes out in one write with the head (Node joins them); a cached tools/list goes out without a copy.
      if (typeof body === 'string') return void pending.res.end(body);
      for (const chunk of body.slice(0, -1)) pending.res.write(chunk);
      pending.res.end(body.at(-1));
      return;
    }
    if (options?.relatedRequestId !== undefined) return this.#sendOnRequestStream(options.relatedRequestId, message);
    this.#stream?.write(toSseEvent(message));
  }

  /**
   * A message about a request still waiting for its answer goes on that request's own response, which becomes an SSE
   * stream (the client accepts both, as it must), so clients that never open the GET stream see it too.
   *
   * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#sending-messages-to-the-server
   */
  #sendOnRequestStream(id: RequestId, message: JSONRPCMessage): void {
    const pending = this.#pending.get(id);
    if (!pending) return; // answered already, or its client has gone
    if (!pending.streaming) {
      pending.streaming = true;
      pending.res.writeHead(200, { ...sseHeaders, ...(this.sessionId ? { 'mcp-session-id': this.sessionId } : {}) });
    }
    pending.res.write(toSseEvent(message));
  }

  /** Ends the GET stream, answers waiting POSTs with "Session not found", and reports the close once. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#stream?.end();
    this.#stream = undefined;
    for (const { res } of this.#pending.values()) {
      if (res.headersSent) res.end(); // a request's SSE stream: it ends without an answer, as the session did
      else sendJsonRpcError(res, 404, -32001, 'Session not found');
    }
    this.#pending.clear();
    this.onclose?.();
  }
}

function toSseEvent(message: JSONRPCMessage): string {
  return `event: message\ndata: ${JSON.stringify(message)}\n\n`;
}
