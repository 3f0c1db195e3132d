import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A real HTTP forward proxy on 127.0.0.1: CONNECT tunnels and absolute-form requests, every target sent to `port`. */
export interface ForwardProxy {
  url: string;
  /** `host:port` of each CONNECT, and the URL of each absolute-form request, in order. */
  seen: string[];
  close(): Promise<void>;
}

/**
 * Starts the proxy. It resolves no names: every target host (say `api.corp.example`) is reached at 127.0.0.1:`port`,
 * so tests can use a non-loopback name, which the client must proxy, for a server on loopback.
 */
export async function startForwardProxy(port: number): Promise<ForwardProxy> {
  const seen: string[] = [];
  const tunnels = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const forwarded = httpRequest({ host: '127.0.0.1', port, method: req.method, path: target.pathname + target.search, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  server.on('connect', (req, client: Socket, head) => {
    seen.push(req.url ?? '');
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => {
      for (const tunnel of tunnels) tunnel.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
