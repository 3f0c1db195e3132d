import type { BrowserWindowConstructorOptions } from 'electron';

export interface BuildWindowOptions {
  /** The bundled preload (CommonJS). */
  preloadPath: string;
  iconPath?: string;
}

/** Isolated, sandboxed, no Node in the page, no webviews: the renderer can reach the app only through `window.api`. */
export function buildWindowOptions(options: BuildWindowOptions): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 520,
    minHeight: 420,
    show: false,
    title: 'GraphQL MCP Desktop',
    icon: options.iconPath,
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
