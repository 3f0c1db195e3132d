import type { ActivityEntryView, ActivityFilter, RendererApi } from '../../../electron/ipc/contract.ts';
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

  constructor(api: RendererApi) {
    this.#api = api;
    this.entries = new Resource(() => this.#api['activity:list']({ ...this.filter, limit: pageSize }));
  }

  async load(): Promise<void> {
    const result = await this.entries.load();
    if (result.ok && Object.keys(this.filter).length === 0) this.seen = result.value;
  }

  setFilter(filter: ActivityFilter): Promise<void> {
    this.filter = filter;
    return this.load();
  }

  append(entry: ActivityEntryView): void {
    this.seen = [entry, ...this.seen].slice(0, 1000);
    if (this.entries.value === undefined || !matchesFilter(entry, this.filter)) return;
    if (this.entries.value.some((known) => known.id === entry.id)) return;
    this.entries.set([entry, ...this.entries.value].slice(0, pageSize));
  }
}
