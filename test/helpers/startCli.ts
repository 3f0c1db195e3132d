import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const root = path.join(import.meta.dirname, '../..');

export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
}

/** `npm start -- …` as a user runs it (scripts/start.ts on this Node), collecting what it prints. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, ['scripts/start.ts', ...args], { cwd: root, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { err += chunk; });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

export interface CliHome {
  home: string;
  /** `npm start -- …` with this home's environment; killed after the file if still running. */
  start(args: string[]): CliProcess;
  /** Runs after the file, in reverse order, before the home is removed. */
  cleanup: Array<() => unknown>;
}

/** A throwaway home for one test file's `npm start` runs, removed with everything started in it after the file. */
export function useCliHome(prefix: string, envFor: (home: string) => NodeJS.ProcessEnv): CliHome {
  const home = mkdtempSync(path.join(os.tmpdir(), prefix));
  const env = envFor(home);
  const cleanup: Array<() => unknown> = [];
  afterAll(async () => {
    for (const close of cleanup.reverse()) await close();
    rmSync(home, { recursive: true, force: true });
  });
  const start = (args: string[]) => {
    const cli = startCli(args, env);
    cleanup.push(() => cli.child.kill('SIGKILL'));
    return cli;
  };
  return { home, start, cleanup };
}
