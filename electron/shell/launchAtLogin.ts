import { mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { App } from 'electron';

/** The argument a login launch carries, so the app starts in the tray without opening its window. */
export const hiddenArg = '--hidden';

export interface LaunchAtLogin {
  isEnabled(): boolean;
  setEnabled(enabled: boolean): Promise<void>;
}

export interface LaunchAtLoginOptions {
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;
  platform?: NodeJS.Platform;
  /** The file to start: the AppImage itself when running from one (its mount path changes every run). */
  executable?: string;
  /** Linux: `$XDG_CONFIG_HOME/autostart`. */
  autostartDir?: string;
}

/**
 * Launch at login: the OS login items on macOS and Windows (Electron's API); an XDG autostart entry on Linux, which
 * Electron's API does not cover.
 * @see https://specifications.freedesktop.org/autostart-spec/latest/
 */
export function createLaunchAtLogin(options: LaunchAtLoginOptions): LaunchAtLogin {
  const platform = options.platform ?? process.platform;
  const executable = options.executable ?? process.env.APPIMAGE ?? process.execPath;
  if (platform !== 'linux') {
    return {
      isEnabled: () => options.app.getLoginItemSettings().openAtLogin,
      setEnabled: async (enabled) => options.app.setLoginItemSettings({ openAtLogin: enabled, args: [hiddenArg] }),
    };
  }
  const file = path.join(options.autostartDir ?? path.join(process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config'), 'autostart'), 'graphql-mcp-desktop.desktop');
  return {
    isEnabled: () => existsSync(file),
    async setEnabled(enabled) {
      if (!enabled) return rm(file, { force: true });
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, buildAutostartEntry(executable), { mode: 0o644 });
    },
  };
}

/** A desktop entry that starts the app hidden in the tray; the path is quoted per the Desktop Entry spec. */
export function buildAutostartEntry(executable: string): string {
  const quoted = `"${executable.replace(/[\\"`$]/g, (char) => `\\${char}`)}"`;
  return ['[Desktop Entry]', 'Type=Application', 'Name=GraphQL MCP Desktop', `Exec=${quoted} ${hiddenArg}`, 'X-GNOME-Autostart-enabled=true', 'Terminal=false', ''].join('\n');
}
