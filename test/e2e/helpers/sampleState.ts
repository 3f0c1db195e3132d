import type { MemoryBridgeState } from './createMemoryBridge.ts';
import { demoTools } from './demoTools.ts';

const minutesAgo = (minutes: number): string => new Date(Date.now() - minutes * 60_000).toISOString();
const minutesAhead = (minutes: number): string => new Date(Date.now() + minutes * 60_000).toISOString();

/** A filled window: the built-in demo with two approved clients, a key, one client asking and one call waiting. */
export const sampleState: MemoryBridgeState = {
  status: { endpoint: 'http://127.0.0.1:47320/mcp', mode: 'demo', version: '0.1.0' },
  tools: demoTools,
  problems: [
    { severity: 'warning', message: 'Anonymous operation skipped: give it a name to make it a tool.', file: 'operations/tasks/scratch.graphql', line: 1, api: 'tasks' },
  ],
  auth: { state: 'signed-in', sub: 'alice' },
  warnings: [
    {
      api: 'directory',
      severity: 'error',
      code: 'AUDIENCE_MISMATCH',
      message: 'The sign-in token is not meant for directory, so calls to directory are refused.',
      expected: 'urn:graphql-mcp-desktop:demo:directory',
      actual: 'urn:graphql-mcp-desktop:app',
      fix: 'Use strategy "exchange" for directory, or ask the IdP for a token with directory as its resource.',
    },
    {
      api: 'directory',
      severity: 'info',
      code: 'PASSTHROUGH_CONFIGURED',
      message: 'directory is configured to receive the sign-in token itself.',
      fix: 'Prefer "exchange": each API then gets a token minted for its own audience.',
    },
  ],
  clients: [
    {
      clientId: 'c-3f9c1a2b', name: 'Claude Code', kind: 'oauth', identity: 'verified', domain: 'claude.ai', redirectUris: ['http://127.0.0.1/callback'],
      access: 'write', tools: null, approvalPolicy: 'ask', approvedAt: minutesAgo(1440), lastActivityAt: minutesAgo(2), calls: 42, errors: 3,
      sessions: [{ id: '3f9c1a2b', clientName: 'claude-code', clientVersion: '2.0.14', connectedAt: minutesAgo(25), lastSeenAt: minutesAgo(1) }],
    },
    {
      clientId: 'c-88e0d4f1', name: 'Cursor', kind: 'oauth', identity: 'self-asserted', redirectUris: ['cursor://anysphere.cursor-mcp/oauth/callback'],
      access: 'read', tools: ['ListProjects', 'GetProject', 'SearchTasks'], approvalPolicy: 'ask', approvedAt: minutesAgo(300), lastActivityAt: minutesAgo(95), calls: 7, errors: 0,
      sessions: [],
    },
    {
      clientId: 'k-5d21', name: 'nightly-report', kind: 'key', identity: 'local', access: 'read', tools: null, approvalPolicy: 'deny',
      approvedAt: minutesAgo(4000), lastActivityAt: minutesAgo(600), calls: 120, errors: 1, sessions: [],
    },
  ],
  pendingClients: [
    {
      requestId: 'r-1', name: 'VS Code\u202Eevil', kind: 'oauth', identity: 'self-asserted', redirectUri: 'http://127.0.0.1:33418/callback',
      scopes: ['tools:read', 'tools:write'], requestedAt: minutesAgo(0.2), expiresAt: minutesAhead(4.5),
    },
  ],
  approvals: [
    {
      id: 'a-1', clientId: 'c-3f9c1a2b', clientName: 'Claude Code', tool: 'CreateTask', api: 'tasks',
      arguments: { input: { projectId: 'p1', title: 'Rotate the staging database credentials', priority: 'HIGH', tags: ['security', 'ops'], dueAt: '2026-12-09T17:00:00Z' } },
      requestedAt: minutesAgo(0.3), expiresAt: minutesAhead(1.7),
    },
  ],
  audiences: [
    { api: 'tasks', strategy: 'exchange', expectedAudience: 'urn:graphql-mcp-desktop:demo:tasks', actualAudience: ['urn:graphql-mcp-desktop:demo:tasks'], state: 'ok', warnings: [] },
    {
      api: 'directory', strategy: 'passthrough', expectedAudience: 'urn:graphql-mcp-desktop:demo:directory', actualAudience: ['urn:graphql-mcp-desktop:app'], state: 'mismatch',
      warnings: [],
    },
  ],
  activity: [
    { id: 6, at: minutesAgo(2), clientId: 'c-3f9c1a2b', clientName: 'Claude Code', tool: 'UpdateTaskStatus', api: 'tasks', durationMs: 48, outcome: 'ok' },
    { id: 5, at: minutesAgo(3), clientId: 'c-3f9c1a2b', clientName: 'Claude Code', tool: 'CreateTask', api: 'tasks', durationMs: 120_000, outcome: 'denied', error: 'Denied by the user in the app.' },
    { id: 4, at: minutesAgo(9), clientId: 'c-3f9c1a2b', clientName: 'Claude Code', tool: 'directory_ListPeople', api: 'directory', durationMs: 3, outcome: 'error', error: "The token's audience does not name this API: expected urn:graphql-mcp-desktop:demo:directory, got urn:graphql-mcp-desktop:app" },
    { id: 3, at: minutesAgo(14), clientId: 'c-3f9c1a2b', clientName: 'Claude Code', tool: 'SearchTasks', api: 'tasks', durationMs: 35, outcome: 'ok' },
    { id: 2, at: minutesAgo(95), clientId: 'c-88e0d4f1', clientName: 'Cursor', tool: 'ListProjects', api: 'tasks', durationMs: 61, outcome: 'ok' },
    { id: 1, at: minutesAgo(600), clientId: 'k-5d21', clientName: 'nightly-report', tool: 'GetProject', api: 'tasks', durationMs: 1240, outcome: 'ok' },
  ],
  settings: {
    configPath: '/home/alice/.config/graphql-mcp-desktop/config.yaml',
    writable: true,
    port: 47320,
    signIn: { issuer: 'https://login.example.com', clientId: 'graphql-mcp-desktop', scopes: ['openid', 'profile', 'offline_access'] },
    apis: [
      { name: 'tasks', endpoint: 'https://tasks.example.com/graphql', operations: ['./operations/tasks'], mutations: 'explicit', tokenStrategy: 'exchange', audience: 'https://tasks.example.com' },
      { name: 'directory', endpoint: 'https://directory.example.com/graphql', operations: ['./operations/directory'], mutations: 'none', tokenStrategy: 'passthrough', audience: 'https://directory.example.com' },
    ],
    approvals: { default: 'ask', apis: { directory: 'deny' } },
  },
  setup: [
    { target: 'claude-code', label: 'Claude Code', snippet: 'claude mcp add --transport http --scope user graphql http://127.0.0.1:47320/mcp', configPath: '/home/alice/.claude.json', state: 'configured', auth: 'oauth' },
    { target: 'cursor', label: 'Cursor', snippet: '{\n  "mcpServers": {\n    "graphql": { "url": "http://127.0.0.1:47320/mcp" }\n  }\n}', configPath: '/home/alice/.cursor/mcp.json', state: 'not-configured', auth: 'oauth', deeplink: 'cursor://anysphere.cursor-deeplink/mcp/install?name=graphql&config=eyJ1cmwiOiJodHRwOi8vMTI3LjAuMC4xOjQ3MzIwL21jcCJ9' },
    { target: 'vscode', label: 'VS Code', snippet: '{\n  "servers": {\n    "graphql": { "type": "http", "url": "http://127.0.0.1:47320/mcp" }\n  }\n}', configPath: '/home/alice/.config/Code/User/mcp.json', state: 'config-unreadable', message: "/home/alice/.config/Code/User/mcp.json:7:3: unexpected '}' — the file was left alone", auth: 'oauth', deeplink: 'vscode:mcp/install?%7B%22name%22%3A%22graphql%22%7D' },
    { target: 'windsurf', label: 'Windsurf', snippet: '{\n  "mcpServers": {\n    "graphql": { "serverUrl": "http://127.0.0.1:47320/mcp" }\n  }\n}', configPath: '/home/alice/.codeium/windsurf/mcp_config.json', state: 'not-installed', auth: 'oauth' },
    { target: 'codex', label: 'Codex', snippet: '[mcp_servers.graphql]\nurl = "http://127.0.0.1:47320/mcp"', configPath: '/home/alice/.codex/config.toml', state: 'not-configured', auth: 'oauth' },
    { target: 'claude-desktop', label: 'Claude Desktop', snippet: '{\n  "mcpServers": {\n    "graphql": { "command": "/opt/GraphQL MCP Desktop/graphql-mcp-desktop", "args": ["--stdio"] }\n  }\n}', configPath: '/home/alice/.config/Claude/claude_desktop_config.json', state: 'not-configured', auth: 'bridge' },
  ],
};

/** A window with nothing to show yet: every view's empty state (a config without sign-in, no clients, no calls). */
export const emptyState: MemoryBridgeState = {
  status: { endpoint: 'http://127.0.0.1:47320/mcp', mode: 'config', configPath: '/home/user/.config/graphql-mcp-desktop/config.yaml', version: '0.1.0' },
  tools: [],
  problems: [],
  auth: { state: 'not-configured' },
  warnings: [],
  clients: [],
  pendingClients: [],
  approvals: [],
  audiences: [],
  activity: [],
  settings: { configPath: '/home/user/.config/graphql-mcp-desktop/config.yaml', writable: true, port: 47320, apis: [], approvals: { default: 'ask', apis: {} } },
  setup: [],
};
