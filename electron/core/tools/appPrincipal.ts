import type { Principal } from '../clients/LocalAuthority.ts';

/**
 * The app itself as a caller, for the window's Try it: it runs through the same gateway as an MCP client (every
 * tool, read and write scope), so a mutation still waits for approval and the call shows in the activity log.
 */
export const appPrincipal: Principal = {
  clientId: 'app', name: 'Try it (GraphQL MCP Desktop)', kind: 'key', identity: 'local',
  scopes: ['tools:read', 'tools:write'], tools: null, expiresAt: Number.POSITIVE_INFINITY,
};
