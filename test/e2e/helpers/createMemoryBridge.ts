import type {
  ActivityEntryView,
  AppStatusView,
  AudienceView,
  AudienceWarningView,
  AuthStatusView,
  ClientSetupView,
  ClientView,
  CoreBridge,
  MainApi,
  MainChannel,
  MainEventListener,
  PendingCallView,
  PendingClientView,
  ProblemView,
  Result,
  SettingsView,
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
  pendingClients: PendingClientView[];
  approvals: PendingCallView[];
  audiences: AudienceView[];
  activity: ActivityEntryView[];
  settings: SettingsView;
  setup: ClientSetupView[];
}

export interface MemoryBridgeOptions {
  /** Who a completed sign-in names. */
  signedInSub?: string;
  /** Sign-in stays at `signing-in` (with this URL) until cancelled, as when no browser could be opened. */
  holdSignIn?: string;
  /** Channels this bridge leaves out: they answer NOT_AVAILABLE, as in a build where nobody serves them. */
  unavailable?: MainChannel[];
  /** Channels whose answer is taken when asked but sent this many ms later, as from a busy app. */
  answerLate?: Partial<Record<MainChannel, number>>;
}

export interface MemoryBridge extends CoreBridge {
  setTools(tools: ToolView[]): void;
  setClients(clients: ClientView[]): void;
  setAuth(auth: AuthStatusView): void;
  setApprovals(calls: PendingCallView[]): void;
  setPendingClients(requests: PendingClientView[]): void;
  appendActivity(entry: ActivityEntryView): void;
  /** Every `tools:try`, `approvals:decide`, … call this bridge answered, in order, for assertions. */
  calls: Array<{ channel: MainChannel; args: unknown[] }>;
  /** How many event streams are subscribed right now. */
  listenerCount(): number;
}

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const refused = (code: 'CONFIG_INVALID' | 'CLIENT_NOT_FOUND' | 'KEY_NAME_TAKEN', message: string): Promise<Result<never>> => Promise.resolve({ ok: false, error: { code, message } });

/**
 * A CoreBridge over in-memory state, for window states the real core cannot easily reach (a request about to expire,
 * a port conflict, a channel not served). Every change emits the matching event, as the core does.
 * Long, but a table: one short handler per channel of the contract.
 */
export function createMemoryBridge(initial: MemoryBridgeState, options: MemoryBridgeOptions = {}): MemoryBridge {
  const state: MemoryBridgeState = structuredClone(initial);
  const listeners = new Set<MainEventListener>();
  const calls: MemoryBridge['calls'] = [];
  const emit: MainEventListener = (event, payload) => listeners.forEach((listener) => listener(event, payload));
  const record = (channel: MainChannel, args: unknown[]) => calls.push({ channel, args });
  const change = {
    auth(auth: AuthStatusView) { state.auth = auth; emit('auth:changed', auth); },
    clients(clients: ClientView[]) { state.clients = clients; emit('clients:changed', clients); },
    pending(requests: PendingClientView[]) { state.pendingClients = requests; emit('clients:pending-changed', requests); },
    approvals(pending: PendingCallView[]) { state.approvals = pending; emit('approvals:changed', pending); },
    tools(tools: ToolView[]) { state.tools = tools; emit('tools:changed', tools); },
    activity(entry: ActivityEntryView) { state.activity = [entry, ...state.activity]; emit('activity:appended', entry); },
  };
  const updateClient = (clientId: string, update: Partial<ClientView>) => {
    if (!state.clients.some((client) => client.clientId === clientId)) return refused('CLIENT_NOT_FOUND', 'No approved client or access key has that id or name');
    change.clients(state.clients.map((client) => (client.clientId === clientId ? { ...client, ...update } : client)));
    return ok(undefined);
  };

  const handlers: Partial<MainApi> = {
    'app:status': () => ok(state.status),
    'tools:list': () => ok(state.tools),
    'problems:list': () => ok(state.problems),
    'auth:status': () => ok(state.auth),
    'warnings:list': () => ok(state.warnings),
    'clients:list': () => ok(state.clients),
    'clients:pending': () => ok(state.pendingClients),
    'approvals:pending': () => ok(state.approvals),
    'audiences:list': () => ok(state.audiences.map((audience) => ({ ...audience, warnings: state.warnings.filter((warning) => warning.api === audience.api) }))),
    'settings:get': () => ok(state.settings),
    'setup:list': () => ok(state.setup),
    'activity:list': (filter) => ok(filterActivity(state.activity, filter)),
    'auth:signIn': () => {
      change.auth({ state: 'signing-in', url: options.holdSignIn });
      if (!options.holdSignIn) setTimeout(() => change.auth({ state: 'signed-in', sub: options.signedInSub ?? 'alice' }), 300);
      return ok(undefined);
    },
    'auth:signOut': () => { change.auth({ state: 'signed-out' }); return ok(undefined); },
    'auth:cancel': () => { change.auth({ state: 'signed-out' }); return ok(undefined); },
    'clients:decide': (requestId, decision) => {
      record('clients:decide', [requestId, decision]);
      const request = state.pendingClients.find((candidate) => candidate.requestId === requestId);
      change.pending(state.pendingClients.filter((candidate) => candidate.requestId !== requestId));
      if (request && decision !== 'deny') change.clients([...state.clients, approvedClient(request, decision === 'allow-write' ? 'write' : 'read')]);
      return ok(undefined);
    },
    'clients:revoke': (clientId) => { record('clients:revoke', [clientId]); change.clients(state.clients.filter((client) => client.clientId !== clientId)); return ok(undefined); },
    'clients:setTools': (clientId, names) => { record('clients:setTools', [clientId, names]); return updateClient(clientId, { tools: names }); },
    'clients:setPolicy': (clientId, policy) => { record('clients:setPolicy', [clientId, policy]); return updateClient(clientId, { approvalPolicy: policy }); },
    'keys:create': (name, readOnly) => {
      if (state.clients.some((client) => client.kind === 'key' && client.name === name)) return refused('KEY_NAME_TAKEN', 'An access key with that name already exists');
      const clientId = `k-${state.clients.length + 1}`;
      change.clients([...state.clients, { clientId, name, kind: 'key', identity: 'local', access: readOnly ? 'read' : 'write', tools: null, approvalPolicy: 'ask', approvedAt: new Date().toISOString(), calls: 0, errors: 0, sessions: [] }]);
      return ok({ name, clientId, key: 'gmdk_sample_3jv9Qm2cX7rT0bLw5yN8pKfH4sUe6aZd' });
    },
    'keys:revoke': (name) => { record('keys:revoke', [name]); change.clients(state.clients.filter((client) => !(client.kind === 'key' && client.name === name))); return ok(undefined); },
    'approvals:decide': (id, decision) => {
      record('approvals:decide', [id, decision]);
      const call = state.approvals.find((candidate) => candidate.id === id);
      change.approvals(state.approvals.filter((candidate) => candidate.id !== id));
      if (call) change.activity(activityFor(call, decision === 'deny' ? 'denied' : 'ok', state.activity.length + 1));
      return ok(undefined);
    },
    'tools:setEnabled': (name, enabled) => { record('tools:setEnabled', [name, enabled]); change.tools(state.tools.map((tool) => (tool.name === name ? { ...tool, enabled } : tool))); return ok(undefined); },
    'tools:try': (name, args) => {
      record('tools:try', [name, args]);
      const data = { data: { echo: { tool: name, arguments: args } } };
      return ok({ isError: false, text: JSON.stringify(data, null, 2), structuredContent: data, durationMs: 42 });
    },
    'settings:update': (patch) => {
      record('settings:update', [patch]);
      const problems = validateSettings(patch, state.settings);
      if (problems.length > 0) return refused('CONFIG_INVALID', problems.join('\n'));
      state.settings = applyPatch(state.settings, patch);
      emit('settings:changed', state.settings);
      return ok(state.settings);
    },
    'setup:apply': (target) => {
      record('setup:apply', [target]);
      const setup = state.setup.find((candidate) => candidate.target === target);
      state.setup = state.setup.map((candidate) => (candidate.target === target ? { ...candidate, state: 'configured' } : candidate));
      return ok({ target, configPath: setup?.configPath ?? '', backupPath: `${setup?.configPath ?? ''}.bak`, changed: setup?.state !== 'configured' });
    },
  };
  for (const channel of options.unavailable ?? []) delete handlers[channel];
  for (const [channel, ms] of Object.entries(options.answerLate ?? {}) as Array<[MainChannel, number]>) delayAnswers(handlers, channel, ms);

  return {
    ...withAllChannels(handlers),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setTools: change.tools,
    setClients: change.clients,
    setAuth: change.auth,
    setApprovals: change.approvals,
    setPendingClients: change.pending,
    appendActivity: change.activity,
    calls,
    listenerCount: () => listeners.size,
  };
}

function delayAnswers(handlers: Partial<MainApi>, channel: MainChannel, ms: number): void {
  const handler = handlers[channel] as ((...args: unknown[]) => Promise<unknown>) | undefined;
  if (!handler) return;
  (handlers as Record<string, unknown>)[channel] = async (...args: unknown[]) => {
    const answer = await handler(...args);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return answer;
  };
}

function filterActivity(entries: ActivityEntryView[], filter: Parameters<MainApi['activity:list']>[0]): ActivityEntryView[] {
  return entries
    .filter((entry) => (filter.clientId === undefined || entry.clientId === filter.clientId) && (filter.tool === undefined || entry.tool === filter.tool) && (filter.outcome === undefined || entry.outcome === filter.outcome))
    .slice(0, filter.limit ?? 200);
}

function approvedClient(request: PendingClientView, access: ClientView['access']): ClientView {
  const { requestId, name, kind, identity, domain, redirectUri } = request;
  return {
    clientId: `c-${requestId}`, name, kind, identity, domain, redirectUris: redirectUri ? [redirectUri] : [], access, tools: null,
    approvalPolicy: 'ask', approvedAt: new Date().toISOString(), calls: 0, errors: 0, sessions: [],
  };
}

function activityFor(call: PendingCallView, outcome: ActivityEntryView['outcome'], id: number): ActivityEntryView {
  const error = outcome === 'denied' ? 'Denied by the user in the app.' : undefined;
  return { id: 1000 + id, at: new Date().toISOString(), clientId: call.clientId, clientName: call.clientName, tool: call.tool, api: call.api, durationMs: 12, outcome, error };
}

/** The same words the config loader uses, ending in the config key, one problem per line. */
function validateSettings(patch: Parameters<MainApi['settings:update']>[0], settings: SettingsView): string[] {
  const problems: string[] = [];
  if (patch.port !== undefined && !(Number.isInteger(patch.port) && patch.port >= 0 && patch.port <= 65535)) {
    problems.push(`error: ${settings.configPath}:2: must be a whole number from 0 to 65535 (server.port)`);
  }
  for (const api of patch.apis ?? []) {
    const index = settings.apis.findIndex((candidate) => candidate.name === api.name);
    if (api.endpoint !== undefined && !/^https?:\/\//.test(api.endpoint)) problems.push(`error: ${settings.configPath}:9: must be an http(s) URL (apis[${index}].endpoint)`);
  }
  return problems;
}

function applyPatch(settings: SettingsView, patch: Parameters<MainApi['settings:update']>[0]): SettingsView {
  return {
    ...settings,
    port: patch.port ?? settings.port,
    approvals: { default: patch.approvals?.default ?? settings.approvals.default, apis: patch.approvals?.apis ?? settings.approvals.apis },
    apis: settings.apis.map((api) => ({ ...api, ...patch.apis?.find((change) => change.name === api.name) })),
  };
}
