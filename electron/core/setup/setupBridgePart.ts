import type { Result, SetupTarget } from '../../ipc/contract.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import { bridgeCommand } from '../bridge/bridgeCommand.ts';
import { toResultError } from '../ui/invokeBridge.ts';
import { applyClientSetup, listClientSetups, type ClientSetupOptions } from './clientSetup.ts';

const failed = (error: unknown): Result<never> => ({ ok: false, error: toResultError(error) });

/**
 * `setup:list` and `setup:apply`: one-click client setup for the window. Claude Desktop's entry starts this install's
 * stdio bridge (the packaged app's own executable with `--stdio`), unless a test passes another command.
 */
export function setupBridgePart(setup: ClientSetupOptions): BridgePart {
  const options: ClientSetupOptions = { bridgeCommand: () => bridgeCommand(), ...setup };
  return {
    'setup:list': async () => listClientSetups(options).then((value) => ({ ok: true as const, value }), failed),
    'setup:apply': async (target: SetupTarget) => applyClientSetup(target, options).then((value) => ({ ok: true as const, value }), failed),
  };
}
