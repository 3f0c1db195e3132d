// Bench child: the floor for two loopback hops. A bare node:http server that forwards each POST body to the
// upstream with fetch and returns the answer: no MCP, no validation, no JSON work. `node bench/runRelay.ts URL`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: node bench/runRelay.ts UPSTREAM_URL');
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', async () => {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) });
    res.writeHead(response.status, { 'content-type': 'application/json' }).end(await response.text());
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` })}\n`);
});
createInterface({ input: process.stdin }).on('close', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
