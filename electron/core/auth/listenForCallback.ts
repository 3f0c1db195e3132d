import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../errors.ts';
import { secretValues } from '../secrets/scrubSecrets.ts';

const callbackPath = '/callback';

export interface ListenForCallbackOptions {
  /** Only a callback carrying this `state` ends the wait; others get a static 400 and are otherwise ignored. */
  expectedState: string;
  /** Default 5 minutes; then the listener closes and `callback` rejects with AUTH_SIGN_IN_CANCELLED. */
  timeoutMs?: number;
  /** Runs the code exchange; its outcome picks the static page the browser sees. */
  onCallback(url: URL): Promise<'signed-in' | 'failed'>;
  /** A connection that has not sent its headers by then is closed; default 10 s, like the app's other listeners. */
  headersTimeoutMs?: number;
  /** A request that has not arrived whole by then is closed; default 30 s. */
  requestTimeoutMs?: number;
}

export interface CallbackListener {
  /** `http://127.0.0.1:<ephemeral port>/callback`. */
  redirectUri: string;
  /** Settles once: with the result of onCallback, or rejects on timeout or close(). */
  done: Promise<void>;
  close(): void;
}

// Static pages: nothing from the request is ever reflected (security case D6).
const pages = {
  'signed-in': 'Signed in to GraphQL MCP Desktop. You can close this window.',
  failed: 'Sign-in did not complete. Return to GraphQL MCP Desktop to try again. You can close this window.',
  'bad-request': 'This is not the sign-in that GraphQL MCP Desktop is waiting for.',
  'not-found': 'Not found.',
  'method-not-allowed': 'Method not allowed.',
} as const;

function sendPage(res: ServerResponse, status: number, page: keyof typeof pages, headers: Record<string, string> = {}): void {
  const body = `<!doctype html><meta charset="utf-8"><title>GraphQL MCP Desktop</title><p>${pages[page]}</p>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'",
    'referrer-policy': 'no-referrer',
    ...headers,
  });
  res.end(body);
}

/**
 * The RFC 8252 loopback redirect: listens on 127.0.0.1 with an ephemeral port, accepts GET on exactly /callback,
 * hands the first callback carrying the expected `state` to `onCallback`, then closes.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3, security cases D6–D8
 */
export async function listenForCallback(options: ListenForCallbackOptions): Promise<CallbackListener> {
  let settle: { resolve(): void; reject(error: unknown): void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => {}); // the caller may only await it later
  let handled = false;
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  // Node checks these only every connectionsCheckingInterval (30 s by default): a slow-header connection stayed ~66 s.
  const connectionsCheckingInterval = Math.max(50, Math.min(headersTimeout, requestTimeout) / 2);
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval }, (req, res) => void route(req, res));
  const close = (error?: unknown): void => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
    if (error) settle?.reject(error);
    else settle?.resolve();
  };
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== callbackPath) return sendPage(res, 404, 'not-found');
    if (req.method !== 'GET') return sendPage(res, 405, 'method-not-allowed', { allow: 'GET' });
    if (handled || url.searchParams.get('state') !== options.expectedState) return sendPage(res, 400, 'bad-request');
    handled = true;
    secretValues.add(url.searchParams.get('code'));
    clearTimeout(timer);
    const outcome = await options.onCallback(new URL(`${redirectUri}${url.search}`)).catch(() => 'failed' as const);
    sendPage(res, 200, outcome);
    close();
  };
  const timer = setTimeout(
    () => close(new AppError('AUTH_SIGN_IN_CANCELLED', 'Sign-in timed out: no answer from the browser')),
    options.timeoutMs ?? 5 * 60_000,
  );
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}${callbackPath}`;
  return { redirectUri, done, close: () => close(new AppError('AUTH_SIGN_IN_CANCELLED')) };
}
