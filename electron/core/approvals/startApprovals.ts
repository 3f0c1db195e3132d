import type { ApprovalsConfig } from '../config/AppConfig.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import type { Logger } from '../log/Logger.ts';
import { ApprovalGate } from './ApprovalGate.ts';
import { ApprovalPolicies, approvalPoliciesFile } from './ApprovalPolicies.ts';
import { approvalsBridgePart } from './approvalsBridgePart.ts';
import type { Clock } from './Clock.ts';

export interface StartApprovalsOptions {
  dataDir: string;
  config: ApprovalsConfig | undefined;
  /** Whether a client id names an approved client (`clients:setPolicy` refuses others). */
  isKnownClient(clientId: string): boolean;
  logger: Logger;
  clock?: Clock;
  timeoutMs?: number;
}

/** The approval of destructive calls as the core runs it: saved policies, the gate, and its contract channels. */
export interface ApprovalsService {
  gate: ApprovalGate;
  policies: ApprovalPolicies;
  bridgePart: BridgePart;
}

export async function startApprovals(options: StartApprovalsOptions): Promise<ApprovalsService> {
  const policies = await ApprovalPolicies.load(approvalPoliciesFile(options.dataDir), options.config, options.logger);
  const gate = new ApprovalGate({ policyFor: (clientId, api) => policies.policyFor(clientId, api), clock: options.clock, timeoutMs: options.timeoutMs });
  return { gate, policies, bridgePart: approvalsBridgePart({ gate, policies, isKnownClient: options.isKnownClient }) };
}
