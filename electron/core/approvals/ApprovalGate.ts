import { randomUUID } from 'node:crypto';
import type { ApprovalPolicy, CallDecision, PendingCallView } from '../../ipc/contract.ts';
import { systemClock, type Clock } from './Clock.ts';

/** A destructive call about to run: who asks, which tool of which API, with what arguments. */
export interface ApprovalRequest {
  clientId: string;
  clientName: string;
  tool: string;
  api?: string;
  arguments: Record<string, unknown>;
  /** The MCP request's abort signal: a client that gives up withdraws its pending call. */
  signal?: AbortSignal;
  /** Told every `progressIntervalMs` while the call waits for the user, so the client can be kept waiting (MCP progress). */
  onProgress?(message: string): void;
}

export type ApprovalVerdict = { approved: true } | { approved: false; reason: string };

export interface ApprovalGateOptions {
  /** The policy that applies to this client's destructive calls to this API (ask, allow, deny). */
  policyFor(clientId: string, api: string | undefined): ApprovalPolicy;
  clock?: Clock;
  /** How long a call waits for the user; default 2 minutes. */
  timeoutMs?: number;
  /** How often a waiting call's `onProgress` is told it still waits; default 15 s (SDK clients give up after 60 s). */
  progressIntervalMs?: number;
}

interface Pending {
  view: PendingCallView;
  settle(verdict: ApprovalVerdict): void;
}

export const defaultApprovalTimeoutMs = 2 * 60_000;
const defaultProgressIntervalMs = 15_000;

/**
 * Holds destructive tool calls until the user decides in the app (security case K1). Decisions arrive only through
 * `decide`, which the app's contract (`approvals:decide`) calls; nothing an MCP client sends reaches it (K2).
 * "Allow this tool for this client" lasts until the app restarts: it is kept in memory only.
 */
export class ApprovalGate {
  readonly #options: ApprovalGateOptions;
  readonly #clock: Clock;
  readonly #pending = new Map<string, Pending>();
  readonly #allowedTools = new Set<string>();
  readonly #listeners = new Set<(pending: PendingCallView[]) => void>();

  constructor(options: ApprovalGateOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Resolves once the call may run, or with the reason it may not; never rejects. */
  async requestApproval(request: ApprovalRequest): Promise<ApprovalVerdict> {
    const policy = this.#options.policyFor(request.clientId, request.api);
    if (policy === 'allow') return { approved: true };
    if (policy === 'deny') return { approved: false, reason: `${request.clientName} may not run tools that change data (approval policy: deny). Change the policy in the app's Clients view.` };
    if (this.#allowedTools.has(toolKey(request.clientId, request.tool))) return { approved: true };
    if (request.signal?.aborted) return { approved: false, reason: 'The call was cancelled before it was approved.' };
    return this.#wait(request);
  }

  /** The calls waiting for a decision, oldest first. */
  pending(): PendingCallView[] {
    return [...this.#pending.values()].map(({ view }) => view);
  }

  /** Applies the user's decision; false when no call with that id is waiting (already decided, timed out, withdrawn). */
  decide(id: string, decision: CallDecision): boolean {
    const entry = this.#pending.get(id);
    if (!entry) return false;
    if (decision === 'allow-tool') this.#allowedTools.add(toolKey(entry.view.clientId, entry.view.tool));
    entry.settle(decision === 'deny' ? { approved: false, reason: 'The user denied this call in GraphQL MCP Desktop; nothing was sent to the API.' } : { approved: true });
    return true;
  }

  onChanged(listener: (pending: PendingCallView[]) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Forgets "allow this tool" for a client (revoked, or its policy changed). */
  forgetClient(clientId: string): void {
    for (const key of this.#allowedTools) if (key.startsWith(`${clientId}\u0000`)) this.#allowedTools.delete(key);
  }

  /** Refuses every waiting call (the app is stopping). */
  close(): void {
    for (const entry of [...this.#pending.values()]) entry.settle({ approved: false, reason: 'The app stopped before the call was approved; nothing was sent to the API.' });
  }

  #wait(request: ApprovalRequest): Promise<ApprovalVerdict> {
    const timeoutMs = this.#options.timeoutMs ?? defaultApprovalTimeoutMs;
    const now = this.#clock.now();
    const view: PendingCallView = {
      id: randomUUID(), clientId: request.clientId, clientName: request.clientName, tool: request.tool,
      ...(request.api ? { api: request.api } : {}), arguments: request.arguments,
      requestedAt: new Date(now).toISOString(), expiresAt: new Date(now + timeoutMs).toISOString(),
    };
    return new Promise<ApprovalVerdict>((resolve) => {
      const onAbort = () => settle({ approved: false, reason: 'The client cancelled the call before it was approved.' });
      const timer = this.#clock.setTimeout(() => settle({ approved: false, reason: `No decision within ${describeDuration(timeoutMs)}: the call was not run and nothing was sent to the API.` }), timeoutMs);
      const stopProgress = this.#reportProgress(request, view);
      const settle = (verdict: ApprovalVerdict) => {
        if (!this.#pending.delete(view.id)) return;
        this.#clock.clearTimeout(timer);
        stopProgress();
        request.signal?.removeEventListener('abort', onAbort);
        resolve(verdict);
        this.#publish();
      };
      request.signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(view.id, { view, settle });
      this.#publish();
    });
  }

  /** Tells `onProgress` every interval that the call still waits (until the returned stop); nothing without it. */
  #reportProgress(request: ApprovalRequest, view: PendingCallView): () => void {
    const { onProgress } = request;
    if (!onProgress) return () => {};
    const intervalMs = this.#options.progressIntervalMs ?? defaultProgressIntervalMs;
    const message = `Waiting for the user to allow ${view.tool} in GraphQL MCP Desktop (until ${view.expiresAt}).`;
    let timer: unknown;
    const schedule = (): void => {
      timer = this.#clock.setTimeout(() => {
        schedule();
        onProgress(message);
      }, intervalMs);
    };
    schedule();
    return () => this.#clock.clearTimeout(timer);
  }

  #publish(): void {
    const pending = this.pending();
    for (const listener of this.#listeners) listener(pending);
  }
}

function toolKey(clientId: string, tool: string): string {
  return `${clientId}\u0000${tool}`;
}

function describeDuration(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minute${ms === 60_000 ? '' : 's'}` : `${Math.round(ms / 1000)} seconds`;
}
