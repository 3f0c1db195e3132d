import { randomBytes } from 'node:crypto';
import { chmod, lstat, rm } from 'node:fs/promises';
import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { isInitializeRequest, isJSONRPCRequest, type InitializeRequest, type JSONRPCMessage, type JSONRPCRequest } from '@modelcontextprotocol/sdk/types.js';
import type { BridgeClientInfo, LocalAuthority, Principal } from '../clients/LocalAuthority.ts';
import { AppError } from '../errors.ts';
import type { Logger } from '../log/Logger.ts';
import { connectMcpServer } from '../mcp/connectMcpServer.ts';
import { ensurePrivateDir } from '../store/writeFileAtomic.ts';
import { bridgeSocketDir, bridgeSocketPath } from './bridgeSocketPath.ts';
import { SocketTransport } from './SocketTransport.ts';

export interface ServeBridgeSocketOptions {
  /** The app's data folder: the socket is `<dataDir>/run/bridge.sock` (a named pipe on Windows). */
  dataDir: string;
  /** Asks the user to approve a bridge client, tells who is still approved, and reports revocations. */
  authority: Pick<LocalAuthority, 'authorizeBridgeClient' | 'principalOf' | 'onClientChanged'>;
  /** One SDK `Server` per approved connection, acting for that client. */
  createServer(principal: Principal): Server;
  /** Called after the tool list changed, so every bridge session gets `notifications/tools/list_changed`. */
  onToolsChanged?(listener: () => void): () => void;
  logger?: Logger;
  /** Open connections beyond this are refused; default 32. */
  maxConnections?: number;
  /** A connection that sends no `initialize` in this time is closed (answered probes do not extend it); default 30 s. */
  initializeTimeoutMs?: number;
  /** Longest accepted message line; default 4 MiB (the SDK's stdio transport allows 10 MiB in all). */
  maxLineBytes?: number;
  /** Platform override, for the path (tests). */
  platform?: NodeJS.Platform;
}

/** A live bridge session, as the window shows it (the shape of McpSessions' LiveSession): who, since when, last message. */
export interface BridgeSessionInfo {
  /** Random, per connection; tells sessions apart. */
  id: string;
  clientId: string;
  clientName: string;
  clientVersion?: string;
  connectedAt: number;
  lastSeenAt: number;
  /** Always true: one duplex connection carries the client's notifications for as long as it is open. */
  listening: true;
}

export interface BridgeSocketServer {
  /** The socket file, or the pipe name on Windows. */
  path: string;
  liveSessions(): BridgeSessionInfo[];
  /** Called when a bridge session starts or ends. */
  onSessionsChanged(listener: () => void): () => void;
  /** Closes every bridge connection and stops listening (the socket file is removed). */
  close(): Promise<void>;
}

interface Connection {
  info: BridgeSessionInfo;
  server: Server;
  transport: SocketTransport;
}

// Not an MCP-defined code: a JSON-RPC server error (-32000 to -32099) for "the user did not approve this client".
const accessDeniedCode = -32001;
const refusedCode = -32000;
const methodNotFoundCode = -32601;
// Requests and notifications a connection may send before initialize (a dual-era client sends one probe).
const maxEarlyMessages = 8;

/**
 * Serves MCP to stdio bridges (`npm start -- --stdio`, or the app started with `--stdio`) on a local socket the user
 * alone can reach: a Unix domain socket 0600 in a 0700 folder of the data directory, or a named pipe on Windows.
 * Each connection carries newline-delimited JSON-RPC (the MCP stdio framing); its `initialize` asks the user to
 * approve the client (`authorizeBridgeClient`), denial answers with an error and closes, approval starts a session
 * with its own `Server`. Requests before `initialize` (a 2026-07-28 client's `server/discover` probe) get an error
 * and the connection stays open for the `initialize` that follows. Revoking the client closes its connections. A
 * stale socket file left by a crash is replaced; a live one (another running app) is never taken over: that rejects
 * with BRIDGE_IN_USE.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#stdio
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices#local-mcp-server-compromise
 */
export async function serveBridgeSocket(options: ServeBridgeSocketOptions): Promise<BridgeSocketServer> {
  const platform = options.platform ?? process.platform;
  const socketPath = bridgeSocketPath({ dataDir: options.dataDir, platform });
  const connections = new Set<Connection>();
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((listener) => listener());
  // Every open socket, approved or still waiting for the user: closing the app must not wait for any of them.
  const sockets = new Set<Socket>();
  const netServer = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    acceptConnection(socket, { options, connections, changed }).catch((error: unknown) => {
      options.logger?.error('bridge connection failed', { error });
      socket.destroy();
    });
  });
  netServer.maxConnections = options.maxConnections ?? 32;
  if (platform !== 'win32') await ensurePrivateDir(bridgeSocketDir(options.dataDir));
  await listenExclusive(netServer, socketPath, platform);
  const stops = [
    options.authority.onClientChanged((clientId) => onClientChanged(clientId, options.authority, connections)),
    options.onToolsChanged?.(() => connections.forEach(({ server }) => void server.sendToolListChanged().catch(() => {}))) ?? (() => {}),
  ];
  return {
    path: socketPath,
    liveSessions: () => [...connections].map(({ info, transport }) => ({ ...info, lastSeenAt: transport.lastMessageAt })),
    onSessionsChanged: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    close: async () => {
      stops.forEach((stop) => stop());
      listeners.clear();
      await Promise.all([...connections].map(({ server }) => server.close().catch(() => {})));
      const closed = new Promise<void>((resolve) => netServer.close(() => resolve()));
      sockets.forEach((socket) => socket.destroy());
      await closed;
    },
  };
}

interface ConnectionContext {
  options: ServeBridgeSocketOptions;
  connections: Set<Connection>;
  changed(): void;
}

/** Waits for initialize, asks the user, then hands the connection to a `Server` of its own, or refuses it. */
async function acceptConnection(socket: Socket, context: ConnectionContext): Promise<void> {
  const { options } = context;
  const transport = new SocketTransport(socket, { maxLineBytes: options.maxLineBytes ?? 4 * 1024 * 1024, maxQueued: 64 });
  transport.onerror = (error) => options.logger?.debug('bridge connection error', { error });
  // A deadline, not an idle timeout: answered probes must not keep a connection open without initialize.
  const deadline = setTimeout(() => void transport.close(), options.initializeTimeoutMs ?? 30_000);
  const initialize = await awaitInitialize(transport).finally(() => clearTimeout(deadline));
  if (initialize === undefined) return;
  const info = initializeClientInfo(initialize);
  const principal = await options.authority.authorizeBridgeClient(info);
  if (transport.closed) return; // the bridge went away while the user was deciding
  if (!principal) return refuse(transport, initialize, accessDeniedCode, `Access denied: "${info.name}" was not approved in GraphQL MCP Desktop.`);
  await startSession(transport, principal, info, context);
}

/**
 * The connection's initialize request (still held for the `Server`), or undefined once the connection closed. What
 * comes before it is answered here and never reaches a `Server`: a request gets an error, so a client of the
 * 2026-07-28 revision probing with `server/discover` falls back to initialize on the same connection; a notification
 * is dropped. More than `maxEarlyMessages` of them close the connection.
 *
 * @see https://modelcontextprotocol.io/specification/2026-07-28/basic/transports/stdio#backward-compatibility
 */
async function awaitInitialize(transport: SocketTransport): Promise<(JSONRPCMessage & InitializeRequest) | undefined> {
  for (let early = 0; ; early++) {
    const message = await transport.heldMessage();
    if (message === undefined || isInitializeMessage(message)) return message;
    transport.dropHeldMessage();
    if (early === maxEarlyMessages) return void (await refuse(transport, message, refusedCode, 'Too many messages before initialize.'));
    if (isJSONRPCRequest(message)) await answerEarlyRequest(transport, message);
  }
}

// `server/discover` is a method 2025 servers lack: -32601 is the error every dual-era client reads as "legacy".
function answerEarlyRequest(transport: SocketTransport, request: JSONRPCRequest): Promise<void> {
  const method = request.method.slice(0, 100);
  const code = method === 'server/discover' ? methodNotFoundCode : refusedCode;
  return transport.sendError(request.id, code, `This server speaks MCP 2025-11-25 on the bridge: send initialize before ${method}.`).catch(() => {});
}

async function startSession(transport: SocketTransport, principal: Principal, client: BridgeClientInfo, context: ConnectionContext): Promise<void> {
  const server = context.options.createServer(principal);
  const now = Date.now();
  const connection: Connection = {
    server, transport,
    info: { id: randomBytes(4).toString('hex'), clientId: principal.clientId, clientName: client.name, clientVersion: client.version, connectedAt: now, lastSeenAt: now, listening: true },
  };
  server.onclose = () => {
    if (context.connections.delete(connection)) context.changed();
  };
  context.connections.add(connection);
  await connectMcpServer(server, transport); // delivers the held initialize (and anything after it) to the Server
  if (transport.closed) return void server.close().catch(() => {});
  context.changed();
}

/** Answers `refused` (its id when it is a request) with an error, then closes the connection. */
async function refuse(transport: SocketTransport, refused: JSONRPCMessage, code: number, message: string): Promise<void> {
  await transport.sendError(isJSONRPCRequest(refused) ? refused.id : null, code, message).catch(() => {});
  await transport.close();
}

function isInitializeMessage(message: JSONRPCMessage): message is JSONRPCMessage & InitializeRequest {
  return isJSONRPCRequest(message) && isInitializeRequest(message);
}

/** `clientInfo` of an initialize request, capped: it is only a label, shown as plain text. */
function initializeClientInfo(request: InitializeRequest): BridgeClientInfo {
  const { name, version } = request.params.clientInfo;
  return { name: name.slice(0, 200), version: version.slice(0, 100) };
}

/** Revoked (no principal any more) → its sessions close now; otherwise its allow-list may have changed. */
function onClientChanged(clientId: string, authority: ServeBridgeSocketOptions['authority'], connections: Set<Connection>): void {
  const revoked = authority.principalOf(clientId) === undefined;
  for (const { info, server } of connections) {
    if (info.clientId !== clientId) continue;
    void (revoked ? server.close() : server.sendToolListChanged()).catch(() => {});
  }
}

/**
 * Listens on `socketPath`, replacing a stale socket file (a crashed app's: nobody answers on it) but never a live one.
 * The socket gets 0600 at once; until then the 0700 folder already keeps other users out.
 */
async function listenExclusive(server: NetServer, socketPath: string, platform: NodeJS.Platform): Promise<void> {
  try {
    await listen(server, socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw listenFailed(error, socketPath);
    // A pipe disappears with its server, so on Windows "in use" always means a live server.
    if (platform === 'win32' || (await isAnswering(socketPath))) throw new AppError('BRIDGE_IN_USE', undefined, { details: { path: socketPath } });
    await removeStaleSocket(socketPath);
    await listen(server, socketPath).catch((retryError: unknown) => { throw listenFailed(retryError, socketPath); });
  }
  if (platform !== 'win32') await chmod(socketPath, 0o600);
}

function listen(server: NetServer, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Windows: libuv creates the pipe with a default security descriptor (full control for the creating user,
    // SYSTEM and Administrators; read-only for Everyone) and readableAll/writableAll stay off, so another user can at
    // most open it read-only and never send a request. Remote (SMB) clients are network logons and get no more.
    server.listen({ path: socketPath, readableAll: false, writableAll: false }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Whether a running app answers on the socket (connect succeeds); refused or missing means stale. */
function isAnswering(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(socketPath);
    probe.once('connect', () => (probe.destroy(), resolve(true)));
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(!['ECONNREFUSED', 'ENOENT'].includes(error.code ?? '')));
  });
}

/** Removes the file only if it is a socket: anything else at that path is not ours to delete. */
async function removeStaleSocket(socketPath: string): Promise<void> {
  const stat = await lstat(socketPath).catch(() => undefined);
  if (stat && !stat.isSocket()) throw new AppError('BRIDGE_UNAVAILABLE', `${socketPath} exists and is not a socket; move it away and restart the app.`);
  await rm(socketPath, { force: true });
}

function listenFailed(error: unknown, socketPath: string): AppError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new AppError('BRIDGE_UNAVAILABLE', `The stdio bridge could not listen on ${socketPath} (${code}).`, { cause: error });
}
