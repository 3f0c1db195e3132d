import { describe, expect, it } from 'vitest';
import type { MainEventListener } from '../../../electron/ipc/contract.ts';
import { fanOutEvents } from '../../../electron/core/events/fanOutEvents.ts';

/** An upstream that counts its subscriptions and how often it built an event. */
function upstream() {
  const state = { subscriptions: 0, active: 0, built: 0, emit: (_event: string) => {} };
  const subscribeOnce = (dispatch: MainEventListener) => {
    state.subscriptions += 1;
    state.active += 1;
    state.emit = (event) => {
      state.built += 1;
      (dispatch as (event: string, payload: unknown) => void)(event, { n: state.built });
    };
    return () => void (state.active -= 1);
  };
  return { state, subscribe: fanOutEvents(subscribeOnce) };
}

describe('fanOutEvents', () => {
  it('builds each event once for any number of listeners, and subscribes upstream only while one listens', () => {
    const { state, subscribe } = upstream();
    const seen: string[] = [];
    const stops = ['a', 'b', 'c'].map((name) => subscribe(((event: string) => seen.push(`${name}:${event}`)) as MainEventListener));
    state.emit('tools:changed');
    expect(seen).toEqual(['a:tools:changed', 'b:tools:changed', 'c:tools:changed']);
    expect(state).toMatchObject({ subscriptions: 1, active: 1, built: 1 });
    stops[0]!();
    stops[0]!(); // stopping twice changes nothing
    state.emit('auth:changed');
    expect(seen.slice(3)).toEqual(['b:auth:changed', 'c:auth:changed']);
    stops[1]!();
    stops[2]!();
    expect(state.active).toBe(0);
    subscribe((() => {}) as MainEventListener);
    expect(state).toMatchObject({ subscriptions: 2, active: 1 });
  });

  it('still tells the other listeners when one throws, then rethrows that error', () => {
    const { state, subscribe } = upstream();
    const seen: string[] = [];
    subscribe((() => { throw new Error('broken window'); }) as MainEventListener);
    subscribe(((event: string) => seen.push(event)) as MainEventListener);
    expect(() => state.emit('tools:changed')).toThrow('broken window');
    expect(seen).toEqual(['tools:changed']);
  });
});
