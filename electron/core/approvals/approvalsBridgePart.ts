import type { ApprovalPolicy, CallDecision, Result } from '../../ipc/contract.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import type { ApprovalGate } from './ApprovalGate.ts';
import { isApprovalPolicy, type ApprovalPolicies } from './ApprovalPolicies.ts';

export interface ApprovalsBridgePartOptions {
  gate: ApprovalGate;
  policies: ApprovalPolicies;
  /** Whether `clientId` is a client the user approved (a policy for anything else is refused). */
  isKnownClient(clientId: string): boolean;
}

const decisions: readonly CallDecision[] = ['allow-once', 'allow-tool', 'deny'];
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const refused = (message: string): Result<never> => ({ ok: false, error: { code: 'UI_REQUEST_REFUSED', message } });

/**
 * The approval channels of the contract. They are served only to the app's own window (Electron IPC with its
 * sender check) and to the headless UI behind its launch token: the one way a pending call is decided (K2).
 */
export function approvalsBridgePart(options: ApprovalsBridgePartOptions): BridgePart {
  const { gate, policies } = options;
  return {
    'approvals:pending': async () => ok(gate.pending()),
    'approvals:decide': async (id: string, decision: CallDecision) => {
      if (typeof id !== 'string' || !decisions.includes(decision)) return refused('Decide with allow-once, allow-tool or deny');
      return gate.decide(id, decision) ? ok(undefined) : { ok: false, error: { code: 'APPROVAL_NOT_FOUND', message: 'That call is no longer waiting: it was decided, timed out or withdrawn' } };
    },
    'clients:setPolicy': async (clientId: string, policy: ApprovalPolicy) => {
      if (!isApprovalPolicy(policy)) return refused('The policy must be ask, allow or deny');
      if (typeof clientId !== 'string' || !options.isKnownClient(clientId)) return refused('No approved client has that id');
      await policies.set(clientId, policy);
      gate.forgetClient(clientId);
      return ok(undefined);
    },
    subscribe: (listener) => gate.onChanged((pending) => listener('approvals:changed', pending)),
  };
}
