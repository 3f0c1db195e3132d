import type { MainEventListener, PendingCallView } from '../../ipc/contract.ts';

/** What headless mode prints for a call waiting for approval: who, what, until when, and where to decide (never the arguments). */
export function describePendingCall(call: PendingCallView, windowUrl: string | undefined): string {
  const where = windowUrl ? `allow or deny in the window: ${windowUrl}` : 'the window is not built (npm run build:renderer), so it will be refused when it times out';
  return `Approval needed: "${call.clientName}" wants to run ${call.tool}${call.api ? ` on API ${call.api}` : ''} (waits until ${call.expiresAt}) — ${where}`;
}

/**
 * Prints one line per new pending call (headless mode has no window of its own to pop up).
 * @returns a function that stops printing
 */
export function reportPendingCalls(subscribe: (listener: MainEventListener) => () => void, windowUrl: string | undefined, write: (line: string) => void): () => void {
  let printed = new Set<string>();
  return subscribe(((event, payload) => {
    if (event !== 'approvals:changed') return;
    const waiting = payload as PendingCallView[];
    for (const call of waiting) if (!printed.has(call.id)) write(`${describePendingCall(call, windowUrl)}\n`);
    // Decided calls never come back (ids are random), so only the waiting ones need remembering.
    printed = new Set(waiting.map((call) => call.id));
  }) as MainEventListener);
}
