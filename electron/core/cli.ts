import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAuth } from './auth/createAuth.ts';
import { formatProblem } from './config/AppConfig.ts';
import { defaultConfigPath } from './config/defaultConfigPath.ts';
import { loadConfig } from './config/loadConfig.ts';
import { osSecretStore } from './secrets/osSecretStore.ts';
import { AppError } from './errors.ts';
import { scrubSecrets } from './secrets/scrubSecrets.ts';
import { recordForSecretScan } from './log/recordForSecretScan.ts';
import { createLogger, type LogLevel } from './log/Logger.ts';
import { openWithPlatform } from './openWithPlatform.ts';
import { reportPendingCalls } from './approvals/reportPendingCalls.ts';
import { describeAuthState } from './auth/AuthState.ts';
import type { AudienceWarning } from './auth/analyzeAudience.ts';
import { appRoot } from './appRoot.ts';
import { startCore, type CoreHandle } from './startCore.ts';
import { isStdioLaunch, runStdioBridge } from './bridge/runStdioBridge.ts';
import { serveUi, type UiServer } from './ui/serveUi.ts';
import { keysUsage, runKeysCommand } from './clients/runKeysCommand.ts';
import { reportPendingClients } from './clients/reportPendingClients.ts';
import { defaultDataDir } from './store/defaultDataDir.ts';

/** The built renderer, shared with the Electron window. */
const rendererDir = path.join(appRoot, 'dist', 'renderer');

const usage = `Usage: npm start -- [--config FILE] [--port N] [--log-level error|warn|info|debug]
       npm start -- logout        sign out: revoke the refresh token and delete it from the keychain
       npm start --silent -- --stdio   relay MCP on stdin/stdout to the running app (for stdio-only clients)
${keysUsage}`;

/** Headless mode: the whole app without Electron, printing the lines a user acts on to stdout. */
export async function runCli(argv: string[]): Promise<number> {
  // Before anything else: stdout is the MCP client's protocol channel from here on.
  if (isStdioLaunch(argv)) return runStdioBridge();
  if (argv[0] === 'keys') return runKeysCommand(argv.slice(1), { dataDir: defaultDataDir(), out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) });
  const parsed = parseCliArgs(argv);
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\n${usage}\n`);
    return 2;
  }
  if (parsed.help) return void process.stdout.write(`${usage}\n`), 0;
  const logger = createLogger({ level: parsed.logLevel, write: (line) => process.stderr.write(line) });
  if (parsed.command === 'logout') return runLogout(parsed.config, logger);
  // Listen for Ctrl+C from the start: a signal during start-up then still shuts down cleanly once started.
  const stop = listenForStop();
  try {
    const core = await startCore({ configPath: parsed.config, port: parsed.port, logger, openExternal: openWithPlatform });
    // The first Ctrl+C cancels a sign-in at once: its listener closes and no grant is saved after it (issue 7, item 3).
    stop.onStop(() => core.auth.close());
    if (core.mode === 'demo') say('No config file found: running the built-in demo (see README, "Config").');
    report(core);
    process.stdout.write(`MCP endpoint: ${core.endpoint}\n`);
    const ui = await serveWindow(core, logger);
    reportPendingClients((listener) => core.bridge.subscribe(listener), ui?.url, (line) => process.stdout.write(line));
    reportPendingCalls((listener) => core.bridge.subscribe(listener), ui?.url, (line) => process.stdout.write(line));
    if (!stop.requested()) await signInIfNeeded(core);
    await stop.stopped;
    await ui?.close();
    await core.close();
    return 0;
  } catch (error) {
    complain(AppError.is(error) ? error.message : `Unexpected error: ${(error as Error).message}`);
    return 1;
  } finally {
    stop.dispose();
  }
}

/** Lines a user reads that can quote an API, the IdP or a file: scrubbed of secrets first (issue 7). */
function say(text: string): void {
  const line = scrubSecrets(text);
  recordForSecretScan('cli', line);
  process.stdout.write(`${line}\n`);
}

function complain(text: string): void {
  const line = scrubSecrets(text);
  recordForSecretScan('cli', line);
  process.stderr.write(`${line}\n`);
}

/** Problems and audience warnings at start and whenever they change; sign-in state changes as one line each. */
function report(core: CoreHandle): void {
  const printProblems = (problems: ReturnType<CoreHandle['problems']>) => { for (const problem of problems) complain(formatProblem(problem)); };
  let printed = '';
  const printWarnings = () => {
    const lines = core.auth.warnings().map(formatAudienceWarning).join('\n');
    if (lines !== printed && lines) say(lines);
    printed = lines;
  };
  printProblems(core.problems());
  printWarnings();
  core.bridge.subscribe((event, payload) => {
    if (event === 'problems:changed') printProblems(payload as ReturnType<CoreHandle['problems']>);
    if (event === 'tools:changed') say(`Tools changed: ${(payload as unknown[]).length} tools`);
    if (event === 'warnings:changed') printWarnings();
  });
  // One line per state: `signing in…` is announced again once its URL is known, which says nothing new here.
  let lastState = describeAuthState(core.auth.state());
  core.auth.onChange((state) => {
    const line = describeAuthState(state);
    if (line !== lastState) say(`Sign-in state: ${line}`);
    lastState = line;
  });
}

/** Headless mode serves the same window as the app to a browser, when the renderer has been built. */
async function serveWindow(core: CoreHandle, logger: ReturnType<typeof createLogger>): Promise<UiServer | undefined> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    process.stdout.write('Window not built (run "npm run build:renderer"); serving MCP only.\n');
    return undefined;
  }
  const ui = await serveUi({ bridge: core.bridge, rendererDir, logger });
  process.stdout.write(`Window: ${ui.url}\n`);
  return ui;
}

/** With `signIn` configured and no usable grant in the keychain, start the browser sign-in and print its URL. */
async function signInIfNeeded(core: CoreHandle): Promise<void> {
  const state = core.auth.state();
  say(`Sign-in state: ${describeAuthState(state)}`);
  if (state.status !== 'signed-out') return;
  try {
    const { authorizationUrl } = await core.auth.signIn();
    // Not scrubbed: the browser needs this URL's state and nonce (the app built it; it holds no token).
    process.stdout.write(`Sign in: ${authorizationUrl}\n`);
  } catch (error) {
    complain(`Sign-in could not start: ${AppError.is(error) ? error.message : (error as Error).message}`);
  }
}

/** `npm start -- logout`: revoke the refresh token at the IdP and delete it from the keychain. */
async function runLogout(configPath: string | undefined, logger: ReturnType<typeof createLogger>): Promise<number> {
  try {
    const { config } = await loadConfig(configPath ?? defaultConfigPath());
    if (!config.signIn) return void process.stdout.write('Sign-in is not configured: nothing to sign out of.\n'), 0;
    const auth = createAuth({ config, secrets: osSecretStore(), openExternal: openWithPlatform, logger });
    await auth.signOut();
    say(`Sign-in state: ${describeAuthState(auth.state())}`);
    return auth.state().status === 'signed-out' ? 0 : 1;
  } catch (error) {
    // Only the default location may be absent (the demo then runs, keeping nothing); a named file must exist.
    const demo = AppError.is(error, 'CONFIG_NOT_FOUND') && configPath === undefined;
    complain(demo ? 'No config file: the built-in demo keeps no sign-in, so there is nothing to sign out of.' : (error as Error).message);
    return demo ? 0 : 1;
  }
}

interface CliArgs { config?: string; port?: number; logLevel: LogLevel; help: boolean; command?: 'logout' }

function parseCliArgs(argv: string[]): CliArgs | { error: string } {
  try {
    const { values, positionals } = parseArgs({
      args: argv, allowPositionals: true,
      options: { config: { type: 'string' }, port: { type: 'string' }, 'log-level': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) return { error: `--port must be a whole number from 0 to 65535 (got "${values.port}")` };
    const logLevel = (values['log-level'] ?? 'info') as LogLevel;
    if (!['error', 'warn', 'info', 'debug'].includes(logLevel)) return { error: `--log-level must be error, warn, info or debug (got "${logLevel}")` };
    const [command, ...rest] = positionals;
    if (rest.length > 0 || (command !== undefined && command !== 'logout')) return { error: `Unknown command "${positionals.join(' ')}"` };
    return { config: values.config, port, logLevel, help: values.help ?? false, command };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function formatAudienceWarning(warning: AudienceWarning): string {
  const values = [warning.expected && `expected ${warning.expected}`, warning.actual && `actual ${warning.actual}`].filter(Boolean).join(', ');
  return `Audience ${warning.severity} [${warning.api}] ${warning.message}${values ? ` (${values})` : ''}. Fix: ${warning.fix}`;
}

interface StopRequest {
  /** Resolves at the first SIGINT or SIGTERM. */
  stopped: Promise<void>;
  requested(): boolean;
  /** Runs `action` at the first signal (at once if it already came). */
  onStop(action: () => void): void;
  dispose(): void;
}

/** The first Ctrl+C (or SIGTERM) stops cleanly; a second one exits at once, whatever is still closing (issue 7, item 3). */
function listenForStop(): StopRequest {
  let requested = false;
  const actions: (() => void)[] = [];
  let resolve!: () => void;
  const stopped = new Promise<void>((done) => (resolve = done));
  const onSignal = () => {
    if (requested) {
      process.stderr.write('Stopping now.\n');
      process.exit(130);
    }
    requested = true;
    for (const action of actions.splice(0)) action();
    resolve();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    stopped,
    requested: () => requested,
    onStop: (action) => (requested ? action() : void actions.push(action)),
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

if (import.meta.main) process.exitCode = await runCli(process.argv.slice(2));
