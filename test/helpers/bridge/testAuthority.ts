import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { BridgeClientInfo, LocalAuthority, Principal } from '../../../electron/core/clients/LocalAuthority.ts';
import { mcpServerName } from '../../../electron/core/mcp/createMcpServer.ts';
import type { ToolCatalog } from '../../../electron/core/ToolCatalog.ts';

type BridgeAuthority = Pick<LocalAuthority, 'authorizeBridgeClient' | 'principalOf' | 'onClientChanged'>;

/** A bridge client waiting for the test's decision, as the window would show it. */
export interface PendingBridgeClient {
  info: BridgeClientInfo;
  allow(): void;
  deny(): void;
}

/**
 * The three LocalAuthority methods the bridge uses, with decisions taken by the test: for serveBridgeSocket tests
 * that do not need the whole core. The core's own authority is tested through startCore.
 */
export interface TestAuthority extends BridgeAuthority {
  pending: PendingBridgeClient[];
  revoke(clientId: string): void;
}

export function createTestAuthority(): TestAuthority {
  const approved = new Map<string, Principal>();
  const listeners = new Set<(clientId: string) => void>();
  const authority: TestAuthority = {
    pending: [],
    authorizeBridgeClient: (info) => new Promise((resolve) => {
      const settle = (principal: Principal | undefined) => {
        authority.pending = authority.pending.filter((entry) => entry !== request);
        if (principal) approved.set(principal.clientId, principal);
        resolve(principal);
      };
      const request: PendingBridgeClient = { info, allow: () => settle(principalFor(info)), deny: () => settle(undefined) };
      authority.pending.push(request);
    }),
    principalOf: (clientId) => approved.get(clientId),
    onClientChanged: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    revoke: (clientId) => {
      approved.delete(clientId);
      for (const listener of listeners) listener(clientId);
    },
  };
  return authority;
}

function principalFor(info: BridgeClientInfo): Principal {
  return { clientId: `bridge-${info.name}`, name: info.name, kind: 'bridge', identity: 'self-asserted', scopes: ['tools:read', 'tools:write'], tools: null, expiresAt: Number.MAX_SAFE_INTEGER };
}

/**
 * A `Server` per approved connection, answering from the catalog while the client is still approved: a stand-in for
 * the core's wiring (createMcpServer with the ToolGateway), which the startCore tests exercise.
 */
export function testServerFactory(catalog: ToolCatalog, authority: BridgeAuthority): (principal: Principal) => Server {
  return (principal) => {
    const server = new Server({ name: mcpServerName, version: '9.9.9' }, { capabilities: { tools: { listChanged: true } } });
    const approved = () => authority.principalOf(principal.clientId) !== undefined;
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: approved() ? catalog.listTools() : [] }));
    server.setRequestHandler(CallToolRequestSchema, (request) => {
      if (!approved()) return { isError: true, content: [{ type: 'text', text: 'revoked' }] };
      return catalog.callTool(request.params.name, request.params.arguments ?? {});
    });
    return server;
  };
}
