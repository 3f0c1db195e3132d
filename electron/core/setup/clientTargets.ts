import type { ClientSetupView, SetupTarget } from '../../ipc/contract.ts';
import type { BridgeCommand } from '../bridge/bridgeCommand.ts';

/** The server's name in every client's config. */
export const serverName = 'graphql';

/** One client as data (ToolHive's approach): file format, where our entry sits, and the entry itself. */
export interface ClientTarget {
  target: SetupTarget;
  label: string;
  format: 'json' | 'toml';
  /** The path of our entry inside the file, e.g. `['mcpServers', 'graphql']`. */
  entryPath: string[];
  auth: ClientSetupView['auth'];
  entry(endpoint: string, bridge: BridgeCommand | undefined): Record<string, unknown>;
  /** What to paste (or run) by hand. */
  snippet(endpoint: string, entry: Record<string, unknown>): string;
  deeplink?(endpoint: string, entry: Record<string, unknown>): string;
  nextStep?: ClientSetupView['nextStep'];
  tip?: string;
}

const jsonSnippet = (key: string) => (_endpoint: string, entry: Record<string, unknown>) => JSON.stringify({ [key]: { [serverName]: entry } }, null, 2);

/**
 * The six clients the app sets up. OAuth clients get only the URL: they register with the app and ask the user on
 * first use, so no credential is ever written into their files (K4). Claude Desktop speaks stdio only and gets the
 * bridge, which carries no credential either (the app approves the bridged client itself).
 */
export const clientTargets: readonly ClientTarget[] = [
  {
    target: 'claude-code', label: 'Claude Code', format: 'json', entryPath: ['mcpServers', serverName], auth: 'oauth',
    entry: (endpoint) => ({ type: 'http', url: endpoint }),
    snippet: (endpoint) => `claude mcp add --transport http --scope user ${serverName} ${endpoint}`,
    // Claude Code lists the entry as "Needs authentication" until the user signs in (verified with 2.1.337).
    nextStep: { text: 'Then sign in from a terminal, or with /mcp inside Claude Code:', command: `claude mcp login ${serverName}` },
  },
  {
    target: 'cursor', label: 'Cursor', format: 'json', entryPath: ['mcpServers', serverName], auth: 'oauth',
    entry: (endpoint) => ({ url: endpoint }),
    snippet: jsonSnippet('mcpServers'),
    deeplink: (_endpoint, entry) => `cursor://anysphere.cursor-deeplink/mcp/install?name=${serverName}&config=${Buffer.from(JSON.stringify(entry)).toString('base64')}`,
    // As Cursor's docs and vendors' guides describe it (Cursor cannot run here): the entry waits for a login there.
    nextStep: { text: `Then open Cursor Settings → Tools & MCP and click "Needs login" next to ${serverName}: Cursor opens the sign-in in your browser.` },
  },
  {
    target: 'vscode', label: 'VS Code', format: 'json', entryPath: ['servers', serverName], auth: 'oauth',
    entry: (endpoint) => ({ type: 'http', url: endpoint }),
    snippet: jsonSnippet('servers'),
    deeplink: (_endpoint, entry) => `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name: serverName, ...entry }))}`,
    // As VS Code's docs describe it (VS Code cannot run here): a server from the file starts when the user starts it.
    nextStep: { text: `Then start it: MCP: List Servers → ${serverName} → Start Server (or Start above its entry in mcp.json), and let VS Code open your browser to sign in.` },
  },
  {
    target: 'windsurf', label: 'Windsurf', format: 'json', entryPath: ['mcpServers', serverName], auth: 'oauth',
    entry: (endpoint) => ({ serverUrl: endpoint }),
    snippet: jsonSnippet('mcpServers'),
    // As Windsurf's docs describe it (Windsurf cannot run here): it reads mcp_config.json again on Refresh.
    nextStep: { text: 'Then press Refresh in Windsurf Settings → Cascade → MCP Servers, and sign in when Windsurf asks.' },
  },
  {
    target: 'codex', label: 'Codex', format: 'toml', entryPath: ['mcp_servers', serverName], auth: 'oauth',
    entry: (endpoint) => ({ url: endpoint }),
    snippet: (endpoint) => `[mcp_servers.${serverName}]\nurl = ${JSON.stringify(endpoint)}`,
    // Codex signs in by itself only from `codex mcp add`; an entry it finds in its file fails with AuthRequired (0.171).
    nextStep: { text: 'Then sign in from a terminal (Codex starts the sign-in by itself only after codex mcp add):', command: `codex mcp login ${serverName}` },
    tip: 'Codex picks up tool changes while it runs only with mcp_tool_list_changed = true under [features] in its config.toml; otherwise at its next start.',
  },
  {
    target: 'claude-desktop', label: 'Claude Desktop', format: 'json', entryPath: ['mcpServers', serverName], auth: 'bridge',
    entry: (_endpoint, bridge) => ({ command: bridge?.command ?? '', args: bridge?.args ?? [] }),
    snippet: jsonSnippet('mcpServers'),
    nextStep: { text: 'Then restart Claude Desktop: it reads its config only when it starts.' },
  },
];

export function findClientTarget(target: string): ClientTarget | undefined {
  return clientTargets.find((candidate) => candidate.target === target);
}
