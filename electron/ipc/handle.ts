import { ipcMain, type WebContents } from 'electron';
import { toResultError, invokeBridge } from '../core/ui/invokeBridge.ts';
import type { SenderCheck } from '../shell/createSenderCheck.ts';
import { mainApiChannels, type CoreBridge, type MainApi, type MainChannel, type MainEvent, type MainEvents, type Result } from './contract.ts';

type Handler<K extends MainChannel> = (...args: Parameters<MainApi[K]>) => ReturnType<MainApi[K]>;

/**
 * Registers `fn` for `channel`, typed from MainApi. A message from any other sender (another window, a subframe,
 * a page navigated elsewhere) is answered with UI_REQUEST_REFUSED and never reaches `fn`; a throw becomes a Result.
 * @see https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function handle<K extends MainChannel>(channel: K, fn: Handler<K>, isTrustedSender: SenderCheck): () => void {
  ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<Result<unknown>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'UI_REQUEST_REFUSED', message: 'This window may not use the app' } };
    try {
      return await (fn as unknown as (...callArgs: unknown[]) => Promise<Result<unknown>>)(...args);
    } catch (error) {
      return { ok: false, error: toResultError(error) };
    }
  });
  return () => ipcMain.removeHandler(channel);
}

/** Sends one event to a window, typed from MainEvents. */
export function emit<E extends MainEvent>(target: WebContents, event: E, payload: MainEvents[E]): void {
  if (!target.isDestroyed()) target.send(event, payload);
}

export interface ServeBridgeOverIpcOptions {
  bridge: CoreBridge;
  /** The one window allowed to call; events go to it. */
  target: WebContents;
  isTrustedSender: SenderCheck;
}

/** Serves every channel of the contract from the core and forwards its events; returns the function that stops both. */
export function serveBridgeOverIpc(options: ServeBridgeOverIpcOptions): () => void {
  const { bridge, target, isTrustedSender } = options;
  const stops = (Object.keys(mainApiChannels) as MainChannel[]).map((channel) =>
    handle(channel, ((...args: unknown[]) => invokeBridge(bridge, channel, args)) as Handler<typeof channel>, isTrustedSender),
  );
  stops.push(bridge.subscribe((event, payload) => emit(target, event, payload)));
  return () => stops.forEach((stop) => stop());
}
