import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One MCP server as `codex app-server` reports it (`mcpServerStatus/list`). */
export interface CodexMcpServerStatus {
  name: string;
  runtimeStatus: string | null;
  tools: Record<string, { name: string; annotations?: Record<string, unknown> }>;
  toolsError: string | null;
  authStatus: string;
}

export interface CodexToolResult {
  content?: Array<{ type: string; text?: string }>;
  isError?: boolean;
}

export interface CodexAppServer {
  /** Codex's own MCP client connects to `server` for a thread (no model is called) and reports it. */
  serverStatus(server: string): Promise<CodexMcpServerStatus | undefined>;
  /** Codex's MCP client calls `tool` on `server` directly (`mcpServer/tool/call`), as a model's tool call would. */
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<{ result?: CodexToolResult; error?: { message: string } }>;
  close(): void;
}

interface Reply { result?: any; error?: { message: string } }

/**
 * Starts `codex app-server` (newline-delimited JSON-RPC on stdio, the protocol Codex's IDE extensions use) and opens
 * an ephemeral thread. Starting a thread and calling MCP tools through it needs no OpenAI login and no model.
 */
export async function startCodexAppServer(codex: string, env: Record<string, string>): Promise<CodexAppServer> {
  const child = spawn(codex, ['app-server'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map<number, (reply: Reply) => void>();
  let nextId = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Reply & { id?: number };
    if (message.id !== undefined) waiting.get(message.id)?.(message);
  });
  const request = (method: string, params: unknown) => new Promise<Reply>((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, resolve);
    child.stdin.write(`${JSON.stringify({ id, method, params })}\n`, (error) => error && reject(error));
  });
  await request('initialize', { clientInfo: { name: 'graphql-mcp-desktop-tests', title: null, version: '0' }, capabilities: { experimentalApi: true, requestAttestation: false } });
  child.stdin.write(`${JSON.stringify({ method: 'initialized' })}\n`);
  const thread = await request('thread/start', { ephemeral: true, cwd: env.HOME });
  const threadId = thread.result?.thread?.id as string | undefined;
  if (!threadId) throw new Error(`codex app-server did not start a thread: ${JSON.stringify(thread)}`);
  return {
    async serverStatus(server) {
      const reply = await request('mcpServerStatus/list', { detail: 'toolsAndAuthOnly', threadId, serverName: server });
      return (reply.result?.data as CodexMcpServerStatus[] | undefined)?.find((status) => status.name === server);
    },
    callTool: (server, tool, args) => request('mcpServer/tool/call', { threadId, server, tool, arguments: args }),
    close: () => void child.kill(),
  };
}
