import { finished, PassThrough, pipeline, type Readable } from 'node:stream';
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
let loaded: Undici | undefined;
const loadUndici = () => (undici ??= import('undici').then((lib) => (loaded = lib)));

/**
 * Creates a pooled keep-alive client on undici's dispatcher (no fetch: no redirects followed, no web streams). The
 * connection pool, the proxy choice and the trusted roots are set up on the first request.
 *
 * @see https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-8.4 (Content-Encoding)
 */
export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  let dispatcher: Dispatcher | undefined;
  return {
    send: async (upstreamRequest, sendOptions) => {
      const lib = loaded ?? (await loadUndici());
      return send(upstreamRequest, sendOptions, (dispatcher ??= createDispatcher(lib, options)));
    },
    close: async () => dispatcher?.close(),
  };
}

/**
 * One request on the dispatcher's own handler API: the answer's bytes are collected as they arrive, without the
 * Readable body stream and async resource undici's `request` builds per call (~45 µs of CPU per call here). Rejects
 * with the dispatcher's error (network, TLS) or the signal's reason.
 *
 * @see https://undici.nodejs.org/#/docs/api/Dispatcher?id=dispatcherdispatchoptions-handler
 */
function send(upstreamRequest: UpstreamRequest, options: UpstreamSendOptions, dispatcher: Dispatcher): Promise<UpstreamResponse> {
  const { signal, maxBytes } = options;
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let reader: BodyReader | undefined;
    let settled = false;
    const finish = (error: unknown, response?: UpstreamResponse) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve(response!);
      else reject(error);
    };
    const onAbort = () => {
      finish(signal.reason);
      reader?.fail(signal.reason);
      controller?.abort(signal.reason as Error);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (started) => {
        controller = started;
        if (signal.aborted) started.abort(signal.reason as Error);
      },
      onResponseStart: (started, status, headers) => {
        if (status < 200) return; // informational (1xx): the answer follows
        // Settled as soon as the body is known or too large, before undici reports the abort that follows.
        reader = readBody(status, headers, maxBytes, started, (error, body) => {
          finish(error, { status, headers, body }); // first: the abort below reports an error synchronously
          if (error !== undefined || body === undefined) started.abort(error instanceof Error ? error : new Error('response too large'));
        });
      },
      onResponseData: (_controller, chunk) => reader?.write(chunk),
      onResponseEnd: () => reader?.end(),
      onResponseError: (_controller, error) => {
        reader?.fail(error);
        finish(error);
      },
    };
    const { origin, path } = targetOf(upstreamRequest.url);
    if (signal.aborted) return finish(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const { method, headers, body } = upstreamRequest;
    dispatcher.dispatch({ origin, path, method, headers: { ...headers, 'accept-encoding': acceptEncoding }, body }, handler);
  });
}

/** Takes an answer's body chunk by chunk and reports its decoded text, or undefined once it passed `maxBytes`. */
interface BodyReader {
  write(chunk: Buffer): void;
  end(): void;
  fail(error: unknown): void;
}

type BodyDone = (error: unknown, body?: string) => void;

const ignoredBody: BodyReader = { write: noop, end: noop, fail: noop };

/** A plain body is collected as it comes; a compressed one goes through its decoders, measured after them. */
function readBody(status: number, headers: Record<string, string | string[] | undefined>, maxBytes: number, controller: Dispatcher.DispatchController, done: BodyDone): BodyReader {
  const codings = status === 204 || status === 304 ? [] : contentCodings(headers['content-encoding']);
  if (codings.length > 0) return readEncodedBody(codings, maxBytes, controller, done);
  const declared = headers['content-length'];
  if (typeof declared === 'string' && Number(declared) > maxBytes) {
    done(undefined, undefined);
    return ignoredBody;
  }
  const bytes = collectBytes(maxBytes);
  let reading = true;
  return {
    write: (chunk) => {
      if (!reading || bytes.add(chunk)) return;
      reading = false;
      done(undefined, undefined);
    },
    end: () => {
      if (reading) done(undefined, bytes.text());
    },
    fail: noop, // the request's promise rejects with the error itself
  };
}

/** An answer's bytes, kept only up to `maxBytes`: `add` answers false once they passed it. */
function collectBytes(maxBytes: number): { add(chunk: Buffer): boolean; text(): string } {
  const chunks: Buffer[] = [];
  let received = 0;
  return {
    add: (chunk) => {
      received += chunk.byteLength;
      if (received > maxBytes) return false;
      chunks.push(chunk);
      return true;
    },
    // One chunk (the usual small answer) is decoded without a copy.
    text: () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)).toString('utf8'),
  };
}

// The compressed bytes are written into a stream through the decoders (pausing the download while they catch up).
function readEncodedBody(codings: string[], maxBytes: number, controller: Dispatcher.DispatchController, done: BodyDone): BodyReader {
  const body = new PassThrough();
  readDecoded(body, codings, maxBytes).then((text) => done(undefined, text), (error: unknown) => done(error));
  return {
    write: (chunk) => {
      if (body.destroyed || body.write(chunk)) return;
      controller.pause();
      body.once('drain', () => controller.resume());
    },
    end: () => body.end(),
    fail: (error) => body.destroy(error instanceof Error ? error : undefined),
  };
}

// An API's endpoint is one of a few strings: its origin and path are parsed once, not per call.
const targets = new Map<string, { origin: string; path: string }>();

function targetOf(url: string): { origin: string; path: string } {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('The endpoint must be an http: or https: URL.');
    if (targets.size >= 64) targets.clear();
    targets.set(url, (target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` }));
  }
  return target;
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
  const text = await readText(stream, maxBytes);
  if (text === undefined) {
    drop(stream);
    drop(body);
  }
  return text;
}

/**
 * The stream's bytes as UTF-8, or undefined once they pass `maxBytes` (the caller then drops it). Plain 'data' events
 * and `finished` (errors, premature close) instead of an async iterator: no promise per chunk on every call.
 */
function readText(stream: Readable, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const bytes = collectBytes(maxBytes);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      stream.off('data', onData);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      if (!bytes.add(chunk)) settle(() => resolve(undefined));
    };
    stream.on('data', onData);
    finished(stream, (error) => settle(() => (error ? reject(error) : resolve(bytes.text()))));
  });
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
