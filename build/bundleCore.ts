// Bundles the app's Node code with rolldown: Electron's main process into dist/electron/main.js (package.json "main")
// and headless mode (electron/core/cli.ts, plus startCore for the bench) into dist/core/. A start then reads a few
// files instead of resolving and linking ~450 modules, which was most of its time (issue 8, bench/RESULTS.md).
// Run by `npm run build`, and by `npm start` (with --keep-recent-output) when the bundle is missing or stale
// (build/fingerprintCoreSources.ts).
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'rolldown';
import { coreBundleDirs, fingerprintFile, readCoreSourcesState, writeCoreBundleState } from './fingerprintCoreSources.ts';

// Left to node_modules: native modules (a .node file cannot be inlined) and packages that read their own files at
// run time (toml-edit loads its .wasm next to its JavaScript).
const external = ['keytar', '@napi-rs/keyring', '@rainbowatcher/toml-edit-js'];
// Electron's main process also leaves out electron itself and electron-updater: Electron cannot run here to prove the
// updater bundled, so it loads as published, from the production dependencies electron-builder packs.
const electronExternal = [...external, 'electron', 'electron-updater'];

interface CoreBundle {
  input: Record<string, string>;
  dir: string;
  external: string[];
  /** Files a previous build of another script left in `dir` (the preload bundle). */
  keep: string[];
}

const bundles: CoreBundle[] = [
  { input: { main: 'electron/main.ts' }, dir: coreBundleDirs.electron, external: electronExternal, keep: ['preload.cjs'] },
  { input: { cli: 'electron/core/cli.ts', startCore: 'electron/core/startCore.ts' }, dir: coreBundleDirs.headless, external, keep: [] },
];

export interface BundleCoreOptions {
  /**
   * Keep files of other builds for a day (`npm start`, the bench: an app started from an earlier build may still
   * load its chunks). Without it (`npm run build`, before packaging) only this build's files stay.
   */
  keepRecentOutput: boolean;
}

/**
 * Builds both bundles from the sources under `root`, then records their fingerprint next to each. Several `npm start`s
 * may build at once (tests, two terminals): each builds into its own folder and renames the files into place, so a
 * reader never sees a half-written file, and the fingerprint, written last, never names a bundle that is not there.
 */
export async function bundleCore(root: string, options: BundleCoreOptions = { keepRecentOutput: false }): Promise<void> {
  // Read before building: a file changed during the build leaves the stored state behind it, so the next start rebuilds.
  const sources = readCoreSourcesState(root);
  for (const bundle of bundles) {
    const dir = path.join(root, bundle.dir);
    const staging = `${dir}.build-${process.pid}`;
    try {
      const { output } = await build(buildOptions(root, bundle, staging, sources.fingerprint));
      const written = output.map((file) => file.fileName);
      await moveInto(staging, dir, written);
      writeCoreBundleState(dir, sources);
      await removeOldOutput(dir, [...written, ...bundle.keep, fingerprintFile], options.keepRecentOutput ? Date.now() - dayMs : Infinity);
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
}

function buildOptions(root: string, bundle: CoreBundle, dir: string, fingerprint: string): BuildOptions {
  return {
    cwd: root,
    input: bundle.input,
    platform: 'node',
    external: (id) => bundle.external.some((name) => id === name || id.startsWith(`${name}/`)),
    // jsonc-parser's "main" is a UMD build whose require('./impl/…') calls sit inside a factory the bundler cannot
    // follow (the bundle failed at run time with "Cannot find module './impl/format'"); its ES build bundles whole.
    resolve: { alias: { 'jsonc-parser': path.join(root, 'node_modules/jsonc-parser/lib/esm/main.js') } },
    // The tool cache keys its entries by the code that builds tools; bundled, that code's fingerprint is the bundle's.
    transform: { define: { CORE_BUNDLE_FINGERPRINT: JSON.stringify(fingerprint) } },
    plugins: [requireBuiltinsLazily(['http'])],
    logLevel: 'warn',
    onLog: (level, log, report) => {
      // depd (koa, via oidc-provider) builds its wrappers with eval; harmless, and not ours to change.
      if (log.code === 'EVAL' && log.id?.includes('/depd/')) return;
      report(level, log);
    },
    output: { dir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
  };
}

/**
 * Node's ES module facade of node:http reads every export, and its WebSocket getter loads Node's own undici (fetch,
 * web streams, perf_hooks): ~65 ms of CPU in a bundled restart's profile, for nothing the app uses at start. Given to
 * the bundle as CommonJS instead, the module's exports are read where they are used.
 */
function requireBuiltinsLazily(names: string[]): Plugin {
  const prefix = '\0lazy-builtin:';
  return {
    name: 'require-builtins-lazily',
    resolveId: (id) => (names.includes(id.replace(/^node:/, '')) ? `${prefix}${id.replace(/^node:/, '')}` : null),
    load: (id) => (id.startsWith(prefix) ? `module.exports = process.getBuiltinModule('node:${id.slice(prefix.length)}');` : null),
  };
}

// Chunks first, entries after: an entry must never import a chunk that is not there yet.
async function moveInto(staging: string, dir: string, files: string[]): Promise<void> {
  const ordered = [...files].sort((a, b) => Number(!a.startsWith('chunks/')) - Number(!b.startsWith('chunks/')));
  await mkdir(path.join(dir, 'chunks'), { recursive: true });
  for (const file of ordered) await rename(path.join(staging, file), path.join(dir, file));
}

const dayMs = 24 * 60 * 60 * 1000;

// Chunk names carry content hashes, so every build with changed sources adds files. An app started from an earlier
// build loads its chunks on first use (graphql on the first cache miss), possibly hours later: with keepRecentOutput,
// files of other builds are removed once a day old.
async function removeOldOutput(dir: string, current: string[], removeBefore: number): Promise<void> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    const file = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (current.includes(file) || current.some((kept) => kept.startsWith(`${file}/`))) continue;
    const stats = await stat(path.join(dir, file)).catch(() => undefined);
    if (stats && stats.mtimeMs < removeBefore) await rm(path.join(dir, file), { recursive: true, force: true });
  }
}

if (import.meta.main) await bundleCore(fileURLToPath(new URL('..', import.meta.url)), { keepRecentOutput: process.argv.includes('--keep-recent-output') });
