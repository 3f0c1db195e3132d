import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCRequest, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';

/** A transport that checks each message's JSON-RPC shape itself and can hand requests on without the SDK's routing. */
export interface RequestRoutingTransport extends Transport {
  /** Set by `connectMcpServer`; when set, requests go here instead of `onmessage`. */
  onrequest?: (request: JSONRPCRequest, extra?: MessageExtraInfo) => void;
}

type RequestHandling = (request: JSONRPCRequest, extra?: MessageExtraInfo) => void;

/**
 * Connects the SDK `Server` to one of the app's transports and lets the transport hand each request straight to the
 * Server's request handling. The SDK's `onmessage` first routes every message with three zod parses (two of them
 * failing for a request), which our transports' own shape check has made redundant: 0.05–0.08 ms of CPU per tool
 * call (bench/RESULTS.md). `_onrequest` is what that routing calls next in SDK 1.x's Protocol; should an SDK update
 * drop it, every message goes through `onmessage` as before (and connectMcpServer's test fails, to say so).
 */
export async function connectMcpServer(server: Server, transport: RequestRoutingTransport): Promise<void> {
  await server.connect(transport);
  const handle = (server as unknown as { _onrequest?: RequestHandling })._onrequest;
  if (typeof handle === 'function') transport.onrequest = (request, extra) => handle.call(server, request, extra);
}
