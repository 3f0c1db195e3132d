import type { CoreBridge, MainEventListener, Result } from '../../ipc/contract.ts';
import { scrubValue } from './scrubSecrets.ts';

type Handler = (...args: unknown[]) => Promise<Result<unknown>>;

/**
 * The bridge with every answer and every event payload scrubbed of secrets, whichever concern served it, so nothing
 * sent to the window (over IPC or the headless HTTP bridge) carries a token. The one exception the contract makes:
 * `keys:create`'s one-time `key`, which the user must see once.
 * @see electron/ipc/contract.ts, security case I4
 */
export function scrubBridge(bridge: CoreBridge): CoreBridge {
  const scrubbed: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(bridge)) {
    if (channel === 'subscribe' || typeof handler !== 'function') continue;
    scrubbed[channel] = async (...args: unknown[]) => scrubAnswer(channel, await (handler as Handler).apply(bridge, args));
  }
  scrubbed.subscribe = (listener: MainEventListener) => bridge.subscribe(((event, payload) => listener(event, scrubValue(payload))) as MainEventListener);
  return scrubbed as unknown as CoreBridge;
}

function scrubAnswer(channel: string, answer: Result<unknown>): Result<unknown> {
  if (channel !== 'keys:create' || !answer.ok) return scrubValue(answer);
  const { key, ...rest } = answer.value as { key: string };
  return { ok: true, value: { ...scrubValue(rest), key } };
}
