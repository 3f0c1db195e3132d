import os from 'node:os';
import path from 'node:path';

/** The folder name used under the OS's per-user app data folder, as Electron's `app.getPath('userData')` would. */
export const appFolderName = 'graphql-mcp-desktop';

export interface DefaultConfigPathOptions {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  home?: string;
}

/** Where the config lives when `--config` is not given: `<userData>/config.yaml`. */
export function defaultConfigPath(options: DefaultConfigPathOptions = {}): string {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', appFolderName, 'config.yaml');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), appFolderName, 'config.yaml');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), appFolderName, 'config.yaml');
}
