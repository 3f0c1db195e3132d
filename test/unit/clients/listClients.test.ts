import { describe, expect, it } from 'vitest';
import { listClients } from '../../../electron/core/clients/listClients.ts';
import type { ApprovedClient } from '../../../electron/core/clients/LocalAuthority.ts';

const approved: ApprovedClient[] = [
  { clientId: 'a', name: 'Cursor', kind: 'oauth', identity: 'verified', domain: 'cursor.com', redirectUris: ['cursor://cb'], scopes: ['tools:read', 'tools:write'], tools: null, approvedAt: 0 },
  { clientId: 'b', name: 'script', kind: 'key', identity: 'local', scopes: ['tools:read'], tools: ['ListTasks'], approvedAt: 1000 },
];
const session = { clientId: 'a', id: '12345678', clientName: 'cursor-vscode', clientVersion: '1.2', connectedAt: 2000, lastSeenAt: 3000 };

describe('listClients', () => {
  it('joins approved clients with their live sessions, counts and approval policy', () => {
    const views = listClients({
      approved,
      sessions: [session, { ...session, clientId: 'gone', id: 'ffffffff' }],
      stats: new Map([['a', { calls: 7, errors: 2, lastActivityAt: 4000 }]]),
      policyOf: (clientId) => (clientId === 'a' ? 'allow' : 'ask'),
    });
    expect(views).toEqual([
      {
        clientId: 'a', name: 'Cursor', kind: 'oauth', identity: 'verified', domain: 'cursor.com', redirectUris: ['cursor://cb'], access: 'write', tools: null,
        approvalPolicy: 'allow', approvedAt: '1970-01-01T00:00:00.000Z', lastActivityAt: '1970-01-01T00:00:04.000Z', calls: 7, errors: 2,
        sessions: [{ id: '12345678', clientName: 'cursor-vscode', clientVersion: '1.2', connectedAt: '1970-01-01T00:00:02.000Z', lastSeenAt: '1970-01-01T00:00:03.000Z' }],
      },
      { clientId: 'b', name: 'script', kind: 'key', identity: 'local', access: 'read', tools: ['ListTasks'], approvalPolicy: 'ask', approvedAt: '1970-01-01T00:00:01.000Z', calls: 0, errors: 0, sessions: [] },
    ]);
  });

  it("defaults every client's policy to ask when no policy source is given", () => {
    expect(listClients({ approved, sessions: [], stats: new Map() }).map((view) => view.approvalPolicy)).toEqual(['ask', 'ask']);
  });
});
