import { isDeepStrictEqual } from 'node:util';
import type { Result, SettingsPatch } from '../../ipc/contract.ts';
import type { ApprovalPolicies } from '../approvals/ApprovalPolicies.ts';
import { createAuth, type CreateAuthOptions } from '../auth/createAuth.ts';
import type { AppConfig, Problem } from '../config/AppConfig.ts';
import type { BridgePart } from '../createCoreBridge.ts';
import type { Logger } from '../log/Logger.ts';
import type { ToolRegistry } from '../ToolRegistry.ts';
import { toResultError } from '../ui/invokeBridge.ts';
import type { SwappableAuth } from './createSwappableAuth.ts';
import { LiveConfig } from './LiveConfig.ts';
import { toSettingsView } from './toSettingsView.ts';

export interface StartLiveConfigOptions {
  config: AppConfig;
  mode: 'demo' | 'config';
  startupProblems: Problem[];
  env: Record<string, string | undefined>;
  registry: ToolRegistry;
  auth: SwappableAuth;
  /** How a new Auth is made for a changed config (the options startCore gave createAuth, less the config). */
  authOptions: Omit<CreateAuthOptions, 'config'>;
  policies: ApprovalPolicies;
  /** The port the MCP server listens on now (a changed `server.port` takes effect at the next start). */
  listeningPort: number;
  /** Problems of the tools (schemas, operations), shown after the config's own. */
  toolProblems(): Problem[];
  logger: Logger;
  watch: boolean;
}

export interface LiveConfigService {
  live: LiveConfig;
  problems(): Problem[];
  bridgePart: BridgePart;
}

/**
 * Follows the config file and applies each valid edit without a restart: a new sign-in (or new APIs) gets a new
 * Auth restored from the keychain, the registry reloads every API, approvals take the new defaults.
 */
export function startLiveConfig(options: StartLiveConfigOptions): LiveConfigService {
  const portNote: Problem[] = [];
  const live = new LiveConfig({
    config: options.config, mode: options.mode, startupProblems: options.startupProblems, env: options.env, logger: options.logger,
    apply: async (next, previous) => {
      if (!isDeepStrictEqual(next.signIn, previous.signIn) || !isDeepStrictEqual(next.apis, previous.apis)) {
        await options.auth.swap(createAuth({ ...options.authOptions, config: next }));
      }
      await options.registry.reconfigure(next, options.auth.auth.authorizer);
      options.policies.setConfig(next.approvals);
      portNote.splice(0, portNote.length, ...describePortChange(next, options.listeningPort));
    },
  });
  if (options.watch) live.watch();
  const problems = () => [...live.problems(), ...portNote, ...options.toolProblems()];
  const failed = (error: unknown): Result<never> => ({ ok: false, error: toResultError(error) });
  const view = () => toSettingsView(live.config, live.writable);
  const bridgePart: BridgePart = {
    'settings:get': async () => ({ ok: true, value: view() }),
    'settings:update': async (patch: SettingsPatch) => live.update(patch).then(() => ({ ok: true as const, value: view() }), failed),
    subscribe: (listener) => live.onChanged((event) => {
      if (event === 'config') listener('settings:changed', view());
      listener('problems:changed', problems());
    }),
  };
  return { live, problems, bridgePart };
}

function describePortChange(config: AppConfig, listeningPort: number): Problem[] {
  if (config.server.port === 0 || config.server.port === listeningPort) return [];
  return [{ severity: 'warning', file: config.configPath, message: `server.port is now ${config.server.port}, but the app listens on ${listeningPort} until it restarts; clients keep using ${listeningPort} until then` }];
}
