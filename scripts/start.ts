// `npm start`: the Electron app when its binary is installed, otherwise headless mode (the same core, no window).
// Both run the bundled core (build/bundleCore.ts), built here when missing or stale.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire, enableCompileCache } from 'node:module';
import { pathToFileURL } from 'node:url';
import { coreBundleDirs, isCoreBundleCurrent } from '../build/fingerprintCoreSources.ts';

// Reuses V8's compiled code across runs: most of a cold start is loading modules.
enableCompileCache();

const root = path.join(import.meta.dirname, '..');

// Read the wrapper's path.txt ourselves: require('electron') would try to download a missing binary (offline here).
function electronBinary(): string | undefined {
  const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (!executable) return undefined;
  const binary = override ? path.join(override, executable) : path.join(dir, 'dist', executable);
  return existsSync(binary) ? binary : undefined;
}

/** Runs a build step with this Node, its output on our stderr/stdout; resolves with its exit code. */
function runStep(args: string[]): Promise<number> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
}

/**
 * What a start needs that a fresh checkout lacks, built side by side (two cores are common), one line each. Without
 * a window the app still serves MCP (and says so); without its bundle it cannot start.
 */
async function buildMissing(options: { preload: boolean }): Promise<void> {
  const required: Promise<number>[] = [];
  const optional: Promise<number>[] = [];
  if (!existsSync(path.join(root, 'dist/renderer/index.html'))) {
    process.stdout.write('Building the window once (vite build)…\n');
    optional.push(runStep(['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']));
  }
  const stale = !isCoreBundleCurrent(root);
  if (stale) {
    process.stdout.write('Bundling the app (electron/ changed or never built)…\n');
    required.push(runStep(['build/bundleCore.ts', '--keep-recent-output']));
  }
  // electron/preload.ts is one of the bundle's sources: rebuilt with it.
  if (options.preload && (stale || !existsSync(path.join(root, coreBundleDirs.electron, 'preload.cjs')))) required.push(runStep(['build/bundlePreload.ts']));
  const [codes] = await Promise.all([Promise.all(required), Promise.all(optional)]);
  const failed = codes.find((code) => code !== 0);
  if (failed !== undefined) process.exit(failed);
}

const args = process.argv.slice(2);
// A stdio bridge only relays to the app already running (Electron or headless): no build, no Electron, and nothing
// on stdout, which belongs to the MCP client from the first byte.
if (args.includes('--stdio')) {
  const { runStdioBridge } = await import('../electron/core/bridge/runStdioBridge.ts');
  process.exit(await runStdioBridge());
}
// --help, logout and keys print a line or two and exit: no Electron, no build, no "headless mode" notice (issue 7).
// They run from the sources, so they never wait for a bundle.
const optionsWithValue = new Set(['--config', '--port', '--log-level']);
const positionals = args.filter((arg, index) => !arg.startsWith('-') && !optionsWithValue.has(args[index - 1] ?? ''));
if (args.includes('--help') || args.includes('-h') || positionals[0] === 'logout' || positionals[0] === 'keys') {
  const { runCli } = await import('../electron/core/cli.ts');
  process.exit(await runCli(args));
}
const binary = electronBinary();
if (binary) {
  // package.json "main" is the bundled dist/electron/main.js.
  await buildMissing({ preload: true });
  process.exit(spawnSync(binary, ['.', ...args], { cwd: root, stdio: 'inherit' }).status ?? 1);
}
process.stdout.write("Electron's binary is not installed: starting headless mode.\n");
await buildMissing({ preload: false });
const { runCli } = (await import(pathToFileURL(path.join(root, coreBundleDirs.headless, 'cli.js')).href)) as typeof import('../electron/core/cli.ts');
process.exitCode = await runCli(args);
