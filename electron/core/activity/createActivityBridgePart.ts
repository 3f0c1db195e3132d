import type { ActivityFilter, ActivityOutcome, ApprovalPolicy, MainEventListener, Result } from '../../ipc/contract.ts';
import type { LocalAuthority } from '../clients/LocalAuthority.ts';
import { listClients } from '../clients/listClients.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import type { McpHttpServer } from '../mcp/serveMcp.ts';
import type { ActivityLog } from './ActivityLog.ts';

export interface ActivityBridgePartOptions {
  activity: ActivityLog;
  authority: Pick<LocalAuthority, 'approvedClients' | 'onClientChanged'>;
  mcp: Pick<McpHttpServer, 'liveSessions' | 'onSessionsChanged'>;
  /** The approval policy of a client (the approvals concern); default `ask`. */
  policyOf?(clientId: string): ApprovalPolicy;
  /** Called with a client's id after its approval policy changed. */
  onPolicyChanged?(listener: (clientId: string) => void): () => void;
  /** Bursts of changes (a call, a session) are announced once after this long; default 100 ms. */
  coalesceMs?: number;
}

const outcomes = new Set<ActivityOutcome>(['ok', 'error', 'denied']);

/**
 * The window's view of who is connected and what they did: `clients:list` and `activity:list`, with
 * `clients:changed` (sessions, approvals, activity counts) and `activity:appended` (each call as it is recorded).
 */
export function createActivityBridgePart(options: ActivityBridgePartOptions): BridgePart {
  const clients = () => listClients({ approved: options.authority.approvedClients(), sessions: options.mcp.liveSessions(), stats: options.activity.stats(), policyOf: options.policyOf });
  return {
    'clients:list': async () => ({ ok: true, value: clients() }),
    'activity:list': async (filter) => listActivity(options.activity, filter),
    subscribe(listener: MainEventListener) {
      let timer: NodeJS.Timeout | undefined;
      const changed = () => {
        timer ??= setTimeout(() => {
          timer = undefined;
          listener('clients:changed', clients());
        }, options.coalesceMs ?? 100);
      };
      const stops = [
        options.mcp.onSessionsChanged(changed),
        options.authority.onClientChanged(changed),
        options.onPolicyChanged?.(changed) ?? (() => {}),
        options.activity.onAppended((entry) => {
          listener('activity:appended', entry);
          changed();
        }),
      ];
      return () => {
        clearTimeout(timer);
        stops.forEach((stop) => stop());
      };
    },
  };
}

// The filter arrives from the window (IPC or the headless HTTP bridge): only known fields of the right type count.
async function listActivity(activity: ActivityLog, filter: unknown): Promise<Result<ReturnType<ActivityLog['list']>>> {
  const given = (typeof filter === 'object' && filter !== null ? filter : {}) as Record<string, unknown>;
  const checked: ActivityFilter = {};
  if (typeof given.clientId === 'string') checked.clientId = given.clientId;
  if (typeof given.tool === 'string') checked.tool = given.tool;
  if (typeof given.outcome === 'string' && outcomes.has(given.outcome as ActivityOutcome)) checked.outcome = given.outcome as ActivityOutcome;
  if (typeof given.limit === 'number' && Number.isInteger(given.limit)) checked.limit = given.limit;
  return { ok: true, value: activity.list(checked) };
}
