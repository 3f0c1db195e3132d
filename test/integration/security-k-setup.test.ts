import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SetupTarget } from '../../electron/ipc/contract.ts';
import { applyClientSetup, listClientSetups, type ClientSetupOptions } from '../../electron/core/setup/clientSetup.ts';
import { clientConfigPath, type SetupEnvironment } from '../../electron/core/setup/clientConfigPath.ts';
import { readEntry } from '../../electron/core/setup/editClientConfig.ts';

const fixtures = path.resolve('test/fixtures/setup');
const endpoint = 'http://127.0.0.1:47320/mcp';
const bridge = { command: '/opt/GraphQL MCP Desktop/graphql-mcp-desktop', args: ['--stdio'] };

let home: string;
let environment: SetupEnvironment;
let options: ClientSetupOptions;
beforeEach(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'setup-home-'));
  environment = { platform: 'linux', home, env: {}, listDir: () => [] };
  options = { endpoint, environment, bridgeCommand: () => bridge, now: () => Date.parse('2026-12-07T14:00:00Z') };
});
afterEach(async () => { await rm(home, { recursive: true, force: true }); });

/** Each client's real sample file and what must survive in it: other servers, unknown keys, comments. */
const samples: Record<SetupTarget, { fixture: string; others: string[]; keys: string[]; comments: string[] }> = {
  'claude-code': { fixture: 'claude-code/.claude.json', others: ['mcpServers.github', 'mcpServers.playwright', 'projects'], keys: ['userID', 'tipsHistory'], comments: [] },
  cursor: { fixture: 'cursor/mcp.json', others: ['mcpServers.linear', 'mcpServers.postgres'], keys: ['experimentalFlag'], comments: ['// Servers shared by every workspace', '// read from the shell'] },
  vscode: { fixture: 'vscode/mcp.json', others: ['servers.fetch', 'servers.perplexity'], keys: ['inputs'], comments: ['// VS Code user-level MCP servers (Command Palette: MCP: Open User Configuration)'] },
  windsurf: { fixture: 'windsurf/mcp_config.json', others: ['mcpServers.figma', 'mcpServers.sentry'], keys: [], comments: [] },
  codex: { fixture: 'codex/config.toml', others: ['mcp_servers.docs', 'mcp_servers.figma'], keys: ['profiles', 'sandbox_workspace_write', 'model'], comments: ['# ~/.codex/config.toml', '# default for new sessions', '# Documentation server, local', '# slow on first run'] },
  'claude-desktop': { fixture: 'claude-desktop/claude_desktop_config.json', others: ['mcpServers.filesystem'], keys: ['globalShortcut', 'isUsingBuiltInNodeForMcp'], comments: [] },
};

async function placeFixture(target: SetupTarget, fixture: string): Promise<string> {
  const file = clientConfigPath(target, environment);
  await mkdir(path.dirname(file), { recursive: true });
  await copyFile(path.join(fixtures, fixture), file);
  return file;
}

function valueAt(format: 'json' | 'toml', text: string, dotted: string): unknown {
  const read = readEntry(format, text, dotted.split('.'));
  if (!read.ok) throw new Error(`does not parse: ${read.reason}`);
  return read.entry;
}

const formatOf = (target: SetupTarget) => (target === 'codex' ? 'toml' : 'json');

describe('K3: client config writes', () => {
  for (const [target, sample] of Object.entries(samples) as [SetupTarget, (typeof samples)[SetupTarget]][]) {
    it(`K3: ${target}: writes our entry with a backup, keeping other servers, unknown keys and comments; a re-run changes nothing`, async () => {
      const file = await placeFixture(target, sample.fixture);
      const before = await readFile(file, 'utf8');
      const result = await applyClientSetup(target, options);
      const after = await readFile(file, 'utf8');
      expect(result).toMatchObject({ target, configPath: file, changed: true });
      expect(await readFile(result.backupPath!, 'utf8')).toBe(before);
      for (const key of [...sample.others, ...sample.keys]) expect(valueAt(formatOf(target), after, key)).toEqual(valueAt(formatOf(target), before, key));
      for (const comment of sample.comments) expect(after).toContain(comment);
      expect((await listClientSetups(options)).find((view) => view.target === target)?.state).toBe('configured');

      const again = await applyClientSetup(target, options);
      expect(again).toEqual({ target, configPath: file, changed: false });
      expect(await readFile(file, 'utf8')).toBe(after);
      expect((await readdir(path.dirname(file))).filter((name) => name.endsWith('.bak'))).toHaveLength(1);
    });
  }

  it('K3: a JSONC file that does not parse is left alone, and the error names the file, line and column', async () => {
    const file = await placeFixture('cursor', 'broken/mcp.json');
    const before = await readFile(file, 'utf8');
    await expect(applyClientSetup('cursor', options)).rejects.toMatchObject({ code: 'SETUP_CONFIG_UNREADABLE', message: expect.stringContaining(`${file}:4:5:`) });
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(path.dirname(file))).toEqual(['mcp.json']);
    const view = (await listClientSetups(options)).find((candidate) => candidate.target === 'cursor');
    expect(view).toMatchObject({ state: 'config-unreadable', message: expect.stringContaining(`${file}:4:5:`) });
  });

  it('K3: a file that cannot be read is shown as unreadable and left alone', async () => {
    const file = clientConfigPath('windsurf', environment);
    await mkdir(file, { recursive: true }); // a folder where the file should be: EISDIR, as root cannot be denied by mode
    const view = (await listClientSetups(options)).find((candidate) => candidate.target === 'windsurf');
    expect(view).toMatchObject({ state: 'config-unreadable', message: `${file}: cannot be read (EISDIR)` });
    await expect(applyClientSetup('windsurf', options)).rejects.toMatchObject({ code: 'SETUP_WRITE_FAILED', message: expect.stringContaining('left alone') });
  });

  it('K3: a TOML file that does not parse is left alone, and the error names the file and line', async () => {
    const file = await placeFixture('codex', 'broken/config.toml');
    const before = await readFile(file, 'utf8');
    await expect(applyClientSetup('codex', options)).rejects.toMatchObject({ code: 'SETUP_CONFIG_UNREADABLE', message: expect.stringMatching(new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: `)) });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('K3: writes atomically: no temp or lock file left, the file keeps its mode, and a symlinked config stays a symlink', async () => {
    const real = path.join(home, 'dotfiles', 'cursor-mcp.json');
    await mkdir(path.dirname(real), { recursive: true });
    await copyFile(path.join(fixtures, 'cursor/mcp.json'), real);
    await chmod(real, 0o640);
    const link = clientConfigPath('cursor', environment);
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(real, link);
    await applyClientSetup('cursor', options);
    expect((await stat(real)).mode & 0o777).toBe(0o640);
    expect(valueAt('json', await readFile(link, 'utf8'), 'mcpServers.graphql')).toEqual({ url: endpoint });
    expect((await readdir(path.dirname(real))).filter((name) => !name.startsWith('cursor-mcp.json'))).toEqual([]);
    expect((await readdir(path.dirname(real))).some((name) => name.endsWith('.tmp') || name.endsWith('.lock'))).toBe(false);
  });

  it('K3: refuses to write while another writer holds the lock, and leaves the file alone', async () => {
    const file = await placeFixture('windsurf', samples.windsurf.fixture);
    const before = await readFile(file, 'utf8');
    await writeFile(`${file}.lock`, '');
    await expect(applyClientSetup('windsurf', { ...options, now: () => Date.now() })).rejects.toMatchObject({ code: 'SETUP_WRITE_FAILED' });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('K3: creates a missing config file (and folder) with only our entry, with no backup', async () => {
    expect((await listClientSetups(options)).find((view) => view.target === 'cursor')?.state).toBe('not-installed');
    const result = await applyClientSetup('cursor', options);
    expect(result.backupPath).toBeUndefined();
    expect(parseJsonc(await readFile(result.configPath, 'utf8'))).toEqual({ mcpServers: { graphql: { url: endpoint } } });
    const codex = await applyClientSetup('codex', options);
    expect(await readFile(codex.configPath, 'utf8')).toContain(`[mcp_servers.graphql]\nurl = "${endpoint}"`);
  });
});

describe('K4: secrets in client configs', () => {
  it('K4: OAuth clients get only the URL, Claude Desktop only the bridge command; no file holds a credential', async () => {
    const views = await listClientSetups(options);
    expect(views.map((view) => [view.target, view.auth])).toEqual([
      ['claude-code', 'oauth'], ['cursor', 'oauth'], ['vscode', 'oauth'], ['windsurf', 'oauth'], ['codex', 'oauth'], ['claude-desktop', 'bridge'],
    ]);
    for (const view of views) {
      const { configPath } = await applyClientSetup(view.target, options);
      const entry = valueAt(formatOf(view.target), await readFile(configPath, 'utf8'), `${view.target === 'vscode' ? 'servers' : view.target === 'codex' ? 'mcp_servers' : 'mcpServers'}.graphql`);
      const expected = view.auth === 'oauth' ? [endpoint] : [bridge.command, ...bridge.args];
      expect(Object.values(entry as object).flat().filter((value) => !['http'].includes(value as string))).toEqual(expected);
      expect(JSON.stringify(entry)).not.toMatch(/headers|env|token|Bearer/i);
    }
  });

  it('K4: snippets and install links carry the URL and nothing else', async () => {
    const views = await listClientSetups(options);
    const cursor = views.find((view) => view.target === 'cursor')!;
    const config = new URL(cursor.deeplink!).searchParams.get('config')!;
    expect(JSON.parse(Buffer.from(config, 'base64').toString())).toEqual({ url: endpoint });
    const vscode = views.find((view) => view.target === 'vscode')!;
    expect(JSON.parse(decodeURIComponent(vscode.deeplink!.slice('vscode:mcp/install?'.length)))).toEqual({ name: 'graphql', type: 'http', url: endpoint });
    expect(views.find((view) => view.target === 'claude-code')!.snippet).toBe(`claude mcp add --transport http --scope user graphql ${endpoint}`);
  });
});
