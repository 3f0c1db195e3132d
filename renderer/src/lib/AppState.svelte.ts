import type {
  AppStatusView,
  AudienceWarningView,
  AuthStatusView,
  ClientView,
  ProblemView,
  RendererApi,
  Result,
  ToolView,
} from '../../../electron/ipc/contract.ts';
import type { AppConnection } from './api.ts';

/** What the window shows, kept current from the app's events; one instance per window. */
export class AppState {
  status = $state.raw<AppStatusView | undefined>();
  tools = $state.raw<ToolView[]>([]);
  problems = $state.raw<ProblemView[]>([]);
  auth = $state.raw<AuthStatusView | undefined>();
  warnings = $state.raw<AudienceWarningView[]>([]);
  clients = $state.raw<ClientView[]>([]);
  /** The first failed call's message: the window cannot show the app's state. */
  loadError = $state<string | undefined>();
  /** The last sign-in/out failure, shown next to the buttons. */
  authError = $state<string | undefined>();
  authBusy = $state(false);
  loaded = $state(false);
  connected = $state(true);

  readonly #api: RendererApi;
  readonly #connection: AppConnection;

  constructor(connection: AppConnection) {
    this.#connection = connection;
    this.#api = connection.api;
  }

  /** Subscribes to every event, then loads everything; returns the function that stops listening. */
  start(): () => void {
    const stops = [
      this.#api.on('tools:changed', (tools) => (this.tools = tools)),
      this.#api.on('problems:changed', (problems) => (this.problems = problems)),
      this.#api.on('auth:changed', (auth) => (this.auth = auth)),
      this.#api.on('warnings:changed', (warnings) => (this.warnings = warnings)),
      this.#api.on('clients:changed', (clients) => (this.clients = clients)),
      this.#connection.onConnectionChange((connected) => this.#setConnected(connected)),
    ];
    void this.load();
    return () => stops.forEach((stop) => stop());
  }

  async load(): Promise<void> {
    const [status, tools, problems, auth, warnings, clients] = await Promise.all([
      this.#api['app:status'](),
      this.#api['tools:list'](),
      this.#api['problems:list'](),
      this.#api['auth:status'](),
      this.#api['warnings:list'](),
      this.#api['clients:list'](),
    ]);
    const failed = [status, tools, problems, auth, warnings, clients].find((result) => !result.ok);
    this.loadError = failed && !failed.ok ? failed.error.message : undefined;
    if (status.ok) this.status = status.value;
    if (tools.ok) this.tools = tools.value;
    if (problems.ok) this.problems = problems.value;
    if (auth.ok) this.auth = auth.value;
    if (warnings.ok) this.warnings = warnings.value;
    if (clients.ok) this.clients = clients.value;
    this.loaded = true;
  }

  signIn(): Promise<void> {
    return this.#runAuth(() => this.#api['auth:signIn']());
  }

  signOut(): Promise<void> {
    return this.#runAuth(() => this.#api['auth:signOut']());
  }

  async #runAuth(call: () => Promise<Result<void>>): Promise<void> {
    this.authBusy = true;
    this.authError = undefined;
    try {
      const result = await call();
      if (!result.ok) this.authError = result.error.message;
      const auth = await this.#api['auth:status']();
      if (auth.ok) this.auth = auth.value;
    } finally {
      this.authBusy = false;
    }
  }

  #setConnected(connected: boolean): void {
    const wasConnected = this.connected;
    this.connected = connected;
    // Events sent while the stream was down are lost: reload once it is back.
    if (connected && !wasConnected) void this.load();
  }
}
