export interface GrantWatchOptions {
  /** Between background checks while running. */
  intervalMs: number;
  now(): number;
  /** Looks for the grant; never rejects. */
  check(): Promise<void>;
}

// API calls check at most this often: a keychain read per call would slow every call down.
const minCallCheckGapMs = 1_000;
// A call waits for the check at most this long: a keychain that hangs (a prompt, up to its 5 s timeout) must not
// hold up calls; the check finishes in the background and signs out then.
const maxCallWaitMs = 250;

/**
 * Runs the "is the grant still in the keychain?" check in the background while signed in, and before API calls
 * (at most once a second, one check at a time), so a `logout` run from another process is noticed (issue 7, item 7).
 */
export class GrantWatch {
  readonly #options: GrantWatchOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #lastCheck = Number.NEGATIVE_INFINITY;

  constructor(options: GrantWatchOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer) return;
    this.#lastCheck = this.#options.now();
    this.#timer = setInterval(() => void this.#run(), this.#options.intervalMs);
    this.#timer.unref(); // never what keeps the process alive
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The check to wait for before a call, or undefined when none is due (one ran within the last second). */
  checkSoon(): Promise<void> | undefined {
    if (!this.#timer) return undefined;
    if (!this.#running && this.#options.now() - this.#lastCheck < minCallCheckGapMs) return undefined;
    return waitAtMost(this.#running ?? this.#run(), maxCallWaitMs);
  }

  #run(): Promise<void> {
    this.#lastCheck = this.#options.now();
    this.#running ??= this.#options.check().finally(() => (this.#running = undefined));
    return this.#running;
  }
}

function waitAtMost(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  return Promise.race([promise, elapsed]).finally(() => clearTimeout(timer));
}
