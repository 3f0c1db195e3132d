import type { AppStatusView, AudienceWarningView, AuthStatusView, ClientView, CoreBridge, MainEventListener, Result, ToolView } from '../ipc/contract.ts';
import type { AuthState } from './auth/AuthState.ts';
import type { Auth } from './auth/createAuth.ts';
import type { Problem } from './config/AppConfig.ts';
import { toResultError } from './ui/invokeBridge.ts';
import type { McpHttpServer } from './mcp/serveMcp.ts';
import type { ToolRegistry } from './ToolRegistry.ts';

export interface CreateCoreBridgeOptions {
  registry: ToolRegistry;
  mcp: McpHttpServer;
  auth: Auth;
  mode: AppStatusView['mode'];
  configPath?: string;
  version: string;
  problems(): Problem[];
}

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
// The bridge's own conversion: an unknown error's text could hold secrets, so only AppErrors keep their message.
const failed = (error: unknown): Result<never> => ({ ok: false, error: toResultError(error) });

/** The UI's view of the sign-in state: the subject at most, never a token. */
export function toAuthStatusView(state: AuthState): AuthStatusView {
  switch (state.status) {
    case 'signed-in': return { state: 'signed-in', sub: state.sub };
    case 'keychain-unavailable': return { state: 'keychain-unavailable', reason: state.reason };
    case 'error': return { state: 'error', code: state.code, message: state.message };
    default: return { state: state.status };
  }
}

/** Serves the UI contract from the running core; payloads carry names, status and warnings, never tokens. */
export function createCoreBridge(options: CreateCoreBridgeOptions): CoreBridge {
  const { registry, auth } = options;
  const tools = (): ToolView[] => registry.describeTools().map(({ name, api, kind, definition }) => ({
    name, api, kind, title: definition.title, description: definition.description,
    readOnly: definition.annotations?.readOnlyHint === true, destructive: definition.annotations?.destructiveHint === true,
  }));
  const warnings = (): AudienceWarningView[] => auth.warnings().map(({ api, severity, code, message, expected, actual, fix }) => ({ api, severity, code, message, expected, actual, fix }));
  const clients = (): ClientView[] => options.mcp.clients().map((client) => ({
    id: client.id, name: client.name, version: client.version,
    connectedAt: new Date(client.connectedAt).toISOString(), lastSeenAt: new Date(client.lastSeenAt).toISOString(),
  }));
  return {
    'app:status': async () => ok({ endpoint: options.mcp.url, mode: options.mode, configPath: options.configPath, version: options.version }),
    'tools:list': async () => ok(tools()),
    'problems:list': async () => ok(options.problems()),
    'auth:status': async () => ok(toAuthStatusView(auth.state())),
    'auth:signIn': async () => auth.signIn().then(() => ok(undefined), failed),
    'auth:signOut': async () => auth.signOut().then(() => ok(undefined), failed),
    'warnings:list': async () => ok(warnings()),
    'clients:list': async () => ok(clients()),
    subscribe(listener: MainEventListener) {
      const stops = [
        registry.onToolsChanged(() => listener('tools:changed', tools())),
        registry.onProblemsChanged(() => listener('problems:changed', options.problems())),
        auth.onChange((state) => listener('auth:changed', toAuthStatusView(state))),
        auth.onWarningsChanged(() => listener('warnings:changed', warnings())),
        options.mcp.onClientsChanged(() => listener('clients:changed', clients())),
      ];
      return () => stops.forEach((stop) => stop());
    },
  };
}
