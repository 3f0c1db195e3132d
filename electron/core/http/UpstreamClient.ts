/** One upstream HTTP request, built from scratch by the caller (nothing from the MCP client's request). */
export interface UpstreamRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export interface UpstreamResponse {
  status: number;
  /** Lower-case names, as received. */
  headers: Record<string, string | string[] | undefined>;
  /** The decoded body, or undefined when it passed `maxBytes` (the download was dropped). */
  body: string | undefined;
}

export interface UpstreamSendOptions {
  /** Aborts the request and the body download (timeouts and cancellation live with the caller). */
  signal: AbortSignal;
  /** Cap on the decoded body: a compressed response is measured after decompression. */
  maxBytes: number;
}

/**
 * The app's HTTP client for GraphQL APIs: pooled keep-alive connections, never follows redirects, decodes
 * gzip/deflate/br, trusts the OS certificate store, honours HTTP(S)_PROXY/NO_PROXY. Rejects on network, TLS and
 * abort errors (with the system or undici error `code`).
 */
export interface UpstreamClient {
  send(request: UpstreamRequest, options: UpstreamSendOptions): Promise<UpstreamResponse>;
  /** Closes the pooled connections. */
  close(): Promise<void>;
}
