import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getCACertificates } from 'node:tls';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noAuthorization } from '../../../electron/core/auth/ApiAuthorizer.ts';
import { executeOperation } from '../../../electron/core/graphql/executeOperation.ts';
import { createUpstreamClient, type UpstreamClientOptions } from '../../../electron/core/http/createUpstreamClient.ts';
import { trustedCertificates } from '../../../electron/core/http/trustedCertificates.ts';
import type { UpstreamClient, UpstreamRequest } from '../../../electron/core/http/UpstreamClient.ts';
import { startForwardProxy, type ForwardProxy } from '../../helpers/forwardProxy.ts';
import { testApiConfig } from '../../helpers/graphqlServer.ts';
import { createTestCertificates, type TestCertificates } from '../../helpers/testCertificates.ts';

const answer = JSON.stringify({ data: { hello: 'Hello, world!' } });
const encoders: Record<string, (body: Buffer) => Buffer> = { gzip: gzipSync, deflate: deflateSync, br: brotliCompressSync };

/** The API answers; `/<coding>[/<coding>…]` applies those codings in order, `/bomb` is 8 MiB of zeros gzipped. */
function respond(seen: IncomingMessage[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    req.resume();
    req.on('end', () => {
      const codings = (req.url ?? '/').split('/').filter(Boolean);
      if (codings[0] === 'bomb') return void res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(8 * 1024 * 1024)));
      if (codings[0] === 'zstd-only') return void res.writeHead(200, { 'content-encoding': 'compress' }).end('xx');
      const body = codings.reduce<Buffer>((data, coding) => encoders[coding]!(data), Buffer.from(answer));
      res.writeHead(200, { 'content-type': 'application/json', ...(codings.length > 0 ? { 'content-encoding': codings.join(', ') } : {}) }).end(body);
    });
  };
}

const post = (url: string): UpstreamRequest => ({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ hello }"}' });
const sendOptions = () => ({ signal: AbortSignal.timeout(5_000), maxBytes: 1024 * 1024 });
const noProxyEnv: UpstreamClientOptions['env'] = {};

let certificates: TestCertificates;
let dir: string;
let caFile: string;
const httpSeen: IncomingMessage[] = [];
const httpsSeen: IncomingMessage[] = [];
let httpUrl: string;
let httpsPort: number;
let proxy: ForwardProxy;
const closers: (() => Promise<unknown>)[] = [];

async function listen(server: ReturnType<typeof createHttpServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
  return (server.address() as AddressInfo).port;
}

function client(options: UpstreamClientOptions): UpstreamClient {
  const created = createUpstreamClient(options);
  closers.push(() => created.close());
  return created;
}

beforeAll(async () => {
  certificates = await createTestCertificates(['api.corp.example']);
  dir = await mkdtemp(path.join(tmpdir(), 'upstream-client-'));
  caFile = path.join(dir, 'corp-root.pem');
  await writeFile(caFile, certificates.caPem);
  httpUrl = `http://127.0.0.1:${await listen(createHttpServer(respond(httpSeen)))}`;
  const https = createHttpsServer({ cert: certificates.serverCertPem, key: certificates.serverKeyPem }, respond(httpsSeen));
  httpsPort = await listen(https as unknown as ReturnType<typeof createHttpServer>);
  proxy = await startForwardProxy(httpsPort);
  closers.push(() => proxy.close());
});
afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await rm(dir, { recursive: true, force: true });
});

describe('createUpstreamClient', () => {
  it('asks for compressed responses and decodes gzip, deflate, br and stacked codings', async () => {
    const upstream = client({ env: noProxyEnv });
    for (const route of ['/', '/gzip', '/deflate', '/br', '/gzip/br']) {
      const response = await upstream.send(post(`${httpUrl}${route}`), sendOptions());
      expect({ route, status: response.status, body: response.body }).toEqual({ route, status: 200, body: answer });
    }
    expect(httpSeen.at(-1)!.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('applies the size cap to the decoded body, so a small gzip bomb is refused', async () => {
    const response = await client({ env: noProxyEnv }).send(post(`${httpUrl}/bomb`), { ...sendOptions(), maxBytes: 1024 * 1024 });
    expect(response.status).toBe(200);
    expect(response.body).toBeUndefined();
  });

  it('refuses a Content-Encoding it cannot decode', async () => {
    await expect(client({ env: noProxyEnv }).send(post(`${httpUrl}/zstd-only`), sendOptions())).rejects.toMatchObject({ code: 'GRAPHQL_RESPONSE_INVALID' });
  });

  it('trusts an HTTPS API whose certificate chains to the CA in its `ca` file', async () => {
    const response = await client({ ca: caFile, env: noProxyEnv }).send(post(`https://127.0.0.1:${httpsPort}/gzip`), sendOptions());
    expect(response.body).toBe(answer);
  });

  it('refuses the same HTTPS API without the `ca` file (a CA outside the trusted roots)', async () => {
    await expect(client({ env: noProxyEnv }).send(post(`https://127.0.0.1:${httpsPort}/`), sendOptions())).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('trusts the operating system store besides Node\'s bundled roots', () => {
    const trusted = new Set(trustedCertificates());
    expect(getCACertificates('system').every((certificate) => trusted.has(certificate))).toBe(true);
    expect(getCACertificates('default').every((certificate) => trusted.has(certificate))).toBe(true);
  });

  it('tunnels an HTTPS API through HTTPS_PROXY with CONNECT, verifying the API (not the proxy) against its CA', async () => {
    proxy.seen.length = 0;
    const upstream = client({ ca: caFile, env: { HTTPS_PROXY: proxy.url } });
    const response = await upstream.send(post(`https://api.corp.example:${httpsPort}/br`), sendOptions());
    expect(response.body).toBe(answer);
    expect(proxy.seen).toEqual([`api.corp.example:${httpsPort}`]);
    expect(httpsSeen.at(-1)!.headers.host).toBe(`api.corp.example:${httpsPort}`);
  });

  it('honours the lower-case https_proxy too', async () => {
    proxy.seen.length = 0;
    await client({ ca: caFile, env: { https_proxy: proxy.url } }).send(post(`https://api.corp.example:${httpsPort}/`), sendOptions());
    expect(proxy.seen).toEqual([`api.corp.example:${httpsPort}`]);
  });

  it('never proxies loopback, even with HTTP_PROXY and HTTPS_PROXY set', async () => {
    proxy.seen.length = 0;
    const upstream = client({ ca: caFile, env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'other.example' } });
    expect((await upstream.send(post(`${httpUrl}/`), sendOptions())).body).toBe(answer);
    expect((await upstream.send(post(`https://127.0.0.1:${httpsPort}/`), sendOptions())).body).toBe(answer);
    expect((await upstream.send(post(`https://localhost:${httpsPort}/`), sendOptions())).body).toBe(answer);
    expect(proxy.seen).toEqual([]);
  });

  it('connects directly to hosts NO_PROXY names (domain suffix) and to every host when NO_PROXY is *', async () => {
    proxy.seen.length = 0;
    for (const noProxy of ['.corp.example', '*']) {
      const upstream = client({ ca: caFile, env: { HTTPS_PROXY: proxy.url, NO_PROXY: noProxy } });
      // api.corp.example resolves nowhere: only the proxy could have reached it.
      await expect(upstream.send(post(`https://api.corp.example:${httpsPort}/`), sendOptions())).rejects.toMatchObject({ code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/) });
    }
    expect(proxy.seen).toEqual([]);
  });
});

describe('executeOperation over the upstream client', () => {
  it('tells the user how to trust a corporate CA when the API certificate is not trusted', async () => {
    const api = testApiConfig(`https://127.0.0.1:${httpsPort}/graphql`);
    const result = await executeOperation({ api: api.name, document: '{ hello }' }, {}, { api, upstream: client({ env: noProxyEnv }), authorizer: noAuthorization });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(/certificate this app does not trust \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\).*"ca"/);
  });

  it('returns the data of a gzip response from an HTTPS API trusted through its `ca`', async () => {
    const api = { ...testApiConfig(`https://127.0.0.1:${httpsPort}/gzip`), ca: caFile };
    const result = await executeOperation({ api: api.name, document: '{ hello }' }, {}, { api, upstream: client({ ca: caFile, env: noProxyEnv }), authorizer: noAuthorization });
    expect(result.structuredContent).toEqual({ data: { hello: 'Hello, world!' } });
  });
});
