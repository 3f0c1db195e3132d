import { describe, expect, it } from 'vitest';
import type { ApprovalPolicy } from '../../../electron/ipc/contract.ts';
import { ApprovalGate, type ApprovalRequest } from '../../../electron/core/approvals/ApprovalGate.ts';
import type { Clock } from '../../../electron/core/approvals/Clock.ts';

/** A clock whose time moves only when the test says so. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.parse('2026-12-07T12:00:00Z');
  const timers = new Map<number, { at: number; callback: () => void }>();
  let next = 0;
  return {
    now: () => now,
    setTimeout: (callback, ms) => (timers.set(++next, { at: now + ms, callback }), next),
    clearTimeout: (handle) => void timers.delete(handle as number),
    advance(ms) {
      now += ms;
      for (const [id, timer] of [...timers]) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.callback();
      }
    },
  };
}

const request = (overrides: Partial<ApprovalRequest> = {}): ApprovalRequest => ({
  clientId: 'c1', clientName: 'Cursor', tool: 'createTask', api: 'tasks', arguments: { title: 'Ship it' }, ...overrides,
});

function gate(policy: ApprovalPolicy = 'ask', clock = manualClock()) {
  return { clock, gate: new ApprovalGate({ policyFor: () => policy, clock }) };
}

describe('ApprovalGate', () => {
  it('lets a call run at once under the allow policy and refuses it under deny, with the reason', async () => {
    expect(await gate('allow').gate.requestApproval(request())).toEqual({ approved: true });
    const denied = await gate('deny').gate.requestApproval(request());
    expect(denied).toMatchObject({ approved: false, reason: expect.stringContaining('approval policy: deny') });
  });

  it('holds a call under ask, showing client, tool, API and arguments, until the user allows it once', async () => {
    const { gate: approvals } = gate();
    let settled = false;
    const verdict = approvals.requestApproval(request()).then((value) => ((settled = true), value));
    const [pending] = approvals.pending();
    expect(pending).toMatchObject({ clientId: 'c1', clientName: 'Cursor', tool: 'createTask', api: 'tasks', arguments: { title: 'Ship it' } });
    await Promise.resolve();
    expect(settled).toBe(false);
    expect(approvals.decide(pending!.id, 'allow-once')).toBe(true);
    expect(await verdict).toEqual({ approved: true });
    expect(approvals.pending()).toEqual([]);
    // Allow once is once: the next call asks again.
    void approvals.requestApproval(request());
    expect(approvals.pending()).toHaveLength(1);
  });

  it('refuses a call the user denies, and the id cannot be decided twice', async () => {
    const { gate: approvals } = gate();
    const verdict = approvals.requestApproval(request());
    const id = approvals.pending()[0]!.id;
    approvals.decide(id, 'deny');
    expect(await verdict).toMatchObject({ approved: false, reason: expect.stringContaining('denied') });
    expect(approvals.decide(id, 'allow-once')).toBe(false);
  });

  it('refuses a call nobody decided within 2 minutes, saying so', async () => {
    const { gate: approvals, clock } = gate();
    const verdict = approvals.requestApproval(request());
    const pending = approvals.pending()[0]!;
    expect(Date.parse(pending.expiresAt) - Date.parse(pending.requestedAt)).toBe(120_000);
    clock.advance(119_999);
    expect(approvals.pending()).toHaveLength(1);
    clock.advance(1);
    expect(await verdict).toEqual({ approved: false, reason: expect.stringContaining('No decision within 2 minutes') });
    expect(approvals.pending()).toEqual([]);
  });

  it('remembers "allow this tool" for that client and tool only', async () => {
    const { gate: approvals } = gate();
    const first = approvals.requestApproval(request());
    approvals.decide(approvals.pending()[0]!.id, 'allow-tool');
    await first;
    expect(await approvals.requestApproval(request({ arguments: { title: 'again' } }))).toEqual({ approved: true });
    void approvals.requestApproval(request({ tool: 'deleteTask' }));
    void approvals.requestApproval(request({ clientId: 'c2', clientName: 'Codex' }));
    expect(approvals.pending().map((call) => `${call.clientId}/${call.tool}`)).toEqual(['c1/deleteTask', 'c2/createTask']);
    approvals.forgetClient('c1');
    void approvals.requestApproval(request());
    expect(approvals.pending()).toHaveLength(3);
  });

  it('withdraws a pending call when the client cancels it', async () => {
    const { gate: approvals } = gate();
    const controller = new AbortController();
    const verdict = approvals.requestApproval(request({ signal: controller.signal }));
    controller.abort();
    expect(await verdict).toMatchObject({ approved: false, reason: expect.stringContaining('cancelled') });
    expect(approvals.pending()).toEqual([]);
  });

  it('announces every change of the pending list and refuses what is left when closed', async () => {
    const { gate: approvals } = gate();
    const seen: number[] = [];
    approvals.onChanged((pending) => seen.push(pending.length));
    const one = approvals.requestApproval(request());
    const two = approvals.requestApproval(request({ tool: 'deleteTask' }));
    approvals.close();
    expect(await one).toMatchObject({ approved: false });
    expect(await two).toMatchObject({ approved: false });
    expect(seen).toEqual([1, 2, 1, 0]);
  });

  it('tells a waiting call every 15 s that it still waits (MCP progress), and stops once the user decides', async () => {
    const { gate: approvals, clock } = gate();
    const told: string[] = [];
    const verdict = approvals.requestApproval(request({ onProgress: (message) => told.push(message) }));
    clock.advance(14_999);
    expect(told).toEqual([]);
    for (let tick = 0; tick < 3; tick += 1) clock.advance(15_000);
    expect(told).toHaveLength(3);
    expect(told[0]).toContain('Waiting for the user to allow createTask');
    approvals.decide(approvals.pending()[0]!.id, 'allow-once');
    expect(await verdict).toEqual({ approved: true });
    clock.advance(60_000);
    expect(told).toHaveLength(3);
  });
});
