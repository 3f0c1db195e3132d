import { randomBytes } from 'node:crypto';
import type { ClientDecision, PendingClientView } from '../../ipc/contract.ts';

export interface PendingRequestsOptions {
  /** How long a request waits for the user; then it is denied (default 5 minutes). */
  timeoutMs?: number;
  /** Requests waiting at once; more are denied at once, so a flood of registrations cannot bury real ones. */
  maxPending?: number;
  now?: () => number;
}

type Ask = Omit<PendingClientView, 'requestId' | 'requestedAt' | 'expiresAt'>;

interface Entry {
  view: PendingClientView;
  resolve(decision: ClientDecision): void;
  timer: NodeJS.Timeout;
}

/**
 * Client requests (OAuth authorizations, bridge connections) waiting for the user's decision in the app. The only
 * way to decide is `decide`, which the window's contract calls; no decision in time means `deny`.
 */
export class PendingRequests {
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<() => void>();
  readonly #timeoutMs: number;
  readonly #maxPending: number;
  readonly #now: () => number;

  constructor(options: PendingRequestsOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5 * 60_000;
    this.#maxPending = options.maxPending ?? 20;
    this.#now = options.now ?? Date.now;
  }

  /** Shows the request to the user; `decision` settles with their answer, or `deny` on timeout, overflow or close. */
  ask(request: Ask): { view: PendingClientView; decision: Promise<ClientDecision> } {
    const requestId = randomBytes(12).toString('base64url');
    const now = this.#now();
    const view: PendingClientView = { ...request, requestId, requestedAt: new Date(now).toISOString(), expiresAt: new Date(now + this.#timeoutMs).toISOString() };
    if (this.#entries.size >= this.#maxPending) return { view, decision: Promise.resolve('deny') };
    const decision = new Promise<ClientDecision>((resolve) => {
      const timer = setTimeout(() => this.decide(requestId, 'deny'), this.#timeoutMs);
      timer.unref();
      this.#entries.set(requestId, { view, resolve, timer });
    });
    this.#changed();
    return { view: { ...view }, decision };
  }

  /** False when no such request waits (decided, expired, or never existed). */
  decide(requestId: string, decision: ClientDecision): boolean {
    const entry = this.#entries.get(requestId);
    if (!entry) return false;
    this.#entries.delete(requestId);
    clearTimeout(entry.timer);
    entry.resolve(decision);
    this.#changed();
    return true;
  }

  has(requestId: string): boolean {
    return this.#entries.has(requestId);
  }

  list(): PendingClientView[] {
    return [...this.#entries.values()].map((entry) => ({ ...entry.view }));
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Denies everything still waiting. */
  close(): void {
    for (const requestId of [...this.#entries.keys()]) this.decide(requestId, 'deny');
    this.#listeners.clear();
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
