import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../../../electron/core/activity/ActivityLog.ts';
import { createActivityBridgePart } from '../../../electron/core/activity/createActivityBridgePart.ts';
import type { ApprovedClient } from '../../../electron/core/clients/LocalAuthority.ts';
import type { LiveSession } from '../../../electron/core/mcp/McpSessions.ts';
import type { ClientView, MainEvent } from '../../../electron/ipc/contract.ts';

function setup() {
  const approved: ApprovedClient[] = [{ clientId: 'a', name: 'Cursor', kind: 'oauth', identity: 'self-asserted', scopes: ['tools:read'], tools: null, approvedAt: 0 }];
  let sessions: LiveSession[] = [];
  const sessionListeners = new Set<() => void>();
  const clientListeners = new Set<(id: string) => void>();
  return {
    approved,
    setSessions(next: LiveSession[]) {
      sessions = next;
      sessionListeners.forEach((listener) => listener());
    },
    approve(client: ApprovedClient) {
      approved.push(client);
      clientListeners.forEach((listener) => listener(client.clientId));
    },
    async part() {
      const { log: activity } = await ActivityLog.open({});
      const part = createActivityBridgePart({
        activity,
        authority: { approvedClients: () => approved, onClientChanged: (listener) => (clientListeners.add(listener), () => clientListeners.delete(listener)) },
        mcp: { liveSessions: () => sessions, onSessionsChanged: (listener) => (sessionListeners.add(listener), () => sessionListeners.delete(listener)) },
        coalesceMs: 5,
      });
      return { part, activity };
    },
  };
}

describe('createActivityBridgePart', () => {
  it('answers clients:list from the approved clients, live sessions and activity', async () => {
    const world = setup();
    const { part, activity } = await world.part();
    world.setSessions([{ clientId: 'a', id: 'abcdefgh', clientName: 'cursor', connectedAt: 0, lastSeenAt: 0 }]);
    activity.append({ at: 5, clientId: 'a', clientName: 'Cursor', tool: 't', durationMs: 1, outcome: 'ok' });
    const listed = await part['clients:list']!();
    expect(listed).toMatchObject({ ok: true, value: [{ clientId: 'a', access: 'read', calls: 1, approvalPolicy: 'ask', sessions: [{ id: 'abcdefgh', clientName: 'cursor' }] }] });
  });

  it('uses only well-typed filter fields from the window', async () => {
    const { part, activity } = await setup().part();
    activity.append({ at: 5, clientId: 'a', clientName: 'Cursor', tool: 't', durationMs: 1, outcome: 'ok' });
    activity.append({ at: 6, clientId: 'b', clientName: 'B', tool: 't', durationMs: 1, outcome: 'error' });
    const weird = { clientId: 42, outcome: 'everything', limit: 'all' } as never;
    expect(await part['activity:list']!(weird)).toMatchObject({ ok: true, value: [{ clientId: 'b' }, { clientId: 'a' }] });
    expect(await part['activity:list']!(null as never)).toMatchObject({ ok: true, value: [{ clientId: 'b' }, { clientId: 'a' }] });
    expect(await part['activity:list']!({ outcome: 'error' })).toMatchObject({ value: [{ clientId: 'b' }] });
  });

  it('emits activity:appended for each call and one clients:changed for a burst of changes', async () => {
    const world = setup();
    const { part, activity } = await world.part();
    const events: [MainEvent, unknown][] = [];
    const stop = part.subscribe!((event, payload) => events.push([event, payload]));
    activity.append({ at: 5, clientId: 'a', clientName: 'Cursor', tool: 't', durationMs: 1, outcome: 'ok' });
    world.setSessions([{ clientId: 'a', id: 'abcdefgh', connectedAt: 0, lastSeenAt: 0 }]);
    world.approve({ clientId: 'b', name: 'script', kind: 'key', identity: 'local', scopes: ['tools:read', 'tools:write'], tools: null, approvedAt: 1 });
    await expect.poll(() => events.filter(([event]) => event === 'clients:changed').length).toBe(1);
    expect(events.map(([event]) => event)).toEqual(['activity:appended', 'clients:changed']);
    expect((events[1]![1] as ClientView[]).map((view) => [view.clientId, view.calls, view.sessions.length])).toEqual([['a', 1, 1], ['b', 0, 0]]);
    stop();
    world.setSessions([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events).toHaveLength(2);
  });
});
