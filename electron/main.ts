// Composition root: app lifecycle and setupX() wiring only; the work happens in core/ (plain Node) and shell/.
import { app, type BrowserWindow } from 'electron';
import path from 'node:path';
import { createLogger } from './core/log/Logger.ts';
import { startCore } from './core/startCore.ts';
import { isStdioLaunch, runStdioBridge } from './core/bridge/runStdioBridge.ts';
import { serveBridgeOverIpc } from './ipc/handle.ts';
import { createSenderCheck } from './shell/createSenderCheck.ts';
import type { AppTray } from './shell/createTray.ts';
import { createWindow, showWindow } from './shell/createWindow.ts';
import { createLaunchAtLogin, hiddenArg } from './shell/launchAtLogin.ts';
import { openExternal } from './shell/openExternal.ts';
import { appOrigin, registerAppScheme, serveAppProtocol } from './shell/registerAppProtocol.ts';
import { setupAutoUpdate } from './shell/setupAutoUpdate.ts';
import { setupTray } from './shell/setupTray.ts';

const logger = createLogger({ level: process.env.GRAPHQL_MCP_LOG === 'debug' ? 'debug' : 'info', write: (line) => process.stderr.write(line) });
const rendererDir = path.join(import.meta.dirname, '../renderer');
const preloadPath = path.join(import.meta.dirname, 'preload.cjs');
const trayIconDir = path.join(app.getAppPath(), 'build', 'tray');
// Development only: the vite dev server on loopback instead of the built files.
const devUrl = !app.isPackaged && process.env.GRAPHQL_MCP_RENDERER_URL?.startsWith('http://127.0.0.1:') ? process.env.GRAPHQL_MCP_RENDERER_URL : undefined;

let window: BrowserWindow | undefined;
let tray: AppTray | undefined;
let quitting = false;
let stop: (() => Promise<void>) | undefined;

function configPathFromArgs(argv: readonly string[]): string | undefined {
  const index = argv.indexOf('--config');
  return index >= 0 ? argv[index + 1] : undefined;
}

async function setupApp(): Promise<void> {
  serveAppProtocol(rendererDir);
  const core = await startCore({ configPath: configPathFromArgs(process.argv), openExternal, logger, keepRunningOnBadConfig: true });
  // A launch at login starts in the tray; the window opens from the tray or a second launch.
  window = createWindow({ preloadPath, url: devUrl ?? `${appOrigin}/index.html`, shouldHideOnClose: () => !quitting, showOnReady: !process.argv.includes(hiddenArg) });
  const isTrustedSender = createSenderCheck({ webContents: () => window?.webContents, origins: devUrl ? [appOrigin, devUrl] : [appOrigin] });
  const stopIpc = serveBridgeOverIpc({ bridge: core.bridge, target: window.webContents, isTrustedSender });
  const onError = (message: string) => logger.warn(message);
  tray = await setupTray({
    bridge: core.bridge, iconDir: trayIconDir, launchAtLogin: createLaunchAtLogin({ app }), openWindow: () => showWindow(window), quit: () => app.quit(),
    setPaused: (paused) => core.setPaused(paused), onError,
  });
  const stopUpdates = setupAutoUpdate({ isPackaged: app.isPackaged, onError });
  stop = async () => {
    stopUpdates();
    stopIpc();
    tray?.destroy();
    await core.close();
  };
}

function setupQuit(): void {
  app.on('before-quit', () => (quitting = true));
  // Ctrl+C (or SIGTERM) to `npm start`: quit through will-quit, so core.close() cancels a pending sign-in and no grant
  // is saved after it; a second signal exits at once (issue 7, item 3).
  let signalled = false;
  const onSignal = () => {
    if (signalled) app.exit(130);
    signalled = true;
    app.quit();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A tray app keeps running with its window closed.
  app.on('window-all-closed', () => {});
  app.on('will-quit', (event) => {
    if (!stop) return;
    event.preventDefault();
    const stopping = stop;
    stop = undefined;
    stopping().catch((error: unknown) => logger.error('shutdown failed', { error: error instanceof Error ? error.message : 'unknown' })).finally(() => app.quit());
  });
}

// Started by a stdio-only MCP client (Claude Desktop) as `<app> --stdio`: relay to the running app and nothing else
// (no window, tray, dock icon or single-instance lock); exit when the client closes stdin.
function setupStdioRelay(): void {
  app.dock?.hide();
  void runStdioBridge().then((code) => app.exit(code));
}

function setupSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => showWindow(window));
  app.on('activate', () => showWindow(window)); // macOS: dock icon clicked
  return true;
}

// A smaller young generation: parsing a large schema otherwise leaves ~100 MB of it reserved for good (see bench).
app.commandLine.appendSwitch('js-flags', '--max-semi-space-size=8');
registerAppScheme();
if (isStdioLaunch(process.argv)) {
  setupStdioRelay();
} else if (!setupSingleInstance()) {
  app.quit();
} else {
  setupQuit();
  app.whenReady().then(setupApp).catch((error: unknown) => {
    logger.error('the app could not start', { error: error instanceof Error ? error.message : 'unknown' });
    app.exit(1);
  });
}
