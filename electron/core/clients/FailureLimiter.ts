export interface FailureLimiterOptions {
  /** Failures allowed per key within one window. */
  max: number;
  windowMs: number;
  /** Keys remembered at most (the oldest are forgotten first), so a flood of sources cannot grow memory. */
  maxKeys?: number;
  now?: () => number;
}

/**
 * Counts failures per key (a source address or a client) in fixed windows. Callers refuse further failing attempts
 * with 429 while `retryAfterSeconds` is positive; a valid credential is still accepted, so a noisy client on the same
 * loopback address cannot lock the others out.
 */
export class FailureLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  readonly #options: Required<FailureLimiterOptions>;

  constructor(options: FailureLimiterOptions) {
    this.#options = { maxKeys: 1000, now: Date.now, ...options };
  }

  /** Seconds until `key` may fail again; 0 when it is not limited. */
  retryAfterSeconds(key: string): number {
    const window = this.#windows.get(key);
    const now = this.#options.now();
    if (!window || window.resetAt <= now || window.count < this.#options.max) return 0;
    return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
  }

  recordFailure(key: string): void {
    const now = this.#options.now();
    const window = this.#windows.get(key);
    if (window && window.resetAt > now) {
      window.count += 1;
      return;
    }
    this.#windows.delete(key);
    if (this.#windows.size >= this.#options.maxKeys) this.#forgetOldest(now);
    this.#windows.set(key, { count: 1, resetAt: now + this.#options.windowMs });
  }

  #forgetOldest(now: number): void {
    for (const [key, window] of this.#windows) if (window.resetAt <= now) this.#windows.delete(key);
    if (this.#windows.size >= this.#options.maxKeys) this.#windows.delete(this.#windows.keys().next().value!);
  }
}
