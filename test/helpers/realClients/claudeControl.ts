import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ClaudeMcpServerStatus {
  name: string;
  status: string;
  tools?: Array<{ name: string; annotations?: Record<string, unknown> }>;
}

export interface ClaudeControl {
  /** `mcp_status`: each configured MCP server as Claude Code's client sees it, with its tools once connected. */
  serverStatus(server: string): Promise<ClaudeMcpServerStatus | undefined>;
  /** `mcp_call`: Claude Code's MCP client calls `mcp__<server>__<tool>` directly. */
  callTool(server: string, tool: string, args: Record<string, unknown>): Promise<{ subtype: string; response?: { content?: string | Array<{ text?: string }>; isError?: boolean }; error?: string }>;
  close(): void;
}

/**
 * Starts `claude -p` in stream-json mode and talks to it with the Agent SDK's control requests only. No user message
 * is ever sent, so no model is called and no Anthropic login or API key is needed (a prompt would stop at
 * "Not logged in · Please run /login").
 */
export function startClaudeControl(claude: string, env: Record<string, string>): ClaudeControl {
  const child = spawn(claude, ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose'], { env, cwd: env.HOME, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map<string, (response: any) => void>();
  let nextId = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { type: string; response?: { request_id: string } };
    if (message.type === 'control_response' && message.response) waiting.get(message.response.request_id)?.(message.response);
  });
  const control = (request: Record<string, unknown>) => new Promise<any>((resolve) => {
    const requestId = `r${nextId++}`;
    waiting.set(requestId, resolve);
    child.stdin.write(`${JSON.stringify({ type: 'control_request', request_id: requestId, request })}\n`);
  });
  const initialized = control({ subtype: 'initialize' });
  return {
    async serverStatus(server) {
      await initialized;
      // Servers connect in the background: 'pending' until the first connection attempt is done.
      for (let attempt = 0; attempt < 120; attempt += 1) {
        const reply = await control({ subtype: 'mcp_status' });
        const status = (reply.response?.mcpServers as ClaudeMcpServerStatus[] | undefined)?.find((candidate) => candidate.name === server);
        if (status?.status !== 'pending') return status;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      return undefined;
    },
    callTool: async (server, tool, args) => {
      await initialized;
      return control({ subtype: 'mcp_call', tool: `mcp__${server}__${tool}`, arguments: args });
    },
    close: () => void child.kill(),
  };
}
