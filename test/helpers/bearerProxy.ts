import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BearerProxy {
  /** The target URL's path on the proxy's origin. */
  url: string;
  close(): Promise<void>;
}

/**
 * A loopback proxy that adds `Authorization: Bearer <token>` to every request, for tools that cannot send headers
 * (the MCP conformance runner). Host and Origin naming the proxy are rewritten to the target's port, anything else
 * (a rebinding name) is passed on unchanged, so the target's own Host and Origin checks still decide. Responses,
 * SSE streams included, are piped back as they arrive.
 */
export async function startBearerProxy(target: string, token: string): Promise<BearerProxy> {
  const targetUrl = new URL(target);
  let port = 0;
  const server = createServer((req, res) => {
    const headers = retarget(req.headers, port, targetUrl.port);
    const upstream = request({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers: { ...headers, authorization: `Bearer ${token}` } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${targetUrl.pathname}`,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function retarget(headers: IncomingHttpHeaders, proxyPort: number, targetPort: string): IncomingHttpHeaders {
  const own = new RegExp(`^(http://)?(127\\.0\\.0\\.1|localhost|\\[::1\\]):${proxyPort}$`, 'i');
  const out = { ...headers };
  for (const name of ['host', 'origin'] as const) {
    const value = out[name];
    if (typeof value === 'string' && own.test(value)) out[name] = value.replace(/:\d+$/, `:${targetPort}`);
  }
  return out;
}
