// Bench child: the honest floor for two loopback hops. A bare node:http server that forwards each POST body to the
// upstream over a keep-alive node:http Agent and streams the answer back: no MCP, no validation, no JSON work.
// `node bench/runRelay.ts URL`.
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: node bench/runRelay.ts UPSTREAM_URL');
const agent = new Agent({ keepAlive: true });
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const forwarded = request(upstream, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' });
      answer.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    forwarded.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` })}\n`);
});
createInterface({ input: process.stdin }).on('close', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
