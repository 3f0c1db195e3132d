import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { applySSRFProtection } from 'oidc-provider/lib/helpers/fetch_request.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { auth } from '@modelcontextprotocol/sdk/client/auth.js';
import type { MemoryOAuthProvider } from './MemoryOAuthProvider.ts';
import type { ClientDecision, MainEventListener, PendingClientView } from '../../../electron/ipc/contract.ts';
import { createLocalAuthority, type LocalAuthorityOptions, type LocalAuthorityService } from '../../../electron/core/clients/createLocalAuthority.ts';

const execFileAsync = promisify(execFile);

/** The authority behind a real loopback HTTP server: `/mcp` answers who is calling (or the 401), the rest is the AS. */
export interface AuthorityServer {
  authority: LocalAuthorityService;
  origin: string;
  mcpUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startAuthorityServer(options: Partial<LocalAuthorityOptions> & { port?: number } = {}): Promise<AuthorityServer> {
  const dataDir = options.dataDir ?? await mkdtemp(path.join(tmpdir(), 'local-as-'));
  const authority = await createLocalAuthority({ pollMs: 100, ...options, dataDir });
  const server = createServer((req, res) => {
    void (async () => {
      if (new URL(req.url ?? '/', 'http://x').pathname === '/mcp') {
        const result = await authority.authenticate(req.headersDistinct.authorization, req.socket.remoteAddress ?? '');
        if (result.ok) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.principal));
        const headers: Record<string, string> = { 'www-authenticate': authority.challenge({ error: result.error, description: result.description }) };
        if (result.retryAfterSeconds) headers['retry-after'] = String(result.retryAfterSeconds);
        return void res.writeHead(result.status, headers).end(JSON.stringify({ error: result.error }));
      }
      if (!(await authority.handleHttp(req, res))) res.writeHead(404).end();
    })().catch(() => (res.headersSent ? res.destroy() : res.writeHead(500).end()));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  await authority.attach(`${origin}/mcp`);
  return {
    authority, origin, mcpUrl: `${origin}/mcp`, dataDir,
    close: async () => {
      await authority.close();
      await closeServer(server);
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A browser's cookie jar and manual redirects, staying on the authorization server's origin. */
export class TestBrowser {
  readonly cookies = new Map<string, string>();

  async get(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([key, value]) => `${key}=${value}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const index = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, index).trim(), pair!.slice(index + 1).trim());
    }
    return response;
  }

  /** Follows redirects while they stay on `origin`; returns the first response that does not (or is not a redirect). */
  async follow(url: string, origin: string): Promise<{ response: Response; url: string }> {
    let current = url;
    for (let step = 0; step < 10; step += 1) {
      const response = await this.get(current);
      const location = response.headers.get('location');
      if (location === null) return { response, url: current };
      const next = new URL(location, current).href;
      if (new URL(next).origin !== origin) return { response, url: next };
      await response.body?.cancel();
      current = next;
    }
    throw new Error('too many redirects');
  }
}

/** Resolves with the pending requests once one appears (from `clients:pending-changed`, or at once if one waits). */
export async function nextPendingRequest(authority: LocalAuthorityService): Promise<PendingClientView> {
  const current = await authority.bridgePart['clients:pending']!();
  if (current.ok && current.value.length > 0) return current.value[0]!;
  return new Promise((resolve) => {
    const stop = authority.bridgePart.subscribe!(((event, payload) => {
      const list = payload as PendingClientView[];
      if (event === 'clients:pending-changed' && list.length > 0) { stop(); resolve(list[0]!); }
    }) as MainEventListener);
  });
}

/** Waits (polling as the page does) until the consent page's status says the app has decided. */
export async function waitUntilDecided(statusUrl: string): Promise<void> {
  for (;;) {
    const status = await (await fetch(statusUrl)).json() as { state: string };
    if (status.state !== 'waiting') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface BrowserAuthorization {
  /** Where the authorization server finally sent the browser (the client's redirect URI with code or error). */
  redirectedTo: URL;
  request?: PendingClientView;
}

/**
 * Plays the user's part for one authorization URL: the browser opens it, lands on the waiting page, the user decides
 * in the app (through `clients:decide`, as the window does), and the browser continues to the client's redirect.
 */
export async function authorizeInBrowser(server: AuthorityServer, authorizationUrl: string, decision: ClientDecision | 'none'): Promise<BrowserAuthorization> {
  const browser = new TestBrowser();
  const first = await browser.follow(authorizationUrl, server.origin);
  if (new URL(first.url).origin !== server.origin || !new URL(first.url).pathname.startsWith('/consent/')) return { redirectedTo: new URL(first.url) };
  await first.response.text();
  // Nobody decides for 'none': the request may already have timed out, so there may be nothing pending to wait for.
  const request = decision === 'none' ? undefined : await nextPendingRequest(server.authority);
  if (request && decision !== 'none') await server.authority.bridgePart['clients:decide']!(request.requestId, decision);
  await waitUntilDecided(`${first.url}/status`);
  const last = await browser.follow(`${first.url}/continue`, server.origin);
  return { redirectedTo: new URL(last.url), request };
}

/** The whole SDK flow: discovery, registration (or a metadata document URL), the browser part, the code exchange. */
export async function authorizeWithSdk(server: AuthorityServer, provider: MemoryOAuthProvider, decision: ClientDecision = 'allow-write'): Promise<BrowserAuthorization> {
  if (await auth(provider, { serverUrl: server.mcpUrl }) !== 'REDIRECT') throw new Error('expected a redirect to authorize');
  const result = await authorizeInBrowser(server, provider.authorizationUrl!.href, decision);
  const code = result.redirectedTo.searchParams.get('code');
  if (code) await auth(provider, { serverUrl: server.mcpUrl, authorizationCode: code });
  return result;
}

/** A certificate for 127.0.0.1 made for this test run only: the trust anchor of the test's metadata-document fetch. */
export async function createLoopbackCertificate(): Promise<{ cert: string; key: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cimd-cert-'));
  try {
    await execFileAsync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')]);
    return { cert: await readFile(path.join(dir, 'cert.pem'), 'utf8'), key: await readFile(path.join(dir, 'key.pem'), 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An https server on loopback serving client metadata documents (or whatever `handle` answers), counting requests. */
export interface MetadataDocumentServer {
  origin: string;
  requests: string[];
  /** A fetch that trusts only this server's certificate and, unlike production, may reach loopback. */
  trustingFetch: typeof fetch;
  /** The CA-trusting agent wrapped in oidc-provider's own guard against special-use addresses (production's guard). */
  guardedFetch: typeof fetch;
  close(): Promise<void>;
}

export async function startMetadataDocumentServer(handle: (path: string, origin: string, res: ServerResponse) => void): Promise<MetadataDocumentServer> {
  const { cert, key } = await createLoopbackCertificate();
  const requests: string[] = [];
  let origin = '';
  const server = createHttpsServer({ cert, key }, (req, res) => {
    requests.push(req.url ?? '');
    handle(req.url ?? '', origin, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const agent = new Agent({ connect: { ca: cert } });
  const guarded = applySSRFProtection(new Agent({ connect: { ca: cert } }));
  return {
    origin, requests,
    trustingFetch: ((url: string, init: RequestInit) => undiciFetch(url, { ...init, dispatcher: agent } as never)) as unknown as typeof fetch,
    guardedFetch: ((url: string, init: RequestInit) => undiciFetch(url, { ...init, dispatcher: guarded } as never)) as unknown as typeof fetch,
    close: async () => {
      await agent.close();
      await guarded.close();
      await new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); });
    },
  };
}

/** Serves `document` as JSON. */
export function sendDocument(res: ServerResponse, document: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(document));
}
