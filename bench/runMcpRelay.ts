// Bench child: the floor for an MCP tool call over Streamable HTTP with the official SDK client. A bare node:http
// server that speaks just enough JSON-RPC for the SDK client (initialize, notifications, tools/call) and relays every
// tools/call to the upstream over a keep-alive node:http Agent, the upstream's answer as the one text item: no SDK
// server, no schema checks, no sign-in or access key, no result parsing. `node bench/runMcpRelay.ts UPSTREAM_URL QUERY`.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

interface JsonRpcRequest {
  id?: string | number;
  method: string;
  params?: { protocolVersion?: string };
}

const [upstream, query] = process.argv.slice(2);
if (!upstream || !query) throw new Error('usage: node bench/runMcpRelay.ts UPSTREAM_URL QUERY');
const agent = new Agent({ keepAlive: true });
const upstreamBody = Buffer.from(JSON.stringify({ query }));

const server = createServer((req, res) => {
  if (req.method !== 'POST') return void res.writeHead(req.method === 'DELETE' ? 200 : 405).end();
  void readBody(req).then((body) => answer(JSON.parse(body) as JsonRpcRequest, res));
});

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString()));
  });
}

function answer(message: JsonRpcRequest, res: ServerResponse): void {
  if (message.id === undefined) return void res.writeHead(202).end(); // a notification
  if (message.method === 'initialize') {
    const result = { protocolVersion: message.params?.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'bench-mcp-relay', version: '0' } };
    return send(res, message.id, result, { 'mcp-session-id': 'bench' });
  }
  const forwarded = request(upstream!, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': upstreamBody.length } }, (reply) => {
    void readBody(reply).then((text) => send(res, message.id!, { content: [{ type: 'text', text }] }));
  });
  forwarded.on('error', () => res.writeHead(502).end());
  forwarded.end(upstreamBody);
}

function send(res: ServerResponse, id: string | number, result: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ jsonrpc: '2.0', id, result });
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers }).end(body);
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp` })}\n`);
});
createInterface({ input: process.stdin }).on('close', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
