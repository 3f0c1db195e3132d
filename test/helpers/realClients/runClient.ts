import { spawn, type ChildProcess } from 'node:child_process';

/** A client command running in the background: what it printed so far, and a wait for a pattern or its exit. */
export interface RunningClient {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  exited: Promise<number | null>;
  stop(): void;
}

export function runClient(command: string, args: string[], env: Record<string, string>): RunningClient {
  const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  const watchers = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    watchers.forEach((watch) => watch());
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    watchers.forEach((watch) => watch());
    resolve(code);
  }));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) => new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`${command} did not print ${pattern} within ${timeoutMs} ms; it printed:\n${text}`)), timeoutMs);
    const check = () => {
      const match = pattern.exec(text);
      if (match) done(undefined, match);
      else if (child.exitCode !== null) done(new Error(`${command} exited (${child.exitCode}) without printing ${pattern}:\n${text}`));
    };
    const done = (error?: Error, match?: RegExpMatchArray) => {
      clearTimeout(timer);
      watchers.delete(check);
      if (error) reject(error);
      else resolve(match!);
    };
    watchers.add(check);
    check();
  });
  return { child, output: () => text, waitFor, exited, stop: () => void (child.exitCode === null && child.kill()) };
}

/** Runs a client command to its end; rejects with what it printed when it fails. */
export async function runToEnd(command: string, args: string[], env: Record<string, string>, timeoutMs = 90_000): Promise<string> {
  const running = runClient(command, args, env);
  running.child.stdin!.end();
  const timer = setTimeout(() => running.stop(), timeoutMs);
  const code = await running.exited.finally(() => clearTimeout(timer));
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${running.output()}`);
  return running.output();
}
