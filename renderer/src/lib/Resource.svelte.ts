import type { Result } from '../../../electron/ipc/contract.ts';

/** `unavailable`: the app answered NOT_AVAILABLE (this build does not serve the channel), which is not a failure. */
export type ResourcePhase = 'loading' | 'ready' | 'unavailable' | 'error';

/** One value the window shows, with where its loading stands; events replace the value through `set`. */
export class Resource<T> {
  value = $state.raw<T | undefined>();
  phase = $state<ResourcePhase>('loading');
  error = $state<string | undefined>();

  readonly #fetch: () => Promise<Result<T>>;
  #changes = 0;

  constructor(fetch: () => Promise<Result<T>>) {
    this.#fetch = fetch;
  }

  /** A value set by an event while this read was in flight is at least as new as the read's answer, so it stays. */
  async load(): Promise<Result<T>> {
    const changesBefore = this.#changes;
    const result = await this.#fetch();
    if (this.#changes === changesBefore) this.accept(result);
    return result;
  }

  /** A failed reload keeps the value already shown; the view reports the failure next to it. */
  accept(result: Result<T>): void {
    if (result.ok) return this.set(result.value);
    this.phase = result.error.code === 'NOT_AVAILABLE' ? 'unavailable' : 'error';
    this.error = result.error.message;
  }

  set(value: T): void {
    this.#changes += 1;
    this.value = value;
    this.phase = 'ready';
    this.error = undefined;
  }
}
