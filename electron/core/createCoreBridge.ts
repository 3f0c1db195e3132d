import { mainApiChannels, type AppStatusView, type AudienceWarningView, type AuthStatusView, type CoreBridge, type MainApi, type MainChannel, type MainEventListener, type Result, type ToolView } from '../ipc/contract.ts';
import type { AuthState } from './auth/AuthState.ts';
import type { Auth } from './auth/createAuth.ts';
import type { Problem } from './config/AppConfig.ts';
import { toResultError } from './ui/invokeBridge.ts';
import type { McpHttpServer } from './mcp/serveMcp.ts';
import type { ToolRegistry } from './ToolRegistry.ts';
import { scrubBridge } from './secrets/scrubBridge.ts';

export interface CreateCoreBridgeOptions {
  registry: ToolRegistry;
  mcp: McpHttpServer;
  auth: Auth;
  mode: AppStatusView['mode'];
  configPath?: string;
  version: string;
  problems(): Problem[];
  /** True while paused from the tray. */
  paused?(): boolean;
  /** Why the app listens on another port than configured (the demo's fallback). */
  portWarning?: string;
  /** Channels and events of the other concerns (clients, activity, approvals, setup, settings), merged in. */
  parts?: BridgePart[];
}

/** Some channels of the contract and the events that go with them, served by one concern of the core. */
export type BridgePart = { [K in MainChannel]?: MainApi[K] } & { subscribe?(listener: MainEventListener): () => void };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
// The bridge's own conversion: an unknown error's text could hold secrets, so only AppErrors keep their message.
const failed = (error: unknown): Result<never> => ({ ok: false, error: toResultError(error) });

/** The UI's view of the sign-in state: the subject at most, never a token. */
export function toAuthStatusView(state: AuthState): AuthStatusView {
  switch (state.status) {
    case 'signed-in': return { state: 'signed-in', sub: state.sub };
    case 'keychain-unavailable': return { state: 'keychain-unavailable', reason: state.reason };
    case 'error': return { state: 'error', code: state.code, message: state.message };
    case 'signing-in': return state.url ? { state: 'signing-in', url: state.url } : { state: 'signing-in' };
    default: return { state: state.status };
  }
}

/** Serves the UI contract from the running core; payloads carry names, status and warnings, never tokens. */
export function createCoreBridge(options: CreateCoreBridgeOptions): CoreBridge {
  const { registry, auth } = options;
  const tools = (): ToolView[] => registry.describeTools().map(({ name, api, kind, definition }) => ({
    name, api, kind, title: definition.title, description: definition.description,
    readOnly: definition.annotations?.readOnlyHint === true, destructive: definition.annotations?.destructiveHint === true,
    inputSchema: definition.inputSchema, enabled: registry.isEnabled(name),
  }));
  const warnings = (): AudienceWarningView[] => auth.warnings().map(({ api, severity, code, message, expected, actual, fix }) => ({ api, severity, code, message, expected, actual, fix }));
  const base = {
    'app:status': async () => ok({ endpoint: options.mcp.url, mode: options.mode, configPath: options.configPath, version: options.version, portWarning: options.portWarning, paused: options.paused?.() ?? false }),
    'tools:list': async () => ok(tools()),
    'problems:list': async () => ok(options.problems()),
    'auth:status': async () => ok(toAuthStatusView(auth.state())),
    'auth:signIn': async () => auth.signIn().then(() => ok(undefined), failed),
    'auth:signOut': async () => auth.signOut().then(() => ok(undefined), failed),
    'auth:cancel': async () => ok(auth.cancelSignIn()),
    'warnings:list': async () => ok(warnings()),
  };
  const parts = options.parts ?? [];
  // Whichever part answers, nothing reaches the window with a token in it (issue 7, item 1).
  return scrubBridge({
    ...withAllChannels(Object.assign({}, base, ...parts.map(({ subscribe: _subscribe, ...handlers }) => handlers))),
    subscribe(listener: MainEventListener) {
      const stops = [
        ...parts.flatMap((part) => (part.subscribe ? [part.subscribe(listener)] : [])),
        registry.onToolsChanged(() => listener('tools:changed', tools())),
        registry.onProblemsChanged(() => listener('problems:changed', options.problems())),
        auth.onChange((state) => listener('auth:changed', toAuthStatusView(state))),
        auth.onWarningsChanged(() => listener('warnings:changed', warnings())),
      ];
      return () => stops.forEach((stop) => stop());
    },
  });
}

/** A channel no part serves answers NOT_AVAILABLE instead of leaving the window's call unanswered. */
export function withAllChannels(handlers: Partial<MainApi>): MainApi {
  const all = { ...handlers } as Record<string, unknown>;
  for (const channel of Object.keys(mainApiChannels)) {
    all[channel] ??= async () => ({ ok: false, error: { code: 'NOT_AVAILABLE', message: `${channel} is not available in this build` } });
  }
  return all as unknown as MainApi;
}
