import type { Problem } from '../config/AppConfig.ts';
import { AppError } from '../errors.ts';
import { serveBridgeSocket, type BridgeSocketServer, type ServeBridgeSocketOptions } from './serveBridgeSocket.ts';

export interface StartBridgeOptions extends ServeBridgeSocketOptions {
  /** Where a bridge that cannot start is reported (the window's and the CLI's problem list). */
  warnings: Problem[];
}

/**
 * Starts the stdio bridge for the running app. The bridge is one way in among several, so an app that cannot open
 * its socket (another running instance holds it, or the path is unusable) keeps serving MCP over HTTP and says why
 * in its problem list instead of refusing to start.
 */
export async function startBridge(options: StartBridgeOptions): Promise<BridgeSocketServer | undefined> {
  try {
    return await serveBridgeSocket(options);
  } catch (error) {
    if (!AppError.is(error, 'BRIDGE_IN_USE') && !AppError.is(error, 'BRIDGE_UNAVAILABLE')) throw error;
    options.logger?.warn('stdio bridge not started', { reason: error.message });
    const fix = AppError.is(error, 'BRIDGE_IN_USE') ? 'Stdio clients (Claude Desktop) reach the other running instance; quit it to use this one.' : 'Stdio clients (Claude Desktop) cannot connect until this is fixed and the app restarts.';
    options.warnings.push({ severity: 'warning', message: `${error.message}. ${fix}` });
    return undefined;
  }
}
