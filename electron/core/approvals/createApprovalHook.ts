import type { Principal } from '../clients/LocalAuthority.ts';
import type { ToolDefinition } from '../graphql/OperationTool.ts';
import type { ApprovalGate } from './ApprovalGate.ts';
import { isDestructiveCall } from './isDestructiveCall.ts';

export interface ApprovalHookOptions {
  gate: ApprovalGate;
  /** Whether a tool runs a fixed operation or is an introspection tool (`execute`). */
  kindOf(name: string): 'operation' | 'introspection' | undefined;
}

/** The call as the tool gateway hands it to `beforeCall` (ToolGateway's ToolCall). */
export interface GatedCall {
  principal: Pick<Principal, 'clientId' | 'name'>;
  tool: ToolDefinition;
  api?: string;
  args: Record<string, unknown>;
  signal?: AbortSignal;
  /** Where the gate reports that the call still waits for the user (MCP progress, when the client asked for it). */
  onProgress?(message: string): void;
}

/**
 * The tool gateway's `beforeCall`: a call that can change data waits for the client's approval policy (and, under
 * `ask`, for the user); every other call runs. It runs before anything is sent upstream (K1).
 */
export function createApprovalHook(options: ApprovalHookOptions): (call: GatedCall) => Promise<{ allowed: true } | { allowed: false; reason: string }> {
  return async ({ principal, tool, api, args, signal, onProgress }) => {
    if (!isDestructiveCall(tool, options.kindOf(tool.name), args)) return { allowed: true };
    const verdict = await options.gate.requestApproval({ clientId: principal.clientId, clientName: principal.name, tool: tool.name, api, arguments: args, signal, onProgress });
    return verdict.approved ? { allowed: true } : { allowed: false, reason: verdict.reason };
  };
}
