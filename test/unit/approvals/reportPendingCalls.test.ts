import { describe, expect, it } from 'vitest';
import type { MainEventListener, PendingCallView } from '../../../electron/ipc/contract.ts';
import { reportPendingCalls } from '../../../electron/core/approvals/reportPendingCalls.ts';

const call = (id: string): PendingCallView => ({
  id, clientId: 'c1', clientName: 'Cursor', tool: 'createTask', api: 'tasks', arguments: { secretNote: 'do not print' },
  requestedAt: '2026-12-07T14:00:00.000Z', expiresAt: '2026-12-07T14:02:00.000Z',
});

describe('reportPendingCalls', () => {
  it('prints one line per new pending call with the window URL, never the arguments', () => {
    let emit: MainEventListener = () => {};
    const lines: string[] = [];
    reportPendingCalls((listener) => ((emit = listener), () => {}), 'http://127.0.0.1:5000/ui/?token=t', (line) => lines.push(line));
    emit('approvals:changed', [call('a')]);
    emit('approvals:changed', [call('a'), call('b')]);
    emit('approvals:changed', []);
    expect(lines).toEqual([
      'Approval needed: "Cursor" wants to run createTask on API tasks (waits until 2026-12-07T14:02:00.000Z) — allow or deny in the window: http://127.0.0.1:5000/ui/?token=t\n',
      expect.stringContaining('createTask'),
    ]);
    expect(lines.join('')).not.toContain('do not print');
  });
});
