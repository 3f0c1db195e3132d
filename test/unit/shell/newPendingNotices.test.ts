import { describe, expect, it } from 'vitest';
import type { PendingCallView, PendingClientView } from '../../../electron/ipc/contract.ts';
import { newPendingNotices } from '../../../electron/shell/newPendingNotices.ts';

const call: PendingCallView = { id: 'c1', clientId: 'x', clientName: 'Cursor', tool: 'CreateTask', api: 'tasks', arguments: { title: 'secret plan' }, requestedAt: '', expiresAt: '' };
const client: PendingClientView = { requestId: 'r1', name: 'Claude Code', kind: 'oauth', identity: 'verified', scopes: ['tools:read', 'tools:write'], requestedAt: '', expiresAt: '' };

describe('newPendingNotices', () => {
  it('announces each new client request and mutation call once', () => {
    const empty = { calls: [], clients: [] };
    const first = newPendingNotices(empty, { calls: [call], clients: [client] });
    expect(first.map((notice) => notice.body)).toEqual([
      'Claude Code wants read-write access. Open GraphQL MCP Desktop to decide.',
      'Cursor wants to run CreateTask on tasks. Open GraphQL MCP Desktop to decide.',
    ]);
    expect(newPendingNotices({ calls: [call], clients: [client] }, { calls: [call], clients: [client] })).toEqual([]);
  });

  it('never puts call arguments into an OS notification', () => {
    expect(JSON.stringify(newPendingNotices({ calls: [], clients: [] }, { calls: [call], clients: [] }))).not.toContain('secret plan');
  });
});
