import type { MainEventListener, PendingClientView } from '../../ipc/contract.ts';

/** What headless mode prints for a client waiting for approval: who asks, and where to decide. */
export function describePendingClient(request: PendingClientView, windowUrl: string | undefined): string {
  const identity = request.identity === 'verified' ? `verified: ${request.domain}` : request.identity;
  const via = request.kind === 'bridge' ? 'stdio bridge' : `redirect ${request.redirectUri ?? '-'}`;
  const where = windowUrl ? `decide in the window: ${windowUrl}` : 'the window is not built (npm run build:renderer), so it cannot be decided here';
  return `Client asks for access: "${request.name}" (${identity}; ${via}; ${request.scopes.join(' ')}) — ${where}`;
}

/**
 * Prints one line per new pending client request (headless mode has no window of its own to pop up).
 * @returns a function that stops printing
 */
export function reportPendingClients(subscribe: (listener: MainEventListener) => () => void, windowUrl: string | undefined, write: (line: string) => void): () => void {
  const printed = new Set<string>();
  return subscribe(((event, payload) => {
    if (event !== 'clients:pending-changed') return;
    const waiting = new Set<string>();
    for (const request of payload as PendingClientView[]) {
      waiting.add(request.requestId);
      if (!printed.has(request.requestId)) write(`${describePendingClient(request, windowUrl)}\n`);
    }
    // Decided or expired requests never come back (ids are random), so only the waiting ones need remembering.
    printed.clear();
    waiting.forEach((id) => printed.add(id));
  }) as MainEventListener);
}
