import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** The temp names replaceFileAtomic writes: `.<file>.<12 hex>.tmp`. */
const tempName = /^\..+\.[0-9a-f]{12}\.tmp$/;

export interface RemoveStaleTempFilesOptions {
  /** Younger temp files may belong to a write in progress (another instance starting): they stay. */
  olderThanMs?: number;
  now?: () => number;
}

/**
 * Removes the temp files a crash (kill -9, power loss) left in `dir` between writing and renaming; they hold a copy
 * of state that was never committed and would otherwise stay forever. Returns the names removed; best effort.
 */
export async function removeStaleTempFiles(dir: string, options: RemoveStaleTempFilesOptions = {}): Promise<string[]> {
  const cutoff = (options.now ?? Date.now)() - (options.olderThanMs ?? 60_000);
  const names = await readdir(dir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names.filter((candidate) => tempName.test(candidate))) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile() || info.mtimeMs > cutoff) continue;
    await rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
