import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { MemoryOAuthProvider } from '../../helpers/clients/MemoryOAuthProvider.ts';

/** A loopback HTTP server on a free port that answers the first `/callback` and resolves with its query. */
export interface RedirectReceiver {
  url: string;
  received: Promise<URLSearchParams>;
  close(): Promise<void>;
}

export async function startRedirectReceiver(): Promise<RedirectReceiver> {
  let resolveReceived: (query: URLSearchParams) => void = () => {};
  const received = new Promise<URLSearchParams>((resolve) => (resolveReceived = resolve));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain' }).end('Done: you can close this page.');
    resolveReceived(url.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

/** Discovery and registration, up to the authorization URL the user must open (the SDK's first `auth()` step). */
export async function beginAuthorization(provider: MemoryOAuthProvider, serverUrl: string): Promise<URL> {
  if ((await auth(provider, { serverUrl })) !== 'REDIRECT' || !provider.authorizationUrl) throw new Error('expected a redirect to the authorization page');
  return provider.authorizationUrl;
}

/** The code exchange once the browser came back to the redirect URI. */
export async function finishAuthorization(provider: MemoryOAuthProvider, serverUrl: string, query: URLSearchParams): Promise<void> {
  const code = query.get('code');
  if (!code) throw new Error(`the authorization server answered ${query.get('error') ?? 'without a code'}`);
  if ((await auth(provider, { serverUrl, authorizationCode: code })) !== 'AUTHORIZED') throw new Error('the code exchange did not authorize');
}
