import path from 'node:path';
import type { SettingsView } from '../../ipc/contract.ts';
import type { AppConfig } from '../config/AppConfig.ts';
import { describeOperationSource } from './applySettingsPatch.ts';

/** The settings as the window shows them: what the config file says, paths as written relative to it. */
export function toSettingsView(config: AppConfig, writable: boolean): SettingsView {
  const dir = config.configPath ? path.dirname(config.configPath) : process.cwd();
  return {
    ...(config.configPath ? { configPath: config.configPath } : {}),
    writable,
    port: config.server.port,
    ...(config.signIn ? { signIn: { issuer: config.signIn.issuer, clientId: config.signIn.clientId, scopes: config.signIn.scopes, ...(config.signIn.resource ? { resource: config.signIn.resource } : {}) } } : {}),
    apis: config.apis.map((api) => ({
      name: api.name, endpoint: api.endpoint, operations: api.operations.map((source) => describeOperationSource(source, dir)),
      mutations: api.mutations, tokenStrategy: api.token.strategy, ...(api.token.audience ? { audience: api.token.audience } : {}),
    })),
    approvals: { default: config.approvals?.default ?? 'ask', apis: { ...config.approvals?.apis } },
  };
}
