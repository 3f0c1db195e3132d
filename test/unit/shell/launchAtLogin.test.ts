import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAutostartEntry, createLaunchAtLogin, hiddenArg } from '../../../electron/shell/launchAtLogin.ts';

describe('createLaunchAtLogin', () => {
  it('writes and removes an XDG autostart entry on Linux that starts the app hidden', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'autostart-'));
    const app = { getLoginItemSettings: () => { throw new Error('not on Linux'); }, setLoginItemSettings: () => { throw new Error('not on Linux'); } };
    const login = createLaunchAtLogin({ app: app as never, platform: 'linux', executable: '/opt/GraphQL MCP/app', autostartDir: dir });
    expect(login.isEnabled()).toBe(false);
    await login.setEnabled(true);
    expect(login.isEnabled()).toBe(true);
    expect(await readFile(path.join(dir, 'graphql-mcp-desktop.desktop'), 'utf8')).toContain(`Exec="/opt/GraphQL MCP/app" ${hiddenArg}`);
    await login.setEnabled(false);
    expect(login.isEnabled()).toBe(false);
    await rm(dir, { recursive: true });
  });

  it('uses the OS login items elsewhere, with the hidden argument', async () => {
    const settings: unknown[] = [];
    const app = { getLoginItemSettings: () => ({ openAtLogin: settings.length > 0 }), setLoginItemSettings: (value: unknown) => void settings.push(value) };
    const login = createLaunchAtLogin({ app: app as never, platform: 'darwin' });
    await login.setEnabled(true);
    expect(settings).toEqual([{ openAtLogin: true, args: [hiddenArg] }]);
    expect(login.isEnabled()).toBe(true);
  });
});

describe('buildAutostartEntry', () => {
  it('escapes characters the Exec key would otherwise interpret', () => {
    expect(buildAutostartEntry('/a/"b"/$c`d')).toContain('Exec="/a/\\"b\\"/\\$c\\`d" --hidden');
  });
});
