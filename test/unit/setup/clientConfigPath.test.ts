import { describe, expect, it } from 'vitest';
import type { SetupTarget } from '../../../electron/ipc/contract.ts';
import { clientConfigPath, type SetupEnvironment } from '../../../electron/core/setup/clientConfigPath.ts';

const targets: SetupTarget[] = ['claude-code', 'cursor', 'vscode', 'windsurf', 'codex', 'claude-desktop'];
const pathsFor = (environment: SetupEnvironment) => Object.fromEntries(targets.map((target) => [target, clientConfigPath(target, environment)]));

describe('clientConfigPath', () => {
  it('names each client file on Linux, honouring XDG_CONFIG_HOME and CODEX_HOME', () => {
    expect(pathsFor({ platform: 'linux', home: '/home/u', env: {}, listDir: () => [] })).toEqual({
      'claude-code': '/home/u/.claude.json', cursor: '/home/u/.cursor/mcp.json', vscode: '/home/u/.config/Code/User/mcp.json',
      windsurf: '/home/u/.codeium/windsurf/mcp_config.json', codex: '/home/u/.codex/config.toml',
      'claude-desktop': '/home/u/.config/Claude/claude_desktop_config.json',
    });
    const custom = pathsFor({ platform: 'linux', home: '/home/u', env: { XDG_CONFIG_HOME: '/cfg', CODEX_HOME: '/codex' }, listDir: () => [] });
    expect([custom.vscode, custom.codex]).toEqual(['/cfg/Code/User/mcp.json', '/codex/config.toml']);
  });

  it('names each client file on macOS', () => {
    const paths = pathsFor({ platform: 'darwin', home: '/Users/u', env: {}, listDir: () => [] });
    expect(paths.vscode).toBe('/Users/u/Library/Application Support/Code/User/mcp.json');
    expect(paths['claude-desktop']).toBe('/Users/u/Library/Application Support/Claude/claude_desktop_config.json');
    expect(paths.cursor).toBe('/Users/u/.cursor/mcp.json');
  });

  it("finds Claude Desktop's MSIX file on Windows under its package folder, and %APPDATA% for the legacy installer", () => {
    const env = { APPDATA: 'C:\\Users\\u\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' };
    const listed: string[] = [];
    const msix = pathsFor({ platform: 'win32', home: 'C:\\Users\\u', env, listDir: (dir) => (listed.push(dir), ['Microsoft.WindowsTerminal_8wekyb3d8bbwe', 'Claude_pzs8sxrjxfjjc']) });
    expect(msix['claude-desktop']).toBe('C:\\Users\\u\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude\\claude_desktop_config.json');
    expect(listed).toEqual(['C:\\Users\\u\\AppData\\Local\\Packages']);
    const legacy = pathsFor({ platform: 'win32', home: 'C:\\Users\\u', env, listDir: () => [] });
    expect(legacy['claude-desktop']).toBe('C:\\Users\\u\\AppData\\Roaming\\Claude\\claude_desktop_config.json');
    expect(legacy.vscode).toBe('C:\\Users\\u\\AppData\\Roaming\\Code\\User\\mcp.json');
    expect(legacy['claude-code']).toBe('C:\\Users\\u\\.claude.json');
  });
});
