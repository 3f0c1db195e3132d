// `npm start`: the Electron app when its binary is installed, otherwise headless mode (the same core, no window).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

function electronBinary(): string | undefined {
  try {
    const binary = createRequire(import.meta.url)('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined; // the npm wrapper throws when its binary was never downloaded
  }
}

const args = process.argv.slice(2);
const binary = electronBinary();
if (binary) {
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  process.exit(spawnSync(binary, ['.', ...args], { stdio: 'inherit' }).status ?? 1);
}
process.stdout.write("Electron's binary is not installed: starting headless mode.\n");
const { runCli } = await import('../electron/core/cli.ts');
process.exitCode = await runCli(args);
