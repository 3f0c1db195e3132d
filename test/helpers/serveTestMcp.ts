import { serveMcp, type McpHttpServer, type ServeMcpOptions } from '../../electron/core/mcp/serveMcp.ts';
import { ToolGateway, type ToolGatewayOptions } from '../../electron/core/mcp/ToolGateway.ts';
import type { ToolCatalog } from '../../electron/core/ToolCatalog.ts';
import { createTestAuthority, type TestAuthority } from './testAuthority.ts';

export interface TestMcp {
  mcp: McpHttpServer;
  authority: TestAuthority;
  gateway: ToolGateway;
  /** A read-write client approved before the server started. */
  token: string;
  clientId: string;
  /** `mcpPostHeaders` style headers with that client's bearer. */
  auth: { authorization: string };
}

export interface ServeTestMcpOptions extends Partial<Omit<ServeMcpOptions, 'gateway' | 'authority'>> {
  authority?: TestAuthority;
  gateway?: Omit<ToolGatewayOptions, 'catalog'>;
}

/** serveMcp on a free port with an in-memory authority (one client approved) and a gateway over `catalog`. */
export async function serveTestMcp(catalog: ToolCatalog, options: ServeTestMcpOptions = {}): Promise<TestMcp> {
  const { authority = createTestAuthority(), gateway: gatewayOptions, ...overrides } = options;
  const gateway = new ToolGateway({ catalog, ...gatewayOptions });
  const { clientId, token, headers } = authority.addClient('test client');
  const mcp = await serveMcp({ authority, gateway, version: '1', port: 0, ...overrides });
  return { mcp, authority, gateway, token, clientId, auth: headers };
}
