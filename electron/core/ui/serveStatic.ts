import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * The file under `rootDir` that `relativePath` (URL path below the mount point, still percent-encoded) names, or
 * undefined when it does not exist or would leave `rootDir` (`..`, encoded separators, NUL).
 */
export function resolveStaticPath(rootDir: string, relativePath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relativePath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const root = resolve(rootDir);
  const file = resolve(root, `.${decoded.startsWith('/') ? '' : '/'}${decoded}`);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  return decoded === '' || decoded.endsWith('/') ? resolve(file, 'index.html') : file;
}

/** Reads a renderer file for serving; undefined when there is no such regular file. */
export async function readStaticFile(rootDir: string, relativePath: string): Promise<StaticFile | undefined> {
  const file = resolveStaticPath(rootDir, relativePath);
  if (!file) return undefined;
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  const contentType = contentTypes[extname(file).toLowerCase()] ?? 'application/octet-stream';
  return { body: await readFile(file), contentType };
}
