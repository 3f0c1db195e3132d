import path from 'node:path';
import type { SetupTarget } from '../../ipc/contract.ts';

/** Where a machine keeps things, passed in so every OS's paths can be computed (and tested) on any OS. */
export interface SetupEnvironment {
  platform: NodeJS.Platform;
  home: string;
  env: Record<string, string | undefined>;
  /** Folder names in `dir` (empty when it does not exist): finds Claude Desktop's MSIX package folder. */
  listDir(dir: string): string[];
}

/**
 * The user-scope config file of each client on this OS (../shared/reference/mcp-clients.md). Claude Desktop on
 * Windows: the MSIX install (now the default) reads the file under its package's LocalCache, not %APPDATA%.
 */
export function clientConfigPath(target: SetupTarget, environment: SetupEnvironment): string {
  const { platform, home, env } = environment;
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const appData = env.APPDATA ?? join(home, 'AppData', 'Roaming');
  const userConfig = platform === 'win32' ? appData : platform === 'darwin' ? join(home, 'Library', 'Application Support') : (env.XDG_CONFIG_HOME ?? join(home, '.config'));
  switch (target) {
    case 'claude-code': return join(home, '.claude.json');
    case 'cursor': return join(home, '.cursor', 'mcp.json');
    case 'vscode': return join(userConfig, 'Code', 'User', 'mcp.json');
    case 'windsurf': return join(home, '.codeium', 'windsurf', 'mcp_config.json');
    case 'codex': return join(env.CODEX_HOME ?? join(home, '.codex'), 'config.toml');
    case 'claude-desktop': return claudeDesktopConfigPath(environment, join, userConfig);
  }
}

function claudeDesktopConfigPath(environment: SetupEnvironment, join: (...parts: string[]) => string, userConfig: string): string {
  if (environment.platform === 'win32') {
    const packages = join(environment.env.LOCALAPPDATA ?? join(environment.home, 'AppData', 'Local'), 'Packages');
    const msix = environment.listDir(packages).find((name) => name.startsWith('Claude_'));
    if (msix) return join(packages, msix, 'LocalCache', 'Roaming', 'Claude', 'claude_desktop_config.json');
  }
  return join(userConfig, 'Claude', 'claude_desktop_config.json');
}
