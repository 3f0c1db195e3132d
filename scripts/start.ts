// `npm start`: the Electron app when its binary is installed, otherwise headless mode (the same core, no window).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire, enableCompileCache } from 'node:module';

// Reuses V8's compiled code across runs: most of a cold start is loading modules.
enableCompileCache();

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

const args = process.argv.slice(2);
// A stdio bridge only relays to the app already running (Electron or headless): no build, no Electron, and nothing
// on stdout, which belongs to the MCP client from the first byte.
if (args.includes('--stdio')) {
  const { runStdioBridge } = await import('../electron/core/bridge/runStdioBridge.ts');
  process.exit(await runStdioBridge());
}
// --help, logout and keys print a line or two and exit: no Electron, no window build, no "headless mode" notice (issue 7).
const optionsWithValue = new Set(['--config', '--port', '--log-level']);
const positionals = args.filter((arg, index) => !arg.startsWith('-') && !optionsWithValue.has(args[index - 1] ?? ''));
if (args.includes('--help') || args.includes('-h') || positionals[0] === 'logout' || positionals[0] === 'keys') {
  const { runCli } = await import('../electron/core/cli.ts');
  process.exit(await runCli(args));
}
const binary = electronBinary();
if (binary) {
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  process.exit(spawnSync(binary, ['.', ...args], { stdio: 'inherit' }).status ?? 1);
}
process.stdout.write("Electron's binary is not installed: starting headless mode.\n");
if (!existsSync('dist/renderer/index.html')) {
  process.stdout.write('Building the window once (vite build)…\n');
  spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
}
const { runCli } = await import('../electron/core/cli.ts');
process.exitCode = await runCli(args);
