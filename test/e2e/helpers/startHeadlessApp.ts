// `npm start` as a user runs it (scripts/start.ts on this Node) in a throwaway home, for the browser tests: what the
// app prints is how they find its URLs.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForOutput } from '../../helpers/waitForOutput.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface HeadlessApp {
  home: string;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** The first group of what the app printed matching `pattern`, waiting for it. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** SIGTERM, waits for the exit, removes the home. */
  stop(): Promise<void>;
}

/** Starts the app with the arguments `argsFor` gives once the home exists (it may write a config file there first). */
export function startHeadlessApp(prefix: string, argsFor: (home: string) => string[] = () => []): HeadlessApp {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') };
  const child = spawn(process.execPath, ['scripts/start.ts', ...argsFor(home)], { cwd: root, env });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    home,
    output: () => output,
    printed: async (pattern, timeoutMs = 20_000) => (await waitForOutput(() => output, pattern, timeoutMs))[1] ?? '',
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(home, { recursive: true, force: true });
    },
  };
}
