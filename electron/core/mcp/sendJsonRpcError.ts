import type { ServerResponse } from 'node:http';

/**
 * Answers with a JSON-RPC error object (`id: null`) and the given HTTP status, as JSON, never an HTML page.
 *
 * @see https://www.jsonrpc.org/specification#error_object
 */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null });
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
}
