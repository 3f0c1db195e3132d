import { shell } from 'electron';
import { AppError } from '../core/errors.ts';

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The `openExternal` the core receives: the system browser for `https:` pages, and `http:` on loopback only (the
 * demo IdP); the core applies its own, stricter policy before calling this. Anything else is refused, never opened.
 */
export async function openExternal(url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('AUTH_URL_REFUSED');
  }
  const allowed = parsed.protocol === 'https:' || (parsed.protocol === 'http:' && loopbackHosts.has(parsed.hostname));
  if (!allowed) throw new AppError('AUTH_URL_REFUSED', `Refused to open a ${parsed.protocol} URL`);
  await shell.openExternal(parsed.href);
}
