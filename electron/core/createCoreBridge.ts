import type { AppStatusView, CoreBridge, MainEventListener, Result, ToolView } from '../ipc/contract.ts';
import type { Problem } from './config/AppConfig.ts';
import { AppError } from './errors.ts';
import type { McpHttpServer } from './mcp/serveMcp.ts';
import type { ToolRegistry } from './ToolRegistry.ts';

export interface CreateCoreBridgeOptions {
  registry: ToolRegistry;
  mcp: McpHttpServer;
  mode: AppStatusView['mode'];
  configPath?: string;
  version: string;
  problems(): Problem[];
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** Serves the UI contract from the running core; payloads carry names, status and warnings, never tokens. */
export function createCoreBridge(options: CreateCoreBridgeOptions): CoreBridge {
  const { registry } = options;
  const tools = (): ToolView[] => registry.describeTools().map(({ name, api, kind, definition }) => ({
    name, api, kind, title: definition.title, description: definition.description,
    readOnly: definition.annotations?.readOnlyHint === true, destructive: definition.annotations?.destructiveHint === true,
  }));
  return {
    'app:status': async () => ok({ endpoint: options.mcp.url, mode: options.mode, configPath: options.configPath, version: options.version }),
    'tools:list': async () => ok(tools()),
    'problems:list': async () => ok(options.problems()),
    'auth:status': async () => ok({ state: 'not-configured' }),
    'auth:signIn': async () => ({ ok: false, error: new AppError('AUTH_SIGN_IN_FAILED', 'Sign-in is not configured: add a "signIn:" block to the config').toJSON() }),
    'auth:signOut': async () => ok(undefined),
    'warnings:list': async () => ok([]),
    'clients:list': async () => ok([]),
    subscribe(listener: MainEventListener) {
      return registry.onToolsChanged(() => {
        listener('tools:changed', tools());
        listener('problems:changed', options.problems());
      });
    },
  };
}
