import { connect } from 'node:net';
import type { Readable, Writable } from 'node:stream';

export interface RelayStdioOptions {
  /** The running app's bridge socket (bridgeSocketPath()). */
  socketPath: string;
  stdin: Readable;
  /** The protocol channel: only bytes from the app are ever written here. */
  stdout: Writable;
  /** Where the relay's own messages go. */
  stderr: Writable;
}

/** What the user reads when there is no app to relay to. */
export const appNotRunningMessage = 'GraphQL MCP Desktop is not running: start it, then retry';

/**
 * The stdio side of the bridge: copies stdin to the running app's socket and the socket to stdout, byte for byte,
 * until stdin ends (the client is done: exit code 0) or the app closes the connection (denied, revoked, quit: 1).
 * Without a running app it says so on stderr and resolves 1. Nothing but the app's bytes reaches stdout.
 *
 * @see https://modelcontextprotocol.io/specification/2025-06-18/basic/transports#stdio
 */
export function relayStdio(options: RelayStdioOptions): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(options.socketPath);
    let connected = false;
    let inputEnded = false;
    socket.once('connect', () => {
      connected = true;
      options.stdin.once('end', () => (inputEnded = true));
      options.stdin.pipe(socket);
      socket.pipe(options.stdout, { end: false });
      // The client went away (EPIPE): end the relay quietly instead of crashing on an unhandled stream error.
      options.stdout.once('error', () => socket.destroy());
      options.stdin.once('error', () => socket.destroy());
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (!connected) options.stderr.write(`${describeConnectError(error)}\n`);
    });
    socket.once('close', () => {
      options.stdin.unpipe(socket);
      // The app hung up while the client still talks: say so, and let the client see the relay exit.
      if (connected && !inputEnded) options.stderr.write('GraphQL MCP Desktop closed the connection (the client was denied or revoked, or the app quit).\n');
      options.stdin.pause();
      resolve(connected && inputEnded ? 0 : 1);
    });
  });
}

function describeConnectError(error: NodeJS.ErrnoException): string {
  // No socket (never started, or quit) or a socket nobody listens on (crashed): both mean "not running".
  if (['ENOENT', 'ECONNREFUSED', 'ENOTSOCK'].includes(error.code ?? '')) return appNotRunningMessage;
  return `GraphQL MCP Desktop could not be reached on its bridge socket (${error.code ?? 'error'}): start it, then retry`;
}
