import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isMainChannel, type CoreBridge, type Result } from '../../ipc/contract.ts';
import type { Logger } from '../log/Logger.ts';
import { checkApiRequest, digestToken, ownOriginFor } from './checkUiRequest.ts';
import { securityHeaders } from './contentSecurityPolicy.ts';
import { invokeBridge } from './invokeBridge.ts';
import { readStaticFile } from './serveStatic.ts';

export interface ServeUiOptions {
  bridge: CoreBridge;
  /** The built renderer (`dist/renderer`). */
  rendererDir: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  logger?: Logger;
}

export interface UiServer {
  /** `http://127.0.0.1:PORT/ui/?token=<launch token>`: the one URL that opens a working window. */
  url: string;
  origin: string;
  close(): Promise<void>;
}

const maxBodyBytes = 64 * 1024;
const heartbeatMs = 20_000;

/**
 * Serves the renderer at `/ui/` and the IPC contract over HTTP on 127.0.0.1, for headless mode and browser tests:
 * `POST /api/<channel>` with a JSON array of arguments answers a `Result`; `GET /api/events` streams `MainEvents` as
 * server-sent events. Both need `Authorization: Bearer <launch token>` (the renderer takes the token from `?token=`,
 * keeps it in sessionStorage — per origin, so per port — and strips it from the address bar; no cookie, since
 * cookies are shared by every port on 127.0.0.1). Host must be loopback on our port, Origin (when sent) our own.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export async function serveUi(options: ServeUiOptions): Promise<UiServer> {
  const token = randomBytes(32).toString('base64url');
  const context: RouteContext = { ...options, tokenDigest: digestToken(token), port: 0, streams: new Set() };
  const server = createServer((req, res) => {
    route(req, res, context).catch((error: unknown) => {
      options.logger?.error('UI bridge request failed', { error: error instanceof Error ? error.message : 'unknown' });
      if (!res.headersSent) sendJson(res, 500, failure('UI_REQUEST_FAILED', 'The app could not answer'));
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  context.port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${context.port}`;
  return { url: `${origin}/ui/?token=${token}`, origin, close: () => closeServer(server, context.streams) };
}

interface RouteContext extends ServeUiOptions {
  tokenDigest: Buffer;
  port: number;
  streams: Set<ServerResponse>;
}

async function route(req: IncomingMessage, res: ServerResponse, context: RouteContext): Promise<void> {
  if (!ownOriginFor(req.headers.host, context.port)) return sendJson(res, 403, failure('UI_REQUEST_REFUSED', 'Host is not this app'));
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  if (url.pathname === '/' || url.pathname === '/ui') return redirect(res, `/ui/${url.search}`);
  if (url.pathname.startsWith('/ui/')) return serveRenderer(req, res, url.pathname.slice('/ui'.length), context);
  if (url.pathname.startsWith('/api/')) return serveApi(req, res, url.pathname.slice('/api/'.length), context);
  sendJson(res, 404, failure('UI_REQUEST_REFUSED', 'Not found'));
}

async function serveRenderer(req: IncomingMessage, res: ServerResponse, path: string, context: RouteContext): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendMethodNotAllowed(res, 'GET, HEAD');
  const file = await readStaticFile(context.rendererDir, path);
  if (!file) return sendJson(res, 404, failure('UI_REQUEST_REFUSED', 'Not found'));
  res.writeHead(200, { ...securityHeaders, 'Content-Type': file.contentType, 'Content-Length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}

async function serveApi(req: IncomingMessage, res: ServerResponse, name: string, context: RouteContext): Promise<void> {
  const verdict = checkApiRequest(req.headers, context.port, context.tokenDigest);
  if (!verdict.ok) return sendRefusal(res, verdict.status, verdict.reason);
  if (name === 'events') {
    return req.method === 'GET' ? streamEvents(req, res, context) : sendMethodNotAllowed(res, 'GET');
  }
  if (!isMainChannel(name)) return sendJson(res, 404, failure('UI_REQUEST_REFUSED', 'No such channel'));
  if (req.method !== 'POST') return sendMethodNotAllowed(res, 'POST');
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return sendJson(res, 415, failure('UI_REQUEST_REFUSED', 'Send application/json'));
  }
  const args = await readArguments(req);
  if (!args.ok) return sendJson(res, args.status, failure('UI_REQUEST_REFUSED', args.reason));
  sendJson(res, 200, await invokeBridge(context.bridge, name, args.value));
}

type ParsedArguments = { ok: true; value: unknown[] } | { ok: false; status: 400 | 413; reason: string };

/** The request body: a JSON array of channel arguments (an empty body means none). */
async function readArguments(req: IncomingMessage): Promise<ParsedArguments> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) return { ok: false, status: 413, reason: 'Request body too large' };
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return { ok: true, value: [] };
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? { ok: true, value } : { ok: false, status: 400, reason: 'Send a JSON array of arguments' };
  } catch {
    return { ok: false, status: 400, reason: 'The body is not JSON' };
  }
}

function streamEvents(req: IncomingMessage, res: ServerResponse, context: RouteContext): void {
  res.writeHead(200, { ...securityHeaders, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' });
  res.write(': connected\n\n');
  context.streams.add(res);
  // An event can arrive between end() (on close) and the 'close' event: writing then would throw.
  const send = (text: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  const unsubscribe = context.bridge.subscribe((event, payload) => send(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`));
  const heartbeat = setInterval(() => send(': ping\n\n'), heartbeatMs);
  req.socket.setTimeout(0);
  res.on('error', () => {}); // a peer that vanished mid-write; 'close' below cleans up
  res.on('close', () => {
    clearInterval(heartbeat);
    unsubscribe();
    context.streams.delete(res);
  });
}

function failure(code: 'UI_REQUEST_REFUSED' | 'UI_REQUEST_FAILED', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

function sendRefusal(res: ServerResponse, status: 401 | 403, reason: string): void {
  if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="graphql-mcp-desktop-ui"');
  sendJson(res, status, failure('UI_REQUEST_REFUSED', reason));
}

function sendMethodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, failure('UI_REQUEST_REFUSED', 'Method not allowed'));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...securityHeaders, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { ...securityHeaders, Location: location });
  res.end();
}

async function closeServer(server: ReturnType<typeof createServer>, streams: Set<ServerResponse>): Promise<void> {
  for (const stream of streams) stream.end();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}
