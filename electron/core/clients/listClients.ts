import type { ApprovalPolicy, ClientView, SessionView } from '../../ipc/contract.ts';
import type { ClientActivityStats } from '../activity/ActivityLog.ts';
import type { LiveSession } from '../mcp/McpSessions.ts';
import type { ApprovedClient } from './LocalAuthority.ts';

export interface ListClientsOptions {
  /** `LocalAuthority.approvedClients()`: every approved client, oldest first. */
  approved: ApprovedClient[];
  /** Live sessions (`McpHttpServer.liveSessions()`); sessions of clients no longer approved are left out. */
  sessions: LiveSession[];
  /** Calls, errors and last activity per client (`ActivityLog.stats()`). */
  stats: Map<string, ClientActivityStats>;
  /** What a destructive call of this client does; default `ask`. */
  policyOf?(clientId: string): ApprovalPolicy;
}

/** What `clients:list` shows: each approved client with its live sessions and what it did. Never a credential. Pure. */
export function listClients(options: ListClientsOptions): ClientView[] {
  const sessions = new Map<string, LiveSession[]>();
  for (const session of options.sessions) sessions.set(session.clientId, [...(sessions.get(session.clientId) ?? []), session]);
  return options.approved.map((client) => {
    const stats = options.stats.get(client.clientId);
    const view: ClientView = {
      clientId: client.clientId, name: client.name, kind: client.kind, identity: client.identity,
      access: client.scopes.includes('tools:write') ? 'write' : 'read', tools: client.tools,
      approvalPolicy: options.policyOf?.(client.clientId) ?? 'ask', approvedAt: new Date(client.approvedAt).toISOString(),
      calls: stats?.calls ?? 0, errors: stats?.errors ?? 0, sessions: (sessions.get(client.clientId) ?? []).map(toSessionView),
    };
    if (client.domain !== undefined) view.domain = client.domain;
    if (client.redirectUris !== undefined) view.redirectUris = client.redirectUris;
    if (stats?.lastActivityAt !== undefined) view.lastActivityAt = new Date(stats.lastActivityAt).toISOString();
    return view;
  });
}

function toSessionView(session: LiveSession): SessionView {
  return {
    id: session.id, clientName: session.clientName, clientVersion: session.clientVersion,
    connectedAt: new Date(session.connectedAt).toISOString(), lastSeenAt: new Date(session.lastSeenAt).toISOString(),
  };
}
