import os from 'node:os';
import path from 'node:path';
import { defaultDataDir } from '../store/defaultDataDir.ts';

export interface BridgeSocketPathOptions {
  /** The app's data folder (StartCoreOptions.dataDir); default defaultDataDir(). */
  dataDir?: string;
  platform?: NodeJS.Platform;
  /** The OS user name, for the Windows pipe name; default the current user. */
  user?: string;
}

/** The folder that holds the socket: created 0700, so only the user can even reach the socket file in it. */
export function bridgeSocketDir(dataDir: string): string {
  return path.join(dataDir, 'run');
}

/**
 * Where the running app listens for stdio bridges: `<dataDir>/run/bridge.sock` (a Unix domain socket, 0600 in a
 * 0700 folder), or on Windows the named pipe `\\.\pipe\graphql-mcp-desktop-<user>` (pipes live in one machine-wide
 * namespace, not in a folder). The app and the relay both call this, so they always agree.
 */
export function bridgeSocketPath(options: BridgeSocketPathOptions = {}): string {
  const platform = options.platform ?? process.platform;
  if (platform === 'win32') return `\\\\.\\pipe\\graphql-mcp-desktop-${pipeSafe(options.user ?? os.userInfo().username)}`;
  return path.join(bridgeSocketDir(options.dataDir ?? defaultDataDir({ platform })), 'bridge.sock');
}

// A backslash would start a sub-path of the pipe name; anything unusual is replaced rather than trusted.
function pipeSafe(user: string): string {
  return user.replace(/[^\w.-]/g, '_').slice(0, 64) || 'user';
}
