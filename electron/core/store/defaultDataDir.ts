import path from 'node:path';
import { defaultConfigPath, type DefaultConfigPathOptions } from '../config/defaultConfigPath.ts';

/**
 * The app's per-user data folder (approved clients, access-key digests, activity, the bridge socket): the same
 * `<userData>` folder that holds the default config, as Electron's `app.getPath('userData')` would name it.
 */
export function defaultDataDir(options: DefaultConfigPathOptions = {}): string {
  return path.dirname(defaultConfigPath(options));
}
