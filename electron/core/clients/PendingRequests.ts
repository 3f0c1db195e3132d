import { randomBytes } from 'node:crypto';
import type { ClientDecision, PendingClientView } from '../../ipc/contract.ts';

export interface PendingRequestsOptions {
  /** How long a request waits for the user; then it is denied (default 5 minutes). */
  timeoutMs?: number;
  /** Requests waiting at once; a new one beyond it pushes out the oldest (default 20). */
  maxPending?: number;
  /** Requests of one client waiting at once; its new one pushes out its oldest (default 3). */
  maxPendingPerClient?: number;
  /** After the user denies a client, its requests within this time are denied without asking again (default 30 s). */
  repeatDenialMs?: number;
  now?: () => number;
}

type Ask = Omit<PendingClientView, 'requestId' | 'requestedAt' | 'expiresAt'>;

interface Entry {
  view: PendingClientView;
  clientKey: string;
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
  readonly #maxPerClient: number;
  readonly #repeatDenialMs: number;
  readonly #now: () => number;
  /** When the user last denied each client key; a timeout or a pushed-out request is not the user's answer. */
  readonly #deniedAt = new Map<string, number>();

  constructor(options: PendingRequestsOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 5 * 60_000;
    this.#maxPending = options.maxPending ?? 20;
    this.#maxPerClient = options.maxPendingPerClient ?? 3;
    this.#repeatDenialMs = options.repeatDenialMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Shows the request to the user; `decision` settles with their answer, or `deny` on timeout, on close, or when
   * pushed out. `clientKey` names who asks (an OAuth client id, a bridge client's name): a client flooding requests
   * only pushes out its own older ones, and a flood of different clients the oldest, never the newest, request.
   * A client the user denied moments ago is denied again without asking: clients such as Codex retry at once.
   */
  ask(request: Ask, clientKey: string): { view: PendingClientView; decision: Promise<ClientDecision> } {
    const requestId = randomBytes(12).toString('base64url');
    const now = this.#now();
    const view: PendingClientView = { ...request, requestId, requestedAt: new Date(now).toISOString(), expiresAt: new Date(now + this.#timeoutMs).toISOString() };
    if (now - (this.#deniedAt.get(clientKey) ?? -Infinity) < this.#repeatDenialMs) return { view, decision: Promise.resolve('deny') };
    this.#makeRoom(clientKey);
    const decision = new Promise<ClientDecision>((resolve) => {
      const timer = setTimeout(() => this.#settle(requestId, 'deny'), this.#timeoutMs);
      timer.unref();
      this.#entries.set(requestId, { view, clientKey, resolve, timer });
    });
    this.#changed();
    return { view: { ...view }, decision };
  }

  /** The user's answer; false when no such request waits (decided, expired, or never existed). */
  decide(requestId: string, decision: ClientDecision): boolean {
    const clientKey = this.#entries.get(requestId)?.clientKey;
    if (clientKey === undefined) return false;
    this.#forgetOldDenials();
    if (decision === 'deny') this.#deniedAt.set(clientKey, this.#now());
    else this.#deniedAt.delete(clientKey);
    return this.#settle(requestId, decision);
  }

  #settle(requestId: string, decision: ClientDecision): boolean {
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
    for (const requestId of [...this.#entries.keys()]) this.#settle(requestId, 'deny');
    this.#listeners.clear();
  }

  // Bounded by the clients denied within the last repeatDenialMs, however many registrations are denied over a day.
  #forgetOldDenials(): void {
    const now = this.#now();
    for (const [clientKey, at] of this.#deniedAt) if (now - at >= this.#repeatDenialMs) this.#deniedAt.delete(clientKey);
  }

  #makeRoom(clientKey: string): void {
    const own = [...this.#entries].filter(([, entry]) => entry.clientKey === clientKey);
    if (own.length >= this.#maxPerClient) this.#settle(own[0]![0], 'deny');
    if (this.#entries.size >= this.#maxPending) this.#settle(this.#entries.keys().next().value!, 'deny');
  }

  #changed(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}
