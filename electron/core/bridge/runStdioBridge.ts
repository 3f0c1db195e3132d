import { bridgeSocketPath } from './bridgeSocketPath.ts';
import { relayStdio } from './relayStdio.ts';

export interface RunStdioBridgeOptions {
  /** The data folder the running app uses (the same default as startCore). */
  dataDir?: string;
}

/**
 * `--stdio`: relays this process's stdin/stdout to the running app and resolves the exit code. Used by
 * `npm start -- --stdio` (headless CLI) and by the packaged app started with `--stdio` (Electron's main process),
 * so a stdio-only client such as Claude Desktop needs neither a TCP port nor a separate Node install.
 */
export async function runStdioBridge(options: RunStdioBridgeOptions = {}): Promise<number> {
  const code = await relayStdio({ socketPath: bridgeSocketPath({ dataDir: options.dataDir }), stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  // Callers may exit at once (Electron's app.exit): the app's last bytes must have left stdout first.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return code;
}

/** Whether this launch is a stdio bridge (`--stdio` among the arguments). */
export function isStdioLaunch(argv: readonly string[]): boolean {
  return argv.includes('--stdio');
}
