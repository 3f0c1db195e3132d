import type { Result, SetupTarget } from '../../ipc/contract.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import { toResultError } from '../ui/invokeBridge.ts';
import { applyClientSetup, listClientSetups, type ClientSetupOptions } from './clientSetup.ts';

const failed = (error: unknown): Result<never> => ({ ok: false, error: toResultError(error) });

/** `setup:list` and `setup:apply`: one-click client setup for the window. */
export function setupBridgePart(options: ClientSetupOptions): BridgePart {
  return {
    'setup:list': async () => listClientSetups(options).then((value) => ({ ok: true as const, value }), failed),
    'setup:apply': async (target: SetupTarget) => applyClientSetup(target, options).then((value) => ({ ok: true as const, value }), failed),
  };
}
