import { pipeline, type Readable } from 'node:stream';
import { createSecureContext, type SecureContext } from 'node:tls';
import { createBrotliDecompress, createGunzip, createInflate, type Gunzip } from 'node:zlib';
import type { buildConnector, Dispatcher } from 'undici';
import { AppError } from '../errors.ts';
import { trustedCertificates } from './trustedCertificates.ts';
import type { UpstreamClient, UpstreamRequest, UpstreamResponse, UpstreamSendOptions } from './UpstreamClient.ts';

export interface UpstreamClientOptions {
  /** A PEM file of CA certificates this API's server chains to, trusted besides Node's and the OS's roots. */
  ca?: string;
  /** Where HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms) are read; default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** What the client accepts; the body is decoded whatever the server picks. */
const acceptEncoding = 'gzip, deflate, br';
// Loopback is never sent through a proxy: a local API (or the demo) must not leave the machine.
const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];
const noop = () => {};

type Undici = typeof import('undici');

// undici is imported on the first upstream call: its module graph costs ~100-250 ms of CPU, off the start-up path.
let undici: Promise<Undici> | undefined;
const loadUndici = () => (undici ??= import('undici'));

/**
 * Creates a pooled keep-alive client on undici's `request` (no fetch: no redirects followed, no web streams). The
 * connection pool, the proxy choice and the trusted roots are set up on the first request.
 *
 * @see https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherrequestoptions-callback
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4 (Content-Encoding)
 */
export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  let dispatcher: Dispatcher | undefined;
  return {
    send: async (upstreamRequest, sendOptions) => {
      const lib = await loadUndici();
      return send(lib, upstreamRequest, sendOptions, (dispatcher ??= createDispatcher(lib, options)));
    },
    close: async () => dispatcher?.close(),
  };
}

async function send({ request }: Undici, upstreamRequest: UpstreamRequest, options: UpstreamSendOptions, dispatcher: Dispatcher): Promise<UpstreamResponse> {
  const { url, method, headers, body } = upstreamRequest;
  const response = await request(url, { method, headers: { ...headers, 'accept-encoding': acceptEncoding }, body, signal: options.signal, dispatcher });
  const { statusCode: status, headers: received } = response;
  const encoding = status === 204 || status === 304 ? [] : contentCodings(received['content-encoding']);
  const declared = received['content-length'];
  if (encoding.length === 0 && typeof declared === 'string' && Number(declared) > options.maxBytes) {
    drop(response.body);
    return { status, headers: received, body: undefined };
  }
  return { status, headers: received, body: await readDecoded(response.body, encoding, options.maxBytes) };
}

/** The codings applied to the body, in the order to undo them (the header lists them in the order applied). */
function contentCodings(header: string | string[] | undefined): string[] {
  const listed = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
  return listed.map((coding) => coding.trim().toLowerCase()).filter((coding) => coding !== '' && coding !== 'identity').reverse();
}

function decoderFor(coding: string): Gunzip | ReturnType<typeof createBrotliDecompress> {
  if (coding === 'gzip' || coding === 'x-gzip') return createGunzip();
  if (coding === 'deflate') return createInflate();
  if (coding === 'br') return createBrotliDecompress();
  throw new AppError('GRAPHQL_RESPONSE_INVALID', `The GraphQL API answered with an unsupported Content-Encoding "${coding.slice(0, 32)}".`);
}

/** Reads the body through its decoders, or drops the download and returns undefined once it passes `maxBytes`. */
async function readDecoded(body: Readable, codings: string[], maxBytes: number): Promise<string | undefined> {
  let stream: Readable = body;
  try {
    for (const coding of codings) stream = pipeline(stream, decoderFor(coding), noop);
  } catch (error) {
    drop(body);
    throw error;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      drop(stream);
      drop(body);
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, received).toString('utf8');
}

/** Stops a download and closes its connection; undici then reports an abort nobody is waiting for. */
function drop(stream: Readable): void {
  stream.on('error', noop);
  stream.destroy();
}

function createDispatcher({ Agent, EnvHttpProxyAgent, buildConnector }: Undici, options: UpstreamClientOptions): Dispatcher {
  const env = options.env ?? process.env;
  const secureContext = once(() => createSecureContext({ ca: trustedCertificates(options.ca) }));
  const agentOptions = { connect: lazyTlsConnector(buildConnector, secureContext), keepAliveTimeout: 30_000, connections: 16 };
  const httpProxy = env.http_proxy ?? env.HTTP_PROXY ?? '';
  const httpsProxy = env.https_proxy ?? env.HTTPS_PROXY ?? '';
  const noProxy = (env.no_proxy ?? env.NO_PROXY ?? '').trim();
  if ((!httpProxy && !httpsProxy) || noProxy === '*') return new Agent(agentOptions);
  // Through a proxy the TLS settings are needed up front (for the tunnel to the API and for an https: proxy).
  const tls = { secureContext: secureContext() };
  return new EnvHttpProxyAgent({ ...agentOptions, httpProxy, httpsProxy, noProxy: [noProxy, ...loopbackHosts].filter(Boolean).join(','), requestTls: tls, proxyTls: tls });
}

/** A connector that builds the TLS context (OS store included, ~100 ms) only when the first https: connection opens. */
function lazyTlsConnector(build: typeof buildConnector, secureContext: () => SecureContext): buildConnector.connector {
  const plain = build({});
  let secure: buildConnector.connector | undefined;
  return (connectOptions, callback) => {
    if (connectOptions.protocol !== 'https:') return plain(connectOptions, callback);
    secure ??= build({ secureContext: secureContext() } as buildConnector.BuildOptions);
    return secure(connectOptions, callback);
  };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
