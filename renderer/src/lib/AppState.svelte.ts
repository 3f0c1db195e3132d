import type {
  ApprovalPolicy,
  AppStatusView,
  AudienceView,
  AudienceWarningView,
  AuthStatusView,
  CallDecision,
  ClientDecision,
  ClientSetupView,
  ClientView,
  CreatedKeyView,
  MainEvent,
  MainEvents,
  PendingCallView,
  PendingClientView,
  ProblemView,
  RendererApi,
  Result,
  SettingsPatch,
  SettingsView,
  SetupResultView,
  SetupTarget,
  ToolRunView,
  ToolView,
} from '../../../electron/ipc/contract.ts';
import { ActivityState } from './ActivityState.svelte.ts';
import type { AppConnection } from './api.ts';
import { Resource } from './Resource.svelte.ts';

/** What an action answers the view that started it: nothing, or the message to show next to its button. */
export type ActionError = string | undefined;

const errorOf = (result: Result<unknown>): ActionError => (result.ok ? undefined : result.error.message);

/** What the window shows, kept current from the app's events; one instance per window. */
export class AppState {
  readonly status: Resource<AppStatusView>;
  readonly tools: Resource<ToolView[]>;
  readonly problems: Resource<ProblemView[]>;
  readonly auth: Resource<AuthStatusView>;
  readonly warnings: Resource<AudienceWarningView[]>;
  readonly clients: Resource<ClientView[]>;
  readonly pendingClients: Resource<PendingClientView[]>;
  readonly approvals: Resource<PendingCallView[]>;
  readonly audiences: Resource<AudienceView[]>;
  readonly settings: Resource<SettingsView>;
  readonly setup: Resource<ClientSetupView[]>;
  readonly activity: ActivityState;
  /** The first failed call's message when the window cannot show the app at all (not reachable, no launch token). */
  loadError = $state<string | undefined>();
  /** The last sign-in/out failure, shown next to the buttons. */
  authError = $state<string | undefined>();
  authBusy = $state(false);
  loaded = $state(false);
  connected = $state(true);

  readonly #api: RendererApi;
  readonly #connection: AppConnection;
  /** The event stream has been open at least once (the first load runs beside its opening, not after it). */
  #streamOpened = false;

  constructor(connection: AppConnection) {
    this.#connection = connection;
    const api = (this.#api = connection.api);
    this.status = new Resource(() => api['app:status']());
    this.tools = new Resource(() => api['tools:list']());
    this.problems = new Resource(() => api['problems:list']());
    this.auth = new Resource(() => api['auth:status']());
    this.warnings = new Resource(() => api['warnings:list']());
    this.clients = new Resource(() => api['clients:list']());
    this.pendingClients = new Resource(() => api['clients:pending']());
    this.approvals = new Resource(() => api['approvals:pending']());
    this.audiences = new Resource(() => api['audiences:list']());
    this.settings = new Resource(() => api['settings:get']());
    this.setup = new Resource(() => api['setup:list']());
    this.activity = new ActivityState(api);
  }

  /** Subscribes to every event, then loads everything; returns the function that stops listening. */
  start(): () => void {
    const stops = [
      this.#follow('tools:changed', this.tools),
      this.#follow('problems:changed', this.problems),
      this.#follow('auth:changed', this.auth),
      this.#follow('clients:changed', this.clients),
      this.#follow('clients:pending-changed', this.pendingClients),
      this.#follow('approvals:changed', this.approvals),
      this.#follow('settings:changed', this.settings),
      this.#api.on('warnings:changed', (warnings) => {
        this.warnings.set(warnings);
        // Audiences carry the same warnings per API: ask again rather than guess how they regroup.
        void this.audiences.load();
      }),
      this.#api.on('activity:appended', (entry) => this.activity.append(entry)),
      this.#connection.onConnectionChange((connected) => this.#setConnected(connected)),
    ];
    void this.load();
    return () => stops.forEach((stop) => stop());
  }

  async load(): Promise<void> {
    const resources = [this.status, this.tools, this.problems, this.auth, this.warnings, this.clients, this.pendingClients, this.approvals, this.audiences, this.settings, this.setup];
    const results: Result<unknown>[] = await Promise.all(resources.map((resource) => resource.load() as Promise<Result<unknown>>));
    await this.activity.load();
    const failed = results.find((result) => !result.ok && result.error.code !== 'NOT_AVAILABLE');
    this.loadError = failed && !failed.ok ? failed.error.message : undefined;
    this.loaded = true;
  }

  signIn(): Promise<void> {
    return this.#runAuth(() => this.#api['auth:signIn']());
  }

  signOut(): Promise<void> {
    return this.#runAuth(() => this.#api['auth:signOut']());
  }

  cancelSignIn(): Promise<void> {
    return this.#runAuth(() => this.#api['auth:cancel']());
  }

  decideClient(requestId: string, decision: ClientDecision): Promise<ActionError> {
    return this.#act(this.#api['clients:decide'](requestId, decision), this.pendingClients, this.clients);
  }

  revokeClient(clientId: string): Promise<ActionError> {
    return this.#act(this.#api['clients:revoke'](clientId), this.clients);
  }

  setClientTools(clientId: string, names: string[] | null): Promise<ActionError> {
    return this.#act(this.#api['clients:setTools'](clientId, names), this.clients);
  }

  setClientPolicy(clientId: string, policy: ApprovalPolicy): Promise<ActionError> {
    return this.#act(this.#api['clients:setPolicy'](clientId, policy), this.clients);
  }

  async createKey(name: string, readOnly: boolean): Promise<Result<CreatedKeyView>> {
    const result = await this.#api['keys:create'](name, readOnly);
    if (result.ok) void this.clients.load();
    return result;
  }

  revokeKey(name: string): Promise<ActionError> {
    return this.#act(this.#api['keys:revoke'](name), this.clients);
  }

  decideCall(id: string, decision: CallDecision): Promise<ActionError> {
    return this.#act(this.#api['approvals:decide'](id, decision), this.approvals);
  }

  setToolEnabled(name: string, enabled: boolean): Promise<ActionError> {
    return this.#act(this.#api['tools:setEnabled'](name, enabled), this.tools);
  }

  tryTool(name: string, args: Record<string, unknown>): Promise<Result<ToolRunView>> {
    return this.#api['tools:try'](name, args);
  }

  async updateSettings(patch: SettingsPatch): Promise<Result<SettingsView>> {
    const result = await this.#api['settings:update'](patch);
    if (result.ok) this.settings.set(result.value);
    return result;
  }

  async applySetup(target: SetupTarget): Promise<Result<SetupResultView>> {
    const result = await this.#api['setup:apply'](target);
    void this.setup.load();
    return result;
  }

  #follow<E extends MainEvent>(event: E, resource: Resource<MainEvents[E]>): () => void {
    return this.#api.on(event, (payload) => resource.set(payload));
  }

  /** Runs one action, then reloads what it changed (the event usually arrives first; a reload costs little). */
  async #act(call: Promise<Result<unknown>>, ...changed: Resource<unknown>[]): Promise<ActionError> {
    const result = await call;
    await Promise.all(changed.map((resource) => resource.load()));
    return errorOf(result);
  }

  async #runAuth(call: () => Promise<Result<void>>): Promise<void> {
    this.authBusy = true;
    this.authError = undefined;
    try {
      const result = await call();
      if (!result.ok) this.authError = result.error.message;
      await this.auth.load();
    } finally {
      this.authBusy = false;
    }
  }

  #setConnected(connected: boolean): void {
    const wasConnected = this.connected && this.#streamOpened;
    this.connected = connected;
    if (connected) this.#streamOpened = true;
    // Events sent before the stream first opened (the first load may have read before them) or while it was down
    // are lost: load again once it is open.
    if (connected && !wasConnected) void this.load();
  }
}
