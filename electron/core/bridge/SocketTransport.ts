import type { Socket } from 'node:net';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import { JSONRPCMessageSchema, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { RequestRoutingTransport } from '../mcp/connectMcpServer.ts';

export interface SocketTransportOptions {
  /** A line (one message) longer than this closes the connection: the peer cannot make the app buffer without end. */
  maxLineBytes: number;
  /** Messages held while the connection waits for the user's approval; more closes the connection. */
  maxQueued: number;
}

// JSON-RPC 2.0 §5.1 codes for input that is not a message.
const parseErrorCode = -32700;
const invalidRequestCode = -32600;

/**
 * An MCP transport over one stream socket with the stdio framing: one JSON-RPC message per line, UTF-8, no embedded
 * newlines. It reads from the moment it is created and holds what arrives until `start()`, so the bridge can look at
 * the held messages (`heldMessage()`), answer what comes before `initialize` itself, and ask the user before any
 * `Server` sees the connection.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#stdio
 */
export class SocketTransport implements RequestRoutingTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  onrequest?: RequestRoutingTransport['onrequest'];
  /** Epoch ms of the last message received (for the window's "last seen"). */
  lastMessageAt = Date.now();
  readonly #socket: Socket;
  readonly #options: SocketTransportOptions;
  readonly #queue: JSONRPCMessage[] = [];
  readonly #heldWaiters: ((message: JSONRPCMessage | undefined) => void)[] = [];
  #pending: Buffer = Buffer.alloc(0);
  #started = false;
  #closed = false;

  constructor(socket: Socket, options: SocketTransportOptions) {
    this.#socket = socket;
    this.#options = options;
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', (error) => this.onerror?.(error));
    socket.on('close', () => this.#onSocketClosed());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The oldest message held for the `Server` (it stays held), or undefined once the connection closed. */
  heldMessage(): Promise<JSONRPCMessage | undefined> {
    if (this.#queue.length > 0 || this.#closed) return Promise.resolve(this.#queue[0]);
    return new Promise((resolve) => this.#heldWaiters.push(resolve));
  }

  /** Drops the oldest held message: the bridge answered it itself, and the `Server` must never see it. */
  dropHeldMessage(): void {
    this.#queue.shift();
  }

  /** Delivers the messages held so far, then every later one as it arrives (called by `Server.connect`). */
  async start(): Promise<void> {
    this.#started = true;
    for (const message of this.#queue.splice(0)) this.onmessage?.(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed || !this.#socket.writable) throw new Error('The bridge connection is closed');
    await new Promise<void>((resolve, reject) => this.#socket.write(serializeMessage(message), (error) => (error ? reject(error) : resolve())));
  }

  /** Answers a request with a JSON-RPC error (null id: the request could not be read). */
  sendError(id: RequestId | null, code: number, message: string): Promise<void> {
    return this.send({ jsonrpc: '2.0', id, error: { code, message } } as JSONRPCMessage);
  }

  /** Ends the connection: written data is flushed first, then a peer that does not close its side is cut off. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#socket.end();
    setTimeout(() => this.#socket.destroy(), 1000).unref();
    this.#onSocketClosed();
  }

  #onSocketClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.length = 0;
    for (const resolve of this.#heldWaiters.splice(0)) resolve(undefined);
    this.onclose?.();
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return;
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    let newline: number;
    while (!this.#closed && (newline = this.#pending.indexOf(0x0a)) !== -1) {
      const line = this.#pending.subarray(0, newline);
      this.#pending = this.#pending.subarray(newline + 1);
      if (line.length > this.#options.maxLineBytes) return this.#refuse(`A message is longer than ${this.#options.maxLineBytes} bytes`);
      this.#receiveLine(line.toString('utf8').replace(/\r$/, ''));
    }
    if (this.#pending.length > this.#options.maxLineBytes) this.#refuse(`A message is longer than ${this.#options.maxLineBytes} bytes`);
  }

  #receiveLine(line: string): void {
    if (line.trim() === '') return;
    const parsed = parseLine(line);
    // Like a stdio server, a line that is not a message is answered and skipped; the session goes on.
    if (!parsed.ok) return void this.sendError(null, parsed.code, parsed.reason).catch(() => {});
    this.lastMessageAt = Date.now();
    this.#deliver(parsed.message);
  }

  #deliver(message: JSONRPCMessage): void {
    if (this.#started) return this.onrequest && 'method' in message && 'id' in message ? this.onrequest(message) : this.onmessage?.(message);
    if (this.#queue.length >= this.#options.maxQueued) return this.#refuse('Too many messages before the client was approved');
    this.#queue.push(message);
    for (const resolve of this.#heldWaiters.splice(0)) resolve(this.#queue[0]);
  }

  #refuse(reason: string): void {
    this.onerror?.(new Error(reason));
    this.sendError(null, invalidRequestCode, reason).catch(() => {}).finally(() => void this.close());
  }
}

type ParsedLine = { ok: true; message: JSONRPCMessage } | { ok: false; code: number; reason: string };

function parseLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, code: parseErrorCode, reason: 'Parse error: a line is not valid JSON' };
  }
  const message = JSONRPCMessageSchema.safeParse(value);
  return message.success ? { ok: true, message: message.data } : { ok: false, code: invalidRequestCode, reason: 'Invalid Request: not a JSON-RPC 2.0 message' };
}
