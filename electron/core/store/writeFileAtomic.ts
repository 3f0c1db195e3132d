import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { recordForSecretScan } from '../log/recordForSecretScan.ts';

/**
 * Creates `dir` (and its parents) and makes it user-only (0700), so state files and sockets in it are not readable by
 * other users even before their own mode is set. A no-op for the mode on Windows, where ACLs apply instead.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(dir, 0o700);
}

/**
 * Replaces `file` with `data` so that a crash (kill -9, power loss) at any moment leaves either the old or the new
 * content, never a mix: write a temp file (0600) in the same folder, fsync it, rename it over, fsync the folder.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await ensurePrivateDir(path.dirname(file));
  await replaceFileAtomic(file, data, 0o600);
  recordForSecretScan('file', () => `${file}\n${typeof data === 'string' ? data : Buffer.from(data).toString('utf8')}`);
}

/**
 * The crash-safe replace itself, in a folder that exists, with the new file's `mode`: for files outside the data
 * folder that keep their own mode and folder (a client's config file, see replaceConfigFile).
 */
export async function replaceFileAtomic(file: string, data: string | Uint8Array, mode: number): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await syncDir(path.dirname(file));
}

// The rename is durable only once the folder entry is on disk; Windows cannot open folders for fsync.
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
