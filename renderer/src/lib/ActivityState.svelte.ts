import type { ActivityEntryView, ActivityFilter, RendererApi, Result } from '../../../electron/ipc/contract.ts';
import { Resource } from './Resource.svelte.ts';

const pageSize = 200;

/** True when `entry` is one the filter would have returned. */
export function matchesFilter(entry: ActivityEntryView, filter: ActivityFilter): boolean {
  return (
    (filter.clientId === undefined || entry.clientId === filter.clientId) &&
    (filter.tool === undefined || entry.tool === filter.tool) &&
    (filter.outcome === undefined || entry.outcome === filter.outcome)
  );
}

/** The Activity view's list: loaded per filter from the app, then kept live from `activity:appended`. */
export class ActivityState {
  filter = $state<ActivityFilter>({});
  /** Every entry seen since the window opened, for the filter's choices (clients and tools). */
  seen = $state.raw<ActivityEntryView[]>([]);
  readonly entries: Resource<ActivityEntryView[]>;

  readonly #api: RendererApi;
  /** Entries appended while the newest load is in flight; the load's answer may predate them. */
  #arrivals: ActivityEntryView[] | undefined;

  constructor(api: RendererApi) {
    this.#api = api;
    // Its own load (a "Try again") reads the current filter; this.load() also keeps calls that arrive meanwhile.
    this.entries = new Resource(() => this.#list(this.filter));
  }

  /** A newer load (the filter changed again) owns the list, so an older answer arriving late is dropped. */
  async load(): Promise<void> {
    const arrivals: ActivityEntryView[] = [];
    this.#arrivals = arrivals;
    const filter = this.filter;
    const result = await this.#list(filter);
    if (this.#arrivals !== arrivals) return;
    this.#arrivals = undefined;
    this.entries.accept(result.ok ? { ok: true, value: withArrivals(result.value, arrivals, filter) } : result);
    if (result.ok && Object.keys(filter).length === 0) this.seen = this.entries.value ?? [];
  }

  setFilter(filter: ActivityFilter): Promise<void> {
    this.filter = filter;
    return this.load();
  }

  #list(filter: ActivityFilter): Promise<Result<ActivityEntryView[]>> {
    return this.#api['activity:list']({ ...filter, limit: pageSize });
  }

  append(entry: ActivityEntryView): void {
    this.#arrivals?.push(entry);
    this.seen = [entry, ...this.seen].slice(0, 1000);
    if (this.entries.value === undefined || !matchesFilter(entry, this.filter)) return;
    if (this.entries.value.some((known) => known.id === entry.id)) return;
    this.entries.set([entry, ...this.entries.value].slice(0, pageSize));
  }
}

/** The page the app answered, with entries that arrived during the request (newest first) and are not in it yet. */
function withArrivals(page: ActivityEntryView[], arrivals: ActivityEntryView[], filter: ActivityFilter): ActivityEntryView[] {
  const known = new Set(page.map((entry) => entry.id));
  const missing = arrivals.filter((entry) => matchesFilter(entry, filter) && !known.has(entry.id)).reverse();
  return [...missing, ...page].slice(0, pageSize);
}
