import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ApprovalPolicy } from '../../ipc/contract.ts';
import type { ApprovalsConfig } from '../config/AppConfig.ts';
import type { Logger } from '../log/Logger.ts';
import { writeFileAtomic } from '../store/writeFileAtomic.ts';

const policies: readonly ApprovalPolicy[] = ['ask', 'allow', 'deny'];

/** The file in the data dir that keeps each client's approval policy across restarts. */
export function approvalPoliciesFile(dataDir: string): string {
  return path.join(dataDir, 'approval-policies.json');
}

/**
 * Per-client approval policies set in the app (`clients:setPolicy`), persisted in the data dir; a client the user
 * never set one for follows the config's `approvals` (per API, then the default, then `ask`).
 */
export class ApprovalPolicies {
  readonly #file: string;
  readonly #byClient: Map<string, ApprovalPolicy>;
  readonly #listeners = new Set<(clientId: string) => void>();
  #config: ApprovalsConfig | undefined;

  private constructor(file: string, byClient: Map<string, ApprovalPolicy>, config: ApprovalsConfig | undefined) {
    this.#file = file;
    this.#byClient = byClient;
    this.#config = config;
  }

  /** Reads the saved policies; a missing file means none, an unreadable one is reported and ignored (all `ask`). */
  static async load(file: string, config: ApprovalsConfig | undefined, logger?: Logger): Promise<ApprovalPolicies> {
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') logger?.warn('cannot read approval policies; using the config defaults', { file, reason: error.code });
      return undefined;
    });
    return new ApprovalPolicies(file, parsePolicies(text, file, logger), config);
  }

  /** The policy for a destructive call of `clientId` to `api`: the client's own, else the config's. */
  policyFor(clientId: string, api: string | undefined): ApprovalPolicy {
    return this.#byClient.get(clientId) ?? this.defaultFor(api);
  }

  /** What a client without its own policy gets for `api`. */
  defaultFor(api: string | undefined): ApprovalPolicy {
    const apis = this.#config?.apis ?? {};
    return (api && Object.hasOwn(apis, api) ? apis[api] : undefined) ?? this.#config?.default ?? 'ask';
  }

  /** What the Clients view shows for a client: its own policy, or the config default. */
  policyOf(clientId: string): ApprovalPolicy {
    return this.#byClient.get(clientId) ?? this.defaultFor(undefined);
  }

  async set(clientId: string, policy: ApprovalPolicy): Promise<void> {
    this.#byClient.set(clientId, policy);
    await writeFileAtomic(this.#file, `${JSON.stringify({ version: 1, clients: Object.fromEntries(this.#byClient) }, null, 2)}\n`);
    for (const listener of this.#listeners) listener(clientId);
  }

  /** Called with the client whose policy the user changed (the Clients view shows it). */
  onChanged(listener: (clientId: string) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Config reloaded or changed in Settings: new defaults apply to the next call. */
  setConfig(config: ApprovalsConfig | undefined): void {
    this.#config = config;
  }
}

function parsePolicies(text: string | undefined, file: string, logger?: Logger): Map<string, ApprovalPolicy> {
  if (text === undefined) return new Map();
  try {
    const clients = (JSON.parse(text) as { clients?: Record<string, unknown> }).clients ?? {};
    return new Map(Object.entries(clients).filter((entry): entry is [string, ApprovalPolicy] => policies.includes(entry[1] as ApprovalPolicy)));
  } catch {
    logger?.warn('approval policies file is not JSON; using the config defaults', { file });
    return new Map();
  }
}

export function isApprovalPolicy(value: unknown): value is ApprovalPolicy {
  return policies.includes(value as ApprovalPolicy);
}
