import path from 'node:path';
import { appRoot } from '../appRoot.ts';

/** The `command` and `args` of a stdio client's config entry (Claude Desktop's `mcpServers.<name>`). */
export interface BridgeCommand {
  command: string;
  args: string[];
}

export interface BridgeCommandOptions {
  /** How this app runs; detected from the process when absent. */
  install?: 'packaged' | 'checkout';
  /** The running executable (the packaged app's binary, or Node in a checkout); default process.execPath. */
  execPath?: string;
  /** The checkout's folder; default the app root. */
  root?: string;
}

/**
 * The command a stdio-only MCP client runs to reach this app through the bridge, for the current install: the
 * packaged app's own executable with `--stdio` (no Node needed), or in a development checkout Node 24 running
 * `scripts/start.ts --stdio` (an absolute path, so the client's working folder does not matter).
 */
export function bridgeCommand(options: BridgeCommandOptions = {}): BridgeCommand {
  const install = options.install ?? detectInstall();
  const execPath = options.execPath ?? process.execPath;
  if (install === 'packaged') return { command: execPath, args: ['--stdio'] };
  const root = options.root ?? appRoot;
  // Under `electron .` the executable is Electron, not Node: use the checkout's Node 24 (the `node` devDependency).
  const node = process.versions.electron && !options.execPath ? path.join(root, 'node_modules', 'node', 'bin', 'node') : execPath;
  // scripts/start.ts hands --stdio straight to the relay, loading a fraction of what cli.ts loads.
  return { command: node, args: [path.join(root, 'scripts', 'start.ts'), '--stdio'] };
}

// Electron sets process.defaultApp only when started as `electron <folder>` (development); packaged apps lack it.
function detectInstall(): 'packaged' | 'checkout' {
  const processInfo = process as NodeJS.Process & { defaultApp?: boolean };
  return process.versions.electron && !processInfo.defaultApp ? 'packaged' : 'checkout';
}
