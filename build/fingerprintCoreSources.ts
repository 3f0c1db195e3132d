// What the core bundle is built from, as one SHA-256: a bundle whose stored fingerprint differs is stale. Kept apart
// from build/bundleCore.ts so `npm start` can check it without loading the bundler.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** The bundle's folders under dist/: the Electron main process (package.json "main") and headless mode. */
export const coreBundleDirs = { electron: 'dist/electron', headless: 'dist/core' } as const;

/** In each bundle folder: the sources' fingerprint, then their stat signature (writeCoreBundleState). */
export const fingerprintFile = 'fingerprint.txt';

/** The fingerprint and stat signature of the sources as they are now, to store with a build of them. */
export interface CoreSourcesState {
  fingerprint: string;
  stats: string;
}

/**
 * Every file under electron/, package-lock.json (the bundled dependencies' versions) and the two build scripts: the
 * fingerprint hashes their paths and content (a checkout or `npm ci` rewrites times without changing what is
 * bundled); the stat signature, their sizes and times, which lets a start skip reading them when nothing was touched.
 */
export function readCoreSourcesState(root: string): CoreSourcesState {
  const files = listCoreSources(root);
  return { fingerprint: hashFiles(root, files, (file) => readFileSync(file)), stats: statSignature(root, files) };
}

/** Records next to a bundle in `dir` which sources it was built from; written last, after its files. */
export function writeCoreBundleState(dir: string, state: CoreSourcesState): void {
  writeFileSync(path.join(dir, fingerprintFile), `${state.fingerprint}\n${state.stats}\n`);
}

/** Whether both bundle folders hold a build of the sources as they are now. */
export function isCoreBundleCurrent(root: string): boolean {
  const stored = Object.values(coreBundleDirs).map((dir) => readStoredState(path.join(root, dir)));
  if (stored.some((state) => state === undefined)) return false;
  const files = listCoreSources(root);
  const stats = statSignature(root, files);
  if (stored.every((state) => state!.stats === stats)) return true;
  const fingerprint = hashFiles(root, files, (file) => readFileSync(file));
  return stored.every((state) => state!.fingerprint === fingerprint);
}

function statSignature(root: string, files: string[]): string {
  return hashFiles(root, files, (file) => {
    const stats = statSync(file);
    return `${stats.size}:${stats.mtimeMs}`;
  });
}

function hashFiles(root: string, files: string[], read: (file: string) => string | Buffer): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(file).update('\0').update(readOrMissing(() => read(path.join(root, file)))).update('\0');
  return hash.digest('hex');
}

// A file deleted between listing and reading (an editor's temp file), or a checkout without package-lock.json:
// a state of its own, not a crash of `npm start`.
function readOrMissing(read: () => string | Buffer): string | Buffer {
  try {
    return read();
  } catch {
    return '\0missing';
  }
}

function readStoredState(dir: string): CoreSourcesState | undefined {
  try {
    const [fingerprint, stats] = readFileSync(path.join(dir, fingerprintFile), 'utf8').split('\n');
    return fingerprint && stats ? { fingerprint, stats } : undefined;
  } catch {
    return undefined; // never built
  }
}

function listCoreSources(root: string): string[] {
  const entries = readdirSync(path.join(root, 'electron'), { recursive: true, withFileTypes: true });
  const sources = entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  return [...sources.sort(), 'package-lock.json', 'build/bundleCore.ts', 'build/fingerprintCoreSources.ts'];
}
