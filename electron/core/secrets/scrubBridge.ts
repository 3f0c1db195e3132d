import type { CoreBridge, MainEventListener, Result } from '../../ipc/contract.ts';
import { fanOutEvents } from '../events/fanOutEvents.ts';
import { recordForSecretScan } from '../log/recordForSecretScan.ts';
import { scrubValue } from './scrubSecrets.ts';

type Handler = (...args: unknown[]) => Promise<Result<unknown>>;

/**
 * The bridge with every answer and every event payload scrubbed of secrets, whichever concern served it, so nothing
 * sent to the window (over IPC or the headless HTTP bridge) carries a token. Kept as they are: `keys:create`'s
 * one-time `key` (the contract's one exception, shown once) and the sign-in page URL while signing in, whose `state`
 * and `nonce` the browser needs (the app built it; it carries no token).
 * @see electron/ipc/contract.ts, security case I4
 */
export function scrubBridge(bridge: CoreBridge): CoreBridge {
  const scrubbed: Record<string, unknown> = {};
  for (const [channel, handler] of Object.entries(bridge)) {
    if (channel === 'subscribe' || typeof handler !== 'function') continue;
    scrubbed[channel] = async (...args: unknown[]) => recorded(channel, scrubAnswer(channel, await (handler as Handler).apply(bridge, args)));
  }
  scrubbed.subscribe = fanOutEvents((dispatch) => bridge.subscribe(((event, payload) => dispatch(event, recorded(event, scrubPayload(payload)) as typeof payload)) as MainEventListener));
  return scrubbed as unknown as CoreBridge;
}

// What the window receives, for the test run's secret scan (a no-op otherwise); the one-time key is left out.
function recorded<T>(name: string, value: T): T {
  recordForSecretScan('contract', () => `${name} ${JSON.stringify(name === 'keys:create' ? '[one-time key answer]' : value)}`);
  return value;
}

function scrubAnswer(channel: string, answer: Result<unknown>): Result<unknown> {
  if (!answer.ok) return scrubValue(answer);
  if (channel !== 'keys:create') return { ok: true, value: scrubPayload(answer.value) };
  const { key, ...rest } = answer.value as { key: string };
  return { ok: true, value: { ...scrubValue(rest), key } };
}

function scrubPayload(payload: unknown): unknown {
  const view = payload as { state?: unknown; url?: unknown } | null;
  if (view?.state !== 'signing-in' || typeof view.url !== 'string') return scrubValue(payload);
  return { ...scrubValue({ ...view, url: undefined }), url: view.url };
}
