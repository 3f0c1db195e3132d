import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { ListToolsRequestSchema, type CallToolRequest, type CallToolResult, type ProgressToken, type ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Principal } from '../clients/LocalAuthority.ts';
import { errorResult } from '../graphql/toToolResult.ts';
import type { Logger } from '../log/Logger.ts';
import type { ToolGateway } from './ToolGateway.ts';

export interface CreateMcpServerOptions {
  /** The app version reported in `serverInfo`. */
  version: string;
  /**
   * The approved client this session belongs to, as it is now (undefined once revoked). It comes from the session's
   * own state, set from the credential that opened it: never from a header of the request being handled.
   */
  principal(): Principal | undefined;
  logger?: Logger;
}

/** Name reported in `serverInfo` during initialize. */
export const mcpServerName = 'graphql-mcp-desktop';

// Parsed loosely at registration so the Server's own CallToolRequestSchema check runs and answers bad params with
// -32602 Invalid params; the strict schema here would fail first and surface as -32603 Internal error.
const looseCallToolRequestSchema = z.object({ method: z.literal('tools/call'), params: z.unknown() });

const instructions =
  'Each tool runs one fixed GraphQL operation against a configured API; arguments are passed only as GraphQL ' +
  'variables. Results carry the GraphQL response ({data, errors}); errors are reported with isError.';

/**
 * Creates the low-level MCP `Server` for one session: `tools/list` and `tools/call` answered through the
 * `ToolGateway` for the session's client, with `listChanged` so hot reloads and allow-list changes reach clients.
 * Incoming HTTP headers (`extra.requestInfo`) are never read: upstream credentials come only from the API's own
 * authorizer, and the caller's identity from the session.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/security_best_practices#token-passthrough
 */
export function createMcpServer(gateway: ToolGateway, options: CreateMcpServerOptions): Server {
  const server = new Server({ name: mcpServerName, version: options.version }, { capabilities: { tools: { listChanged: true } }, instructions });
  server.setRequestHandler(ListToolsRequestSchema, () => {
    const principal = options.principal();
    return { tools: principal ? gateway.list(principal) : [] };
  });
  server.setRequestHandler(looseCallToolRequestSchema, (request, extra): Promise<CallToolResult> | CallToolResult => {
    const { params } = request as CallToolRequest; // validated by the Server's tools/call wrapper
    const principal = options.principal();
    if (!principal) return errorResult('This client is no longer approved in GraphQL MCP Desktop.');
    const progressToken = params._meta?.progressToken;
    const onProgress = progressToken === undefined ? undefined : reportProgress(extra.sendNotification, progressToken, options.logger);
    return gateway.call(principal, params.name, params.arguments ?? {}, extra.signal, onProgress);
  });
  return server;
}

/**
 * Progress for a call whose client asked for it: each report counts `progress` up (it must increase), so a client
 * that resets its request timeout on progress keeps waiting while the user decides (the wait outlasts its 60 s).
 * Sent as the request's own notification: over HTTP on that request's response stream (the transport turns it into
 * SSE), over the stdio bridge on its socket.
 *
 * @see https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/progress
 */
function reportProgress(send: (notification: ServerNotification) => Promise<void>, progressToken: ProgressToken, logger: Logger | undefined): (message: string) => void {
  let progress = 0;
  return (message) => {
    progress += 1;
    send({ method: 'notifications/progress', params: { progressToken, progress, message } })
      .catch((error: unknown) => logger?.debug('progress notification not sent', { error }));
  };
}
