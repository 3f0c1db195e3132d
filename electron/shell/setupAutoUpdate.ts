import electronUpdater from 'electron-updater';

export interface SetupAutoUpdateOptions {
  /** Only a packaged, signed app updates itself; a dev run has nothing to replace. */
  isPackaged: boolean;
  onError(message: string): void;
}

const checkEveryMs = 6 * 60 * 60_000;

/**
 * Checks the release feed named by electron-builder's `publish` config at start and every 6 hours, downloads a newer
 * signed build in the background and installs it on quit (electron-updater verifies the signature on macOS/Windows).
 * @see https://www.electron.build/auto-update
 */
export function setupAutoUpdate(options: SetupAutoUpdateOptions): () => void {
  if (!options.isPackaged) return () => {};
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoInstallOnAppQuit = true;
  const check = () => void autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => options.onError(error instanceof Error ? error.message : 'update check failed'));
  check();
  const timer = setInterval(check, checkEveryMs);
  return () => clearInterval(timer);
}
