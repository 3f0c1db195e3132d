import { open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityEntryView, ActivityFilter } from '../../ipc/contract.ts';
import type { Logger } from '../log/Logger.ts';
import { ensurePrivateDir, writeFileAtomic } from '../store/writeFileAtomic.ts';

/** One tool call as recorded: epoch ms instead of an ISO string; the log assigns the id. */
export interface NewActivityEntry {
  at: number;
  clientId: string;
  clientName: string;
  tool: string;
  api?: string;
  durationMs: number;
  outcome: ActivityEntryView['outcome'];
  error?: string;
}

interface StoredEntry extends NewActivityEntry {
  id: number;
}

/** Calls, errors and last activity of one client over the retained entries (for `clients:list`). */
export interface ClientActivityStats {
  calls: number;
  errors: number;
  lastActivityAt?: number;
}

export interface ActivityLogOptions {
  /** `<dataDir>/activity.jsonl`; undefined keeps the log in memory only. */
  file?: string;
  /** Entries kept (oldest dropped first); default 10 000. */
  maxEntries?: number;
  /** Appends within this window are written together; default 500 ms. */
  writeDelayMs?: number;
  logger?: Logger;
}

const defaultLimit = 200;

/**
 * The app's record of every tool call: who, which tool and API, how long, how it ended, and the error message; never
 * arguments, results or secrets. Bounded. Persisted as JSON lines: new calls are appended (and fsynced) in batches after
 * a short delay, and the file is rewritten atomically with only the kept entries once it holds twice the bound, so a
 * busy log costs a small append, not a rewrite of 10 000 entries, per batch. A kill -9 can at worst cut the last line,
 * which is dropped on load; a file that does not parse otherwise is set aside, not fatal.
 */
export class ActivityLog {
  readonly #options: ActivityLogOptions;
  readonly #max: number;
  readonly #listeners = new Set<(entry: ActivityEntryView) => void>();
  /** The kept entries are `#entries[#dropped..]`: the oldest are dropped by moving `#dropped` and cut off in chunks. */
  #entries: StoredEntry[] = [];
  #dropped = 0;
  /** `stats()` kept up to date entry by entry: the window asks for it after every call. */
  readonly #stats = new Map<string, ClientActivityStats>();
  #nextId = 1;
  #timer?: NodeJS.Timeout;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;
  /** Id of the newest entry on disk, and how many lines the file holds. */
  #writtenId = 0;
  #fileLines = 0;
  #compactNext = false;

  private constructor(options: ActivityLogOptions) {
    this.#options = options;
    this.#max = options.maxEntries ?? 10_000;
  }

  /**
   * Loads the log from `file` (an absent file is an empty log). Resolves with a `problem` when the file was corrupt:
   * it is renamed to `<file>.corrupt-<time>` and the log starts empty.
   */
  static async open(options: ActivityLogOptions): Promise<{ log: ActivityLog; problem?: string }> {
    const log = new ActivityLog(options);
    const problem = options.file ? await log.#load(options.file) : undefined;
    return { log, problem };
  }

  /** Adds one call, tells listeners, and schedules a write; returns the entry's id. */
  append(entry: NewActivityEntry): number {
    // Field by field: whatever else a caller's object holds (arguments, results) is never kept.
    const { at, clientId, clientName, tool, api, durationMs, outcome, error } = entry;
    const stored: StoredEntry = { id: this.#nextId++, at, clientId, clientName, tool, durationMs, outcome };
    if (api !== undefined) stored.api = api;
    if (error !== undefined) stored.error = error;
    this.#keep(stored);
    this.#scheduleWrite();
    // The window's view (an ISO time string) is built only while the window listens.
    if (this.#listeners.size > 0) {
      const view = toView(stored);
      for (const listener of this.#listeners) listener(view);
    }
    return stored.id;
  }

  /** Newest first, filtered, at most `filter.limit` (default 200). */
  list(filter: ActivityFilter = {}): ActivityEntryView[] {
    const limit = Math.max(0, Math.min(filter.limit ?? defaultLimit, this.#max));
    const out: ActivityEntryView[] = [];
    for (let i = this.#entries.length - 1; i >= this.#dropped && out.length < limit; i--) {
      const entry = this.#entries[i]!;
      if (matches(entry, filter)) out.push(toView(entry));
    }
    return out;
  }

  /** Per client: calls and errors (including refusals) over the retained entries, and the last call's time. */
  stats(): Map<string, ClientActivityStats> {
    return new Map([...this.#stats].map(([clientId, stats]) => [clientId, { ...stats }]));
  }

  onAppended(listener: (entry: ActivityEntryView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes what is pending now (and waits for it); later appends are still kept in memory. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#options.file) this.#writing = this.#writing.then(() => this.#write(this.#options.file!));
    await this.#writing;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#listeners.clear();
    await this.flush();
  }

  // Once the log is full every call drops the oldest entry: splicing it off would move all 10,000 slots each time.
  #keep(entry: StoredEntry): void {
    this.#entries.push(entry);
    count(this.#stats, entry, 1);
    if (this.#entries.length - this.#dropped <= this.#max) return;
    count(this.#stats, this.#entries[this.#dropped++]!, -1);
    if (this.#dropped < Math.max(64, this.#max / 4)) return;
    this.#entries = this.#entries.slice(this.#dropped);
    this.#dropped = 0;
  }

  // The entries newer than the file's, found from the newest back.
  #unwritten(): StoredEntry[] {
    let first = this.#entries.length;
    while (first > this.#dropped && this.#entries[first - 1]!.id > this.#writtenId) first--;
    return this.#entries.slice(first);
  }

  #scheduleWrite(): void {
    if (!this.#options.file || this.#timer || this.#closed) return;
    this.#timer = setTimeout(() => void this.flush(), this.#options.writeDelayMs ?? 500);
    this.#timer.unref();
  }

  async #write(file: string): Promise<void> {
    const fresh = this.#unwritten();
    if (fresh.length === 0 && !this.#compactNext) return;
    const rewrite = this.#compactNext || this.#fileLines + fresh.length > 2 * this.#max;
    const lines = rewrite ? this.#entries.slice(this.#dropped) : fresh; // taken now: appends during the write go in the next batch
    try {
      if (rewrite) await writeFileAtomic(file, toLines(lines));
      else await appendLines(file, lines);
      this.#fileLines = rewrite ? lines.length : this.#fileLines + lines.length;
      this.#compactNext = false;
      this.#writtenId = lines.at(-1)?.id ?? this.#writtenId;
    } catch (error) {
      this.#options.logger?.warn('the activity log could not be saved', { error });
    }
  }

  async #load(file: string): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = parseLines(text, this.#max);
    if (parsed) {
      for (const entry of parsed.entries) this.#keep(entry);
      this.#nextId = (this.#entries.at(-1)?.id ?? 0) + 1;
      this.#writtenId = this.#nextId - 1;
      this.#fileLines = parsed.lines;
      // A line cut by a kill -9 is dropped; rewrite so new lines do not follow the broken one.
      this.#compactNext = parsed.cut;
      return undefined;
    }
    const aside = `${file}.corrupt-${Date.now()}`;
    await rename(file, aside);
    this.#options.logger?.warn('the activity log file was unreadable and was set aside', { file: aside });
    return `The activity log ${file} could not be read; it was moved to ${aside} and a new log was started.`;
  }
}

/**
 * The last `keep` entries of a JSON-lines file, and how many lines it has. Only those lines are parsed: the file holds
 * up to twice as many until its next rewrite, and a restart should not pay for the ones it drops. A broken last line
 * (cut by a crash) is dropped; any other broken line among them fails the file.
 */
function parseLines(text: string, keep: number): { entries: StoredEntry[]; lines: number; cut: boolean } | undefined {
  const start = startOfLastLines(text, keep + 1); // one more, in case the last one was cut
  const lines = text.slice(start).split('\n');
  if (lines.at(-1) === '') lines.pop();
  const total = countNewlines(text, start) + lines.length;
  const entries: StoredEntry[] = [];
  for (const [index, line] of lines.entries()) {
    const entry = parseLine(line);
    if (entry && (entries.length === 0 || entry.id > entries.at(-1)!.id)) entries.push(entry);
    else if (index === lines.length - 1 && !text.endsWith('\n')) return { entries: entries.slice(-keep), lines: total, cut: true };
    else return undefined;
  }
  return { entries: entries.slice(-keep), lines: total, cut: false };
}

// Where the last `count` lines of `text` begin (0 when it has no more than that).
function startOfLastLines(text: string, count: number): number {
  let at = text.endsWith('\n') ? text.length - 1 : text.length;
  for (let found = 0; found < count && at > 0; found++) at = text.lastIndexOf('\n', at - 1);
  return at > 0 ? at + 1 : 0;
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

function parseLine(line: string): StoredEntry | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isStoredEntry(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function toLines(entries: StoredEntry[]): string {
  return entries.map((entry) => `${JSON.stringify(entry)}\n`).join('');
}

// Appends and fsyncs one batch; the file is created user-only (0600) in a user-only folder.
async function appendLines(file: string, entries: StoredEntry[]): Promise<void> {
  await ensurePrivateDir(path.dirname(file));
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.writeFile(toLines(entries));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isStoredEntry(value: unknown): value is StoredEntry {
  const entry = value as Partial<StoredEntry> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.id === 'number' && typeof entry.at === 'number'
    && typeof entry.clientId === 'string' && typeof entry.tool === 'string' && ['ok', 'error', 'denied'].includes(entry.outcome as string);
}

function matches(entry: StoredEntry, filter: ActivityFilter): boolean {
  return (filter.clientId === undefined || entry.clientId === filter.clientId)
    && (filter.tool === undefined || entry.tool === filter.tool)
    && (filter.outcome === undefined || entry.outcome === filter.outcome);
}

// Adds (`by` 1) or removes (-1) one entry's call to its client's stats; a client with no kept calls is left out.
function count(stats: Map<string, ClientActivityStats>, entry: StoredEntry, by: 1 | -1): void {
  const current = stats.get(entry.clientId) ?? { calls: 0, errors: 0 };
  current.calls += by;
  if (entry.outcome !== 'ok') current.errors += by;
  if (by === 1) current.lastActivityAt = entry.at;
  if (current.calls === 0) stats.delete(entry.clientId);
  else stats.set(entry.clientId, current);
}

function toView(entry: StoredEntry): ActivityEntryView {
  const view: ActivityEntryView = {
    id: entry.id, at: new Date(entry.at).toISOString(), clientId: entry.clientId, clientName: entry.clientName ?? '',
    tool: entry.tool, durationMs: entry.durationMs, outcome: entry.outcome,
  };
  if (entry.api !== undefined) view.api = entry.api;
  if (entry.error !== undefined) view.error = entry.error;
  return view;
}
