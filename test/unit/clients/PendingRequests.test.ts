import { describe, expect, it } from 'vitest';
import { PendingRequests } from '../../../electron/core/clients/PendingRequests.ts';

const request = { name: 'Codex', kind: 'oauth' as const, identity: 'verified' as const, scopes: ['tools:read' as const, 'tools:write' as const] };

function pendingAt(start = 1_000_000) {
  const clock = { now: start };
  return { clock, pending: new PendingRequests({ now: () => clock.now, timeoutMs: 60_000, repeatDenialMs: 30_000 }) };
}

describe('PendingRequests', () => {
  it('denies a client that retries right after the user denied it, without asking the user again (Codex retries at once)', async () => {
    const { clock, pending } = pendingAt();
    const first = pending.ask(request, 'oauth:https://chatgpt.com/oauth/codex/client.json');
    expect(pending.decide(first.view.requestId, 'deny')).toBe(true);
    clock.now += 2_000;
    const retry = pending.ask(request, 'oauth:https://chatgpt.com/oauth/codex/client.json');
    expect(await retry.decision).toBe('deny');
    expect(pending.list()).toEqual([]);
  });

  it('asks again once the moment has passed, and always for other clients', async () => {
    const { clock, pending } = pendingAt();
    pending.decide(pending.ask(request, 'oauth:a').view.requestId, 'deny');
    const other = pending.ask({ ...request, name: 'Cursor' }, 'oauth:b');
    expect(pending.list().map((view) => view.name)).toEqual(['Cursor']);
    pending.decide(other.view.requestId, 'allow-read');
    clock.now += 30_000;
    const later = pending.ask(request, 'oauth:a');
    expect(pending.list().map((view) => view.requestId)).toEqual([later.view.requestId]);
    pending.decide(later.view.requestId, 'allow-write');
    expect(await later.decision).toBe('allow-write');
  });

  it('asks again after a request that was closed unanswered or pushed out: only the user denies', async () => {
    const { clock, pending } = pendingAt();
    const closed = pending.ask(request, 'oauth:a');
    clock.now += 1_000;
    pending.close();
    expect(await closed.decision).toBe('deny');
    const again = pending.ask(request, 'oauth:a');
    expect(pending.list().map((view) => view.requestId)).toEqual([again.view.requestId]);
    pending.close();
    const fresh = new PendingRequests({ now: () => clock.now, maxPendingPerClient: 1 });
    const pushed = fresh.ask(request, 'oauth:a');
    const next = fresh.ask(request, 'oauth:a');
    expect(await pushed.decision).toBe('deny');
    expect(fresh.list().map((view) => view.requestId)).toEqual([next.view.requestId]);
    fresh.close();
  });
});
