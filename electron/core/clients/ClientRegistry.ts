import { watch, type FSWatcher } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log/Logger.ts';
import { silentLogger } from '../log/Logger.ts';
import { ensurePrivateDir, writeFileAtomic } from '../store/writeFileAtomic.ts';
import type { ApprovedClient } from './LocalAuthority.ts';

/** An approved client as stored: the view plus what identifies its credential (digests only, never a secret). */
export interface StoredClient extends ApprovedClient {
  /** kind `key`: the key's unique name and the SHA-256 (hex) of the key. */
  keyName?: string;
  keyDigest?: string;
  /** kind `oauth`: the OAuth `client_id` it was approved as (a registration id or a metadata document URL). */
  oauthClientId?: string;
}

/** Something oidc-provider must keep across restarts (client, grant, refresh token), stored under a digest of its id. */
export interface StoredOauthEntry {
  payload: Record<string, unknown>;
  /** Epoch ms; past it the entry is dropped. */
  expiresAt: number;
}

export interface RegistryState {
  version: 1;
  clients: StoredClient[];
  /** Keyed by `<model>:<sha256(id)>`: the file holds no usable id of a grant, code or token. */
  oauth: Record<string, StoredOauthEntry>;
}

export interface ClientRegistryOptions {
  /** `<dataDir>/clients.json` */
  file: string;
  logger?: Logger;
  /** How often the file is checked for edits by another process (the CLI); default 500 ms. */
  pollMs?: number;
  now?: () => number;
}

const emptyState = (): RegistryState => ({ version: 1, clients: [], oauth: {} });
const lockStaleMs = 10_000;

/**
 * The registry of approved clients in one JSON file, shared by the running app and the `keys` CLI. Every change is
 * read-modify-write under a lock file and written atomically (0600 in a 0700 folder), so a kill -9 at any moment
 * leaves the last complete state; edits by another process are picked up through a watch and a poll.
 */
export class ClientRegistry {
  readonly file: string;
  #state: RegistryState = emptyState();
  #text = '';
  #queue: Promise<unknown> = Promise.resolve();
  #listeners = new Set<(clientIds: string[]) => void>();
  #watcher?: FSWatcher;
  #timer?: NodeJS.Timeout;
  #lastStat = '';
  readonly #logger: Logger;
  readonly now: () => number;

  private constructor(options: ClientRegistryOptions) {
    this.file = options.file;
    this.#logger = options.logger ?? silentLogger;
    this.now = options.now ?? Date.now;
  }

  /** Reads the file (absent = empty registry); `watch` also follows edits by other processes until `close()`. */
  static async open(options: ClientRegistryOptions & { watch?: boolean }): Promise<ClientRegistry> {
    const registry = new ClientRegistry(options);
    await registry.#serialize(() => registry.#reload());
    if (options.watch) registry.#startWatching(options.pollMs ?? 500);
    return registry;
  }

  /** The state as last read or written; callers must not mutate it. */
  get state(): RegistryState {
    return this.#state;
  }

  /** Applies `mutate` to the file's current content and writes the result; listeners hear which clients changed. */
  update<T>(mutate: (state: RegistryState) => T): Promise<T> {
    return this.#serialize(() => this.#withFileLock(async () => {
      await this.#reload();
      const next = structuredClone(this.#state);
      const result = mutate(next);
      const text = `${JSON.stringify(next, null, 2)}\n`;
      if (text !== this.#text) {
        await writeFileAtomic(this.file, text);
        this.#apply(next, text);
      }
      return result;
    }));
  }

  /** Called with the ids of clients added, removed or changed, by this process or another. */
  onChange(listener: (clientIds: string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#watcher?.close();
    clearInterval(this.#timer);
    this.#listeners.clear();
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #reload(): Promise<void> {
    const text = await readFile(this.file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    if (text === this.#text) return;
    const state = text === '' ? emptyState() : parseState(text);
    if (!state) return this.#setAside(text);
    this.#apply(state, text);
  }

  // A file that does not parse is never served from and never silently overwritten: it is moved aside, and reported.
  async #setAside(text: string): Promise<void> {
    const aside = `${this.file}.unreadable-${this.now()}`;
    this.#logger.error('client registry unreadable; moved aside, starting empty', { file: aside, bytes: text.length });
    await rename(this.file, aside).catch(() => undefined);
    this.#apply(emptyState(), '');
  }

  #apply(state: RegistryState, text: string): void {
    const changed = changedClientIds(this.#state, state);
    this.#state = state;
    this.#text = text;
    if (changed.length > 0) for (const listener of [...this.#listeners]) listener(changed);
  }

  #startWatching(pollMs: number): void {
    const check = () => void this.#checkFile().catch((error: unknown) => this.#logger.warn('client registry re-read failed', { error }));
    try {
      this.#watcher = watch(path.dirname(this.file), { persistent: false }, (_event, name) => {
        if (name === path.basename(this.file)) check();
      });
      this.#watcher.on('error', () => this.#watcher?.close());
    } catch {
      // The folder does not exist yet: the poll notices the file once something creates it.
    }
    this.#timer = setInterval(check, pollMs);
    this.#timer.unref();
  }

  // A rename over the file changes its inode and mtime; a stat is cheap enough to poll twice a second.
  async #checkFile(): Promise<void> {
    const info = await stat(this.file).catch(() => undefined);
    const key = info ? `${info.ino}:${info.mtimeMs}:${info.size}` : '';
    if (key === this.#lastStat) return;
    this.#lastStat = key;
    await this.#serialize(() => this.#reload());
  }

  // Another process (the CLI) may change the file too: O_EXCL on a lock file orders writers across processes.
  async #withFileLock<T>(task: () => Promise<T>): Promise<T> {
    const lock = `${this.file}.lock`;
    await ensurePrivateDir(path.dirname(this.file));
    for (let attempt = 0; ; attempt += 1) {
      const handle = await open(lock, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
        return undefined;
      });
      if (handle) {
        await handle.writeFile(String(process.pid)).finally(() => handle.close());
        break;
      }
      await removeStaleLock(lock, this.now(), attempt);
    }
    try {
      return await task();
    } finally {
      await rm(lock, { force: true });
    }
  }
}

// A writer killed while holding the lock leaves it behind: its process is gone, or no write takes anywhere near this long.
async function removeStaleLock(lock: string, now: number, attempt: number): Promise<void> {
  const info = await stat(lock).catch(() => undefined);
  const holder = Number(await readFile(lock, 'utf8').catch(() => ''));
  if (info && (now - info.mtimeMs > lockStaleMs || (holder > 0 && !isAlive(holder)))) await rm(lock, { force: true });
  else await new Promise((resolve) => setTimeout(resolve, Math.min(5 + attempt * 5, 50)));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseState(text: string): RegistryState | undefined {
  try {
    const value = JSON.parse(text) as Partial<RegistryState>;
    if (value.version !== 1 || !Array.isArray(value.clients)) return undefined;
    const clients = value.clients.filter((client) => typeof client?.clientId === 'string' && typeof client.name === 'string' && Array.isArray(client.scopes));
    const oauth = value.oauth && typeof value.oauth === 'object' ? value.oauth : {};
    return { version: 1, clients, oauth };
  } catch {
    return undefined;
  }
}

function changedClientIds(before: RegistryState, after: RegistryState): string[] {
  const old = new Map(before.clients.map((client) => [client.clientId, JSON.stringify(client)]));
  const changed = new Set<string>();
  for (const client of after.clients) {
    if (old.get(client.clientId) !== JSON.stringify(client)) changed.add(client.clientId);
    old.delete(client.clientId);
  }
  for (const id of old.keys()) changed.add(id);
  return [...changed];
}
