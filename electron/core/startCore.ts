import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig, Problem } from './config/AppConfig.ts';
import { defaultConfigPath } from './config/defaultConfigPath.ts';
import { loadConfig } from './config/loadConfig.ts';
import { appRoot } from './appRoot.ts';
import { createCoreBridge } from './createCoreBridge.ts';
import { createAuth, type Auth } from './auth/createAuth.ts';
import type { SecretStore } from './secrets/SecretStore.ts';
import { osSecretStore } from './secrets/osSecretStore.ts';
import { memorySecretStore } from './secrets/memorySecretStore.ts';
import { AppError } from './errors.ts';
import type { Logger } from './log/Logger.ts';
import { serveMcp, type McpHttpServer } from './mcp/serveMcp.ts';
import { createMcpServer } from './mcp/createMcpServer.ts';
import { startBridge } from './bridge/startBridge.ts';
import { joinLiveSessions } from './bridge/joinLiveSessions.ts';
import { indexToolInfo, ToolGateway } from './mcp/ToolGateway.ts';
import { ActivityLog } from './activity/ActivityLog.ts';
import { createActivityBridgePart } from './activity/createActivityBridgePart.ts';
import { createApprovalHook } from './approvals/createApprovalHook.ts';
import type { LocalAuthority } from './clients/LocalAuthority.ts';
import { ToolRegistry } from './ToolRegistry.ts';
import { ToolCache } from './cache/ToolCache.ts';
import { createLocalAuthority, type LocalAuthorityService } from './clients/createLocalAuthority.ts';
import { defaultDataDir } from './store/defaultDataDir.ts';
import { removeStaleTempFiles } from './store/removeStaleTempFiles.ts';
import { startApprovals, type ApprovalsService } from './approvals/startApprovals.ts';
import { setupBridgePart } from './setup/setupBridgePart.ts';
import { createSwappableAuth } from './settings/createSwappableAuth.ts';
import { scheduleMemoryRelease } from './memory/scheduleMemoryRelease.ts';
import { startLiveConfig } from './settings/startLiveConfig.ts';
import { appPrincipal } from './tools/appPrincipal.ts';
import { DisabledTools } from './tools/DisabledTools.ts';
import { toolsBridgePart } from './tools/toolsBridgePart.ts';
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
  /** Where the refresh token lives; the OS keychain (keytar, or @napi-rs/keyring where keytar was not built) unless a test passes another store. */
  secrets?: SecretStore;
  /** How long the sign-in listener waits for the browser (default 5 minutes). */
  signInTimeoutMs?: number;
  /**
   * The desktop app keeps running on a config it cannot load, serving no tools and listing every problem in the
   * window; headless mode (the default, false) refuses to start instead and prints them.
   */
  keepRunningOnBadConfig?: boolean;
  /** The per-user data folder (approved clients, key digests); default `defaultDataDir()`. */
  dataDir?: string;
}

export interface CoreHandle {
  bridge: CoreBridge;
  /** `http://127.0.0.1:<port>/mcp` */
  endpoint: string;
  mode: 'demo' | 'config';
  configPath?: string;
  registry: ToolRegistry;
  mcp: McpHttpServer;
  /** The one way to a tool for every local caller (HTTP sessions, the stdio bridge, Try it): allow-list, scope, approval, activity. */
  gateway: ToolGateway;
  /** Every tool call, as the window's activity list shows it. */
  activity: ActivityLog;
  auth: Auth;
  /** Approved local clients, access keys and the local authorization server. */
  authority: LocalAuthorityService;
  /** Approval of destructive tool calls: `approvals.gate` is the tool gateway's `beforeCall` (createApprovalHook). */
  approvals: ApprovalsService;
  /** Problems found at start (config warnings, schema and operation problems); later ones arrive via the bridge. */
  problems(): Problem[];
  /** Pause (tray menu): every tool call is refused with a message until resumed. */
  setPaused(paused: boolean): void;
  close(): Promise<void>;
}

/** The app's version, shown in the UI and sent as MCP `serverInfo.version`. */
export const appVersion: string = (JSON.parse(readFileSync(path.join(appRoot, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Starts everything the app runs, without Electron: config (or the built-in demo), tools, and the MCP server on
 * 127.0.0.1. Rejects with AppError CONFIG_NOT_FOUND / CONFIG_INVALID / SERVER_LISTEN_FAILED, closing what it started.
 */
export async function startCore(options: StartCoreOptions): Promise<CoreHandle> {
  const env = options.env ?? process.env;
  const source = await resolveConfig(options.configPath, env, options.logger).catch((error: unknown) => {
    if (!options.keepRunningOnBadConfig || !(AppError.is(error, 'CONFIG_INVALID') || AppError.is(error, 'CONFIG_NOT_FOUND'))) throw error;
    return brokenConfigSource(error, options.configPath ? path.resolve(options.configPath) : defaultConfigPath({ env }));
  });
  const cleanups: (() => Promise<void> | void)[] = [source.close];
  try {
    const secrets = await chooseSecretStore(options.secrets ?? osSecretStore(), source, options.logger);
    const authOptions = { secrets, openExternal: options.openExternal, logger: options.logger, callbackTimeoutMs: options.signInTimeoutMs };
    // One Auth for the app's life: a config edit that changes the sign-in or the APIs swaps what is behind it.
    const swappableAuth = createSwappableAuth(createAuth({ ...authOptions, config: source.config }));
    const auth = swappableAuth.auth;
    // The demo IdP forgets its grants when it stops, so the demo's refresh token is revoked and removed with it.
    if (source.mode === 'demo') cleanups.push(() => auth.signOut());
    cleanups.push(() => auth.close());
    await auth.restore();
    const dataDir = options.dataDir ?? defaultDataDir({ env });
    // A crash between writing and renaming a state file leaves its temp copy behind: sweep those once per start.
    await Promise.all([dataDir, path.join(dataDir, 'cache')].map((dir) => removeStaleTempFiles(dir)));
    // Tool definitions survive restarts in the data folder: a restart with unchanged inputs skips the schema work.
    const toolCache = new ToolCache(path.join(dataDir, 'cache'));
    const memoryRelease = scheduleMemoryRelease({ logger: options.logger });
    cleanups.push(() => memoryRelease.cancel());
    const registry = await ToolRegistry.create({ config: source.config, authorizer: auth.authorizer, logger: options.logger, watch: options.watch ?? true, toolCache, onSchemaBuilt: memoryRelease.afterBurst });
    cleanups.push(() => registry.close());
    // An API whose schema comes from introspection may need the user's token: load it once signed in.
    cleanups.push(auth.onChange((state) => {
      if (state.status === 'signed-in') void registry.reloadUnloaded().catch((error: unknown) => options.logger.error('reload after sign-in failed', { error }));
    }));
    const authority = await createLocalAuthority({ dataDir, logger: options.logger });
    cleanups.push(() => authority.close());
    const approvals = await startApprovals({ dataDir, config: source.config.approvals, logger: options.logger, isKnownClient: (id) => authority.principalOf(id) !== undefined });
    cleanups.push(() => approvals.gate.close());
    const disabledTools = await DisabledTools.load(dataDir, options.logger);
    registry.setDisabled(disabledTools.names());
    const { log: activity, problem: activityProblem } = await ActivityLog.open({ file: path.join(dataDir, 'activity.jsonl'), logger: options.logger });
    if (activityProblem) source.warnings.push({ severity: 'warning', message: activityProblem });
    cleanups.push(() => activity.close());
    const describe = indexToolInfo(registry);
    const beforeCall = createApprovalHook({ gate: approvals.gate, kindOf: (name) => describe(name)?.kind });
    let paused = false;
    const gateway = new ToolGateway({ catalog: registry, describe, activity, beforeCall, isPaused: () => paused, logger: options.logger });
    const mcp = await listenMcp({ gateway, authority }, options.port ?? source.config.server.port, source, options.logger);
    cleanups.push(() => mcp.close());
    await authority.attach(mcp.url);
    const bridgeSocket = await startBridge({ dataDir, authority, warnings: source.warnings, logger: options.logger, onToolsChanged: (listener) => gateway.onToolsChanged(listener),
      createServer: (principal) => createMcpServer(gateway, { version: appVersion, principal: () => authority.principalOf(principal.clientId), logger: options.logger }) });
    if (bridgeSocket) cleanups.push(() => bridgeSocket.close());
    const live = startLiveConfig({
      config: source.config, mode: source.mode, startupProblems: source.warnings, env, registry, auth: swappableAuth, authOptions, policies: approvals.policies,
      listeningPort: Number(new URL(mcp.url).port), toolProblems: () => registry.problems(), logger: options.logger, watch: options.watch ?? true,
    });
    cleanups.push(() => live.live.close());
    const problems = live.problems;
    const tools = toolsBridgePart({ registry, disabled: disabledTools, auth, apis: () => live.live.config.apis, run: (name, args, signal) => gateway.call(appPrincipal, name, args, signal) });
    // A sign-in in progress is cancelled first: no grant is saved after the user asked to quit (issue 7, item 3).
    const close = async () => { auth.close(); for (const cleanup of cleanups.reverse()) await cleanup(); };
    const portWarning = describePortFallback(options.port ?? source.config.server.port, mcp.port);
    const bridge = createCoreBridge({ registry, mcp, auth, mode: source.mode, configPath: source.config.configPath, version: appVersion, problems, paused: () => paused, portWarning, parts: [authority.bridgePart, approvals.bridgePart, setupBridgePart({ endpoint: mcp.url }), live.bridgePart, tools,
      createActivityBridgePart({ activity, authority, mcp: joinLiveSessions(mcp, bridgeSocket), policyOf: (id) => approvals.policies.policyOf(id), onPolicyChanged: (listener) => approvals.policies.onChanged(listener) })] });
    const setPaused = (value: boolean) => void (paused = value);
    memoryRelease.afterBurst(); // start-up's module compilation leaves garbage too (~14 MB on a restart)
    return { bridge, endpoint: mcp.url, mode: source.mode, configPath: source.config.configPath, registry, mcp, gateway, activity, auth, authority, approvals, problems, setPaused, close };
  } catch (error) {
    for (const cleanup of cleanups.reverse()) await cleanup();
    throw error;
  }
}

/**
 * The demo listens on the documented port so client setups in the README work as written; if something else holds
 * it, the demo (only) takes a free port and says so. A real config's port is never changed behind the user's back.
 */
async function listenMcp(tools: { gateway: ToolGateway; authority: LocalAuthority }, port: number, source: ConfigSource, logger: Logger): Promise<McpHttpServer> {
  try {
    return await serveMcp({ ...tools, version: appVersion, port, logger });
  } catch (caught) {
    const error = AppError.is(caught, 'SERVER_LISTEN_FAILED') ? explainListenFailure(caught, port) : caught;
    if (source.mode !== 'demo' || port === 0 || !AppError.is(error, 'SERVER_LISTEN_FAILED')) throw error;
    source.warnings.push({ severity: 'warning', message: `${error.message} The demo uses a free port instead; point clients at the printed endpoint.` });
    return serveMcp({ ...tools, version: appVersion, port: 0, logger });
  }
}

/** The demo's fallback port breaks every saved client setup: said in the window, not only in a log line. */
function describePortFallback(requested: number, actual: number): string | undefined {
  if (requested === 0 || requested === actual) return undefined;
  return `Port ${requested} was taken, so the app listens on ${actual}. Clients set up with port ${requested} cannot reach it: free port ${requested} and restart, or set them up again with this port.`;
}

/** EADDRINUSE alone says nothing to most users: name what to look for and how to pick another port (issue 7, item 6). */
function explainListenFailure(error: AppError, port: number): AppError {
  if ((error.cause as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return error;
  const find = process.platform === 'win32' ? `netstat -ano | findstr :${port}` : `lsof -nP -iTCP:${port} -sTCP:LISTEN`;
  return new AppError('SERVER_LISTEN_FAILED',
    `Port ${port} on 127.0.0.1 is already in use (EADDRINUSE), most likely by another GraphQL MCP Desktop (the desktop app, or a "node" process started by "npm start") or another local server; find it with: ${find}. ` +
      'Or pick another port: --port N, or server.port in the config file.',
    { cause: error.cause, details: { port } });
}

/**
 * The OS keychain, always, for a real config: without it the app runs signed out (no fallback). The built-in demo
 * alone may keep its grant in memory, because its IdP forgets every grant when the app stops; this is said as a warning.
 */
async function chooseSecretStore(store: SecretStore, source: ConfigSource, logger: Logger): Promise<SecretStore> {
  if (source.mode !== 'demo') return store;
  try {
    await store.get('probe');
    return store;
  } catch (error) {
    const reason = AppError.is(error) ? error.message : 'keychain unavailable';
    logger.debug('demo sign-in kept in memory', { reason }); // the warning below is what users see (once)
    source.warnings.push({ severity: 'warning', message: `${reason}. The demo keeps its sign-in in memory only (its IdP forgets every grant when the app stops); a real config never does this and stays signed out instead.` });
    return memorySecretStore();
  }
}

/** No APIs, and the loader's problems (file, line, key) as what the window shows until the file is fixed. */
function brokenConfigSource(error: AppError, configPath: string | undefined): ConfigSource {
  const listed = (error.details.problems as Problem[] | undefined) ?? [];
  const warnings: Problem[] = listed.length > 0 ? listed : [{ severity: 'error', message: error.message, ...(configPath ? { file: configPath } : {}) }];
  warnings.push({ severity: 'error', message: 'No tools are served until the config file is fixed; it is watched, so saving the fixed file applies it.', ...(configPath ? { file: configPath } : {}) });
  return { config: { configPath, server: { port: 0 }, apis: [] }, warnings, mode: 'config', close: async () => {} };
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
    logger.debug('no config file, using the built-in demo', { expectedAt: file }); // headless mode says so on stdout
    // Loaded only in demo mode: the demo IdP pulls in oidc-provider and koa, about 0.3 s and 16 MB at start-up.
    const { startDemo } = await import('./demo/startDemo.ts');
    const demo = await startDemo({ logger });
    return { config: demo.config, warnings: [], mode: 'demo', close: demo.close };
  }
  const { config, warnings } = await loadConfig(file, { env });
  return { config, warnings, mode: 'config', close: async () => {} };
}
