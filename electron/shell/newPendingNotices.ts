import type { PendingCallView, PendingClientView } from '../ipc/contract.ts';

export interface PendingSnapshot {
  calls: readonly PendingCallView[];
  clients: readonly PendingClientView[];
}

/**
 * One notification per decision that appeared since the last snapshot (never again for one already shown). Names are
 * the core's plain-text forms; arguments stay in the window, not in an OS notification that other apps may read.
 */
export function newPendingNotices(before: PendingSnapshot, after: PendingSnapshot): { title: string; body: string }[] {
  const seenCalls = new Set(before.calls.map((call) => call.id));
  const seenClients = new Set(before.clients.map((client) => client.requestId));
  return [
    ...after.clients.filter((client) => !seenClients.has(client.requestId)).map((client) => ({
      title: 'A client asks to connect',
      body: `${client.name} wants ${client.scopes.includes('tools:write') ? 'read-write' : 'read-only'} access. Open GraphQL MCP Desktop to decide.`,
    })),
    ...after.calls.filter((call) => !seenCalls.has(call.id)).map((call) => ({
      title: 'Approve a change?',
      body: `${call.clientName} wants to run ${call.tool}${call.api ? ` on ${call.api}` : ''}. Open GraphQL MCP Desktop to decide.`,
    })),
  ];
}
