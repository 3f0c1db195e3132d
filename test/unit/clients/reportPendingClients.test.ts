import { describe, expect, it } from 'vitest';
import type { MainEventListener, PendingClientView } from '../../../electron/ipc/contract.ts';
import { describePendingClient, reportPendingClients } from '../../../electron/core/clients/reportPendingClients.ts';

const request = (requestId: string, extra: Partial<PendingClientView> = {}): PendingClientView => ({
  requestId, name: 'Claude Code', kind: 'oauth', identity: 'verified', domain: 'claude.ai', redirectUri: 'http://localhost:5555/callback',
  scopes: ['tools:read', 'tools:write'], requestedAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-01T00:05:00.000Z', ...extra,
});

describe('reportPendingClients', () => {
  it('prints one line per new request, with who asks and the window URL to decide in', () => {
    let emit: MainEventListener = () => {};
    const lines: string[] = [];
    reportPendingClients((listener) => { emit = listener; return () => {}; }, 'http://127.0.0.1:1/ui/?token=t', (line) => lines.push(line));
    emit('clients:pending-changed', [request('a')]);
    emit('clients:pending-changed', [request('a'), request('b', { name: 'tool', kind: 'bridge', identity: 'self-asserted', domain: undefined })]);
    emit('clients:pending-changed', []);
    expect(lines).toEqual([
      'Client asks for access: "Claude Code" (verified: claude.ai; redirect http://localhost:5555/callback; tools:read tools:write) — decide in the window: http://127.0.0.1:1/ui/?token=t\n',
      'Client asks for access: "tool" (self-asserted; stdio bridge; tools:read tools:write) — decide in the window: http://127.0.0.1:1/ui/?token=t\n',
    ]);
  });

  it('says so when there is no window to decide in', () => {
    expect(describePendingClient(request('a'), undefined)).toContain('the window is not built');
  });
});
