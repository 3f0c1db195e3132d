import { copyFile, mkdir, open, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';
import { replaceFileAtomic } from '../store/writeFileAtomic.ts';

export interface ReplaceConfigFileOptions {
  /** The text the file held when it was read (undefined: it did not exist); a different text now means someone else wrote it. */
  expected: string | undefined;
  now(): number;
  /** Keep a timestamped copy of the previous file (default true). */
  backup?: boolean;
}

const staleLockMs = 30_000;

/**
 * Replaces a client's config file the way the client notes ask (K3): under a lock file, with a backup of the
 * previous file next to it, through a temp file renamed over the old one (so a crash leaves old or new, never half),
 * keeping the file's mode and writing through a symlink (dotfile managers) instead of replacing it.
 * Returns the backup's path when there was a previous file.
 */
export async function replaceConfigFile(file: string, text: string, options: ReplaceConfigFileOptions): Promise<string | undefined> {
  const target = await realpath(file).catch(() => file);
  await mkdir(path.dirname(target), { recursive: true });
  const lock = await takeLock(`${target}.lock`, options.now);
  try {
    const current = await readIfExists(target);
    if (current !== options.expected) throw new AppError('SETUP_WRITE_FAILED', `${file} changed while it was being updated; nothing was written, try again`);
    const backup = current === undefined || options.backup === false ? undefined : `${target}.${timestamp(options.now())}.bak`;
    if (backup) await copyFile(target, backup);
    const mode = current === undefined ? 0o600 : (await stat(target)).mode & 0o777;
    await replaceFileAtomic(target, text, mode);
    return backup;
  } finally {
    await lock.release();
  }
}

async function takeLock(lockFile: string, now: () => number): Promise<{ release(): Promise<void> }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await (await open(lockFile, 'wx', 0o600)).close();
      return { release: () => rm(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A lock left by a crash is taken over; a fresh one means another writer is at work.
      const age = now() - (await stat(lockFile).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
      if (age < staleLockMs) break;
      await rm(lockFile, { force: true });
    }
  }
  throw new AppError('SETUP_WRITE_FAILED', `${lockFile} exists: another program is updating this file; try again in a moment`);
}

async function readIfExists(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!handle) return undefined;
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function timestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}
