import type { CoreBridge, MainChannel, Result } from '../../ipc/contract.ts';
import { AppError, errorMessages } from '../errors.ts';

type ResultError = Extract<Result<never>, { ok: false }>['error'];

/**
 * Calls one channel of the core and always answers with a `Result`: a throw becomes `{ ok: false }` with the
 * AppError's code and message, or a generic message for anything else (an unknown error's text may hold secrets).
 */
export async function invokeBridge(bridge: CoreBridge, channel: MainChannel, args: readonly unknown[]): Promise<Result<unknown>> {
  try {
    const call = bridge[channel] as (...callArgs: unknown[]) => Promise<Result<unknown>>;
    return await call.apply(bridge, [...args]);
  } catch (error) {
    return { ok: false, error: toResultError(error) };
  }
}

export function toResultError(error: unknown): ResultError {
  if (AppError.is(error)) return { code: error.code, message: error.message };
  return { code: 'UI_REQUEST_FAILED', message: errorMessages.UI_REQUEST_FAILED };
}
