import { BrowserWindow } from 'electron';
import { buildWindowOptions } from './buildWindowOptions.ts';
import { isSameOrigin } from './createSenderCheck.ts';

export interface CreateWindowOptions {
  /** The bundled preload (CommonJS). */
  preloadPath: string;
  /** The page to show: `app://renderer/index.html`, or the vite dev server in development. */
  url: string;
  iconPath?: string;
  /** Asked on close: true keeps the app in the tray (the window hides), false lets it close (quitting). */
  shouldHideOnClose(): boolean;
  /** False for a launch at login: the app starts in the tray and the window opens from there. Default true. */
  showOnReady?: boolean;
}

/**
 * The app's one window: isolated, sandboxed, no Node in the page, no navigation away, no popups, no permissions
 * except writing the clipboard (the endpoint's Copy button).
 * @see https://www.electronjs.org/docs/latest/tutorial/security
 */
export function createWindow(options: CreateWindowOptions): BrowserWindow {
  const window = new BrowserWindow(buildWindowOptions(options));
  lockDown(window, options.url);
  if (options.showOnReady !== false) window.once('ready-to-show', () => window.show());
  window.on('close', (event) => {
    if (!options.shouldHideOnClose()) return;
    event.preventDefault();
    window.hide();
  });
  void window.loadURL(options.url);
  return window;
}

function lockDown(window: BrowserWindow, url: string): void {
  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, target) => {
    if (!isSameOrigin(target, url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => callback(permission === 'clipboard-sanitized-write'));
}

/** Brings the window to the front, restoring it from the tray or the taskbar. */
export function showWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
