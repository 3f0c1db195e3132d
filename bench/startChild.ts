import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A bench child process that prints one JSON object per stdout line and takes one-word commands on stdin. */
export interface BenchChild {
  child: ChildProcess;
  /** Resolves with the next line whose `event` matches; rejects when the child exits first or after `timeoutMs`. */
  next<T extends { event: string }>(event: string, timeoutMs?: number): Promise<T>;
  send(command: string): void;
  /** Ends stdin (the child then closes what it started and exits) and waits for the exit, killing it after 5 s. */
  stop(): Promise<void>;
}

/** Spawns `node [...nodeArgs] <script> ...args` with this process's Node (the project's Node 24), `env` added. */
export function startChild(script: string, args: string[] = [], nodeArgs: string[] = [], env: Record<string, string> = {}): BenchChild {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const lines: { event: string }[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let exited = false;
  child.stderr!.on('data', (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4000)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      lines.push(JSON.parse(line) as { event: string });
    } catch {
      return; // not ours (a library printing to stdout)
    }
    for (const wake of waiters) wake();
  });
  child.on('exit', () => {
    exited = true;
    for (const wake of waiters) wake();
  });

  const next = <T extends { event: string }>(event: string, timeoutMs = 30_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`${script}: no "${event}" within ${timeoutMs} ms\n${stderr}`)), timeoutMs);
      const finish = (error?: Error, value?: T) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(value!);
      };
      const check = () => {
        const index = lines.findIndex((line) => line.event === event);
        if (index >= 0) return finish(undefined, lines.splice(index, 1)[0] as T);
        if (exited) finish(new Error(`${script} exited before "${event}"\n${stderr}`));
      };
      waiters.add(check);
      check();
    });

  const stop = async () => {
    if (exited) return;
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.stdin!.end();
    const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await done;
    clearTimeout(killer);
  };
  return { child, next, send: (command) => void child.stdin!.write(`${command}\n`), stop };
}
