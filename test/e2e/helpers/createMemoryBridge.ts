import type {
  AppStatusView,
  AudienceWarningView,
  AuthStatusView,
  ClientView,
  CoreBridge,
  MainEventListener,
  ProblemView,
  Result,
  ToolView,
} from '../../../electron/ipc/contract.ts';
import { withAllChannels } from '../../../electron/core/createCoreBridge.ts';

export interface MemoryBridgeState {
  status: AppStatusView;
  tools: ToolView[];
  problems: ProblemView[];
  auth: AuthStatusView;
  warnings: AudienceWarningView[];
  clients: ClientView[];
}

export interface MemoryBridge extends CoreBridge {
  setTools(tools: ToolView[]): void;
  setClients(clients: ClientView[]): void;
  setAuth(auth: AuthStatusView): void;
  /** How many event streams are subscribed right now. */
  listenerCount(): number;
}

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });

/**
 * A CoreBridge over in-memory state: every setter emits the matching event, as the core does on a change.
 * Sign-in moves through `signing-in` to `signed-in` as `signedInSub`, the way a real login reports progress.
 */
export function createMemoryBridge(initial: MemoryBridgeState, signedInSub = 'alice'): MemoryBridge {
  const state: MemoryBridgeState = structuredClone(initial);
  const listeners = new Set<MainEventListener>();
  const emit: MainEventListener = (event, payload) => listeners.forEach((listener) => listener(event, payload));

  const setAuth = (auth: AuthStatusView) => {
    state.auth = auth;
    emit('auth:changed', auth);
  };

  return {
    ...withAllChannels({}),
    'app:status': () => ok(state.status),
    'tools:list': () => ok(state.tools),
    'problems:list': () => ok(state.problems),
    'auth:status': () => ok(state.auth),
    'warnings:list': () => ok(state.warnings),
    'clients:list': () => ok(state.clients),
    'auth:signIn': () => {
      setAuth({ state: 'signing-in' });
      setTimeout(() => setAuth({ state: 'signed-in', sub: signedInSub }), 300);
      return ok(undefined);
    },
    'auth:signOut': () => {
      setAuth({ state: 'signed-out' });
      return ok(undefined);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setTools(tools) {
      state.tools = tools;
      emit('tools:changed', tools);
    },
    setClients(clients) {
      state.clients = clients;
      emit('clients:changed', clients);
    },
    setAuth,
    listenerCount: () => listeners.size,
  };
}
