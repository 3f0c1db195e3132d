import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig, Problem } from './config/AppConfig.ts';
import { defaultConfigPath } from './config/defaultConfigPath.ts';
import { loadConfig } from './config/loadConfig.ts';
import { createCoreBridge } from './createCoreBridge.ts';
import { startDemo } from './demo/startDemo.ts';
import { noAuthorization } from './auth/ApiAuthorizer.ts';
import type { Logger } from './log/Logger.ts';
import { serveMcp, type McpHttpServer } from './mcp/serveMcp.ts';
import { ToolRegistry } from './ToolRegistry.ts';
import type { CoreBridge } from '../ipc/contract.ts';

export interface StartCoreOptions {
  /** An explicit config file (`--config`); without it the default location is used, or the demo when that is absent. */
  configPath?: string;
  /** Opens a URL in the system browser (Electron's shell.openExternal, or the platform opener in headless mode). */
  openExternal(url: string): Promise<void>;
  logger: Logger;
  env?: Record<string, string | undefined>;
  /** Overrides `server.port` (tests pass 0). */
  port?: number;
  /** Hot reload of operations and schema files; on by default. */
  watch?: boolean;
}

export interface CoreHandle {
  bridge: CoreBridge;
  /** `http://127.0.0.1:<port>/mcp` */
  endpoint: string;
  mode: 'demo' | 'config';
  configPath?: string;
  registry: ToolRegistry;
  mcp: McpHttpServer;
  /** Problems found at start (config warnings, schema and operation problems); later ones arrive via the bridge. */
  problems(): Problem[];
  close(): Promise<void>;
}

/** The app's version, shown in the UI and sent as MCP `serverInfo.version`. */
export const appVersion: string = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string }).version;

/**
 * Starts everything the app runs, without Electron: config (or the built-in demo), tools, and the MCP server on
 * 127.0.0.1. Rejects with AppError CONFIG_NOT_FOUND / CONFIG_INVALID / SERVER_LISTEN_FAILED, closing what it started.
 */
export async function startCore(options: StartCoreOptions): Promise<CoreHandle> {
  const env = options.env ?? process.env;
  const source = await resolveConfig(options.configPath, env, options.logger);
  const cleanups: (() => Promise<void> | void)[] = [source.close];
  try {
    const registry = await ToolRegistry.create({ config: source.config, authorizer: noAuthorization, logger: options.logger, watch: options.watch ?? true });
    cleanups.push(() => registry.close());
    const mcp = await serveMcp({ catalog: registry, version: appVersion, port: options.port ?? source.config.server.port, logger: options.logger });
    cleanups.push(() => mcp.close());
    const problems = () => [...source.warnings, ...registry.problems()];
    const close = async () => { for (const cleanup of cleanups.reverse()) await cleanup(); };
    const bridge = createCoreBridge({ registry, mcp, mode: source.mode, configPath: source.config.configPath, version: appVersion, problems });
    return { bridge, endpoint: mcp.url, mode: source.mode, configPath: source.config.configPath, registry, mcp, problems, close };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw error;
  }
}

interface ConfigSource {
  config: AppConfig;
  warnings: Problem[];
  mode: 'demo' | 'config';
  close(): Promise<void>;
}

async function resolveConfig(explicit: string | undefined, env: Record<string, string | undefined>, logger: Logger): Promise<ConfigSource> {
  const file = explicit ? path.resolve(explicit) : defaultConfigPath({ env });
  if (!explicit && !existsSync(file)) {
    logger.info('no config file, using the built-in demo', { expectedAt: file });
    const demo = await startDemo();
    return { config: demo.config, warnings: [], mode: 'demo', close: demo.close };
  }
  const { config, warnings } = await loadConfig(file, { env });
  return { config, warnings, mode: 'config', close: async () => {} };
}
