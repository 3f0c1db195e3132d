import { request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: any;
}

export interface RawRequestOptions {
  method?: string;
  /** Sent as given, including a forged `Host` (fetch would drop it). */
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
}

/** One HTTP request over node:http with full control of the headers; resolves with the whole response. */
export function rawRequest(url: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: parseOrUndefined(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Headers a well-behaved MCP client sends on a POST. */
export const mcpPostHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

export const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** Initializes a session with raw requests (`auth`: the client's bearer header) and returns headers for its later requests. */
export async function openRawSession(url: string, auth: Record<string, string> = {}): Promise<Record<string, string>> {
  const init = await rawRequest(url, { headers: { ...mcpPostHeaders, ...auth }, body: initializeBody });
  if (init.status !== 200) throw new Error(`initialize failed: ${init.status} ${init.body}`);
  const headers = { ...mcpPostHeaders, ...auth, 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
  await rawRequest(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  return headers;
}

/** Sends one JSON-RPC request on a raw session. */
export function rpc(url: string, headers: Record<string, string>, method: string, params?: unknown, id: unknown = 2): Promise<RawResponse> {
  return rawRequest(url, { headers, body: JSON.stringify({ jsonrpc: '2.0', id, method, params }) });
}
