// Pure (type-only electron import) so the check runs in unit tests under plain Node.
import type { WebContents } from 'electron';

/** The parts of an IPC event the check reads; Electron's IpcMainInvokeEvent has them. */
export interface SenderEvent {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

/** Decides whether an IPC message comes from the app's own window showing the app's own page. */
export type SenderCheck = (event: SenderEvent) => boolean;

export interface SenderCheckOptions {
  /** The window's webContents; messages from any other webContents are refused. */
  webContents: () => WebContents | undefined;
  /** Origins the app's page is loaded from, e.g. `app://renderer` (and the vite dev server in development). */
  origins: readonly string[];
}

/**
 * The sender check for the app's window: same webContents, top frame, page from one of the app's origins.
 * @see https://www.electronjs.org/docs/latest/tutorial/security#17-validate-the-sender-of-all-ipc-messages
 */
export function createSenderCheck(options: SenderCheckOptions): SenderCheck {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null || event.sender !== options.webContents()) return false;
    return options.origins.some((origin) => isSameOrigin(frame.url, origin));
  };
}

/** Scheme + host + port; WHATWG `URL.origin` is "null" for custom schemes such as `app:`, so compare the parts. */
export function isSameOrigin(url: string, origin: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(origin);
    return a.protocol === b.protocol && a.host === b.host && a.host !== '';
  } catch {
    return false;
  }
}
