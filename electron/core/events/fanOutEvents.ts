import type { MainEventListener } from '../../ipc/contract.ts';

/**
 * One subscription upstream for any number of listeners: `subscribeOnce` is called when the first listener arrives
 * and stopped when the last leaves, so each event is built, scrubbed and recorded once, not once per listener (the
 * headless app has three, Electron two, plus one per open window). A listener that throws does not keep the event
 * from the others; the first error is rethrown once all have had it.
 */
export function fanOutEvents(subscribeOnce: (dispatch: MainEventListener) => () => void): (listener: MainEventListener) => () => void {
  const listeners = new Set<MainEventListener>();
  let stopUpstream: (() => void) | undefined;
  const dispatch = ((event, payload) => {
    let failure: { error: unknown } | undefined;
    for (const listener of [...listeners]) {
      try {
        listener(event, payload);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }) as MainEventListener;
  return (listener) => {
    // A function object of its own, so the same listener subscribed twice is two subscriptions, as before.
    const own = ((event, payload) => listener(event, payload)) as MainEventListener;
    listeners.add(own);
    stopUpstream ??= subscribeOnce(dispatch);
    return () => {
      if (!listeners.delete(own) || listeners.size > 0) return;
      stopUpstream?.();
      stopUpstream = undefined;
    };
  };
}
