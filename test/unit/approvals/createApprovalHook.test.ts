import { describe, expect, it } from 'vitest';
import { ApprovalGate } from '../../../electron/core/approvals/ApprovalGate.ts';
import { createApprovalHook, type GatedCall } from '../../../electron/core/approvals/createApprovalHook.ts';

const call = (destructive: boolean, args: Record<string, unknown> = {}): GatedCall => ({
  principal: { clientId: 'c1', name: 'Cursor' }, api: 'tasks', args,
  tool: { name: destructive ? 'createTask' : 'listTasks', description: '', inputSchema: { type: 'object' }, annotations: destructive ? { destructiveHint: true } : { readOnlyHint: true } },
});

describe('createApprovalHook', () => {
  it('lets read-only calls through without asking and holds a mutation until the user decides', async () => {
    const gate = new ApprovalGate({ policyFor: () => 'ask' });
    const hook = createApprovalHook({ gate, kindOf: () => 'operation' });
    expect(await hook(call(false))).toEqual({ allowed: true });
    expect(gate.pending()).toEqual([]);
    const held = hook(call(true, { title: 'x' }));
    expect(gate.pending()).toMatchObject([{ clientName: 'Cursor', tool: 'createTask', api: 'tasks', arguments: { title: 'x' } }]);
    gate.decide(gate.pending()[0]!.id, 'deny');
    expect(await held).toMatchObject({ allowed: false, reason: expect.stringContaining('denied') });
  });
});
