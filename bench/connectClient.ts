import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { benchClientName } from './benchClientName.ts';

const clientInfo = { name: benchClientName, version: '0' };

/** The official SDK client over Streamable HTTP, as an MCP host would connect to the app, with its access key. */
export async function connectHttp(endpoint: string, key?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const requestInit = key ? { headers: { authorization: `Bearer ${key}` } } : undefined;
  const transport = new StreamableHTTPClientTransport(new URL(endpoint), { requestInit });
  const client = new Client(clientInfo);
  await client.connect(transport);
  return { client, transport };
}

/** The official SDK client over stdio: spawns `node ...args` with `env` added to the SDK's safe default environment. */
export async function connectStdio(args: string[], env: Record<string, string>): Promise<{ client: Client; pid?: number }> {
  const transport = new StdioClientTransport({ command: process.execPath, args, env, stderr: 'ignore' });
  const client = new Client(clientInfo);
  await client.connect(transport);
  return { client, pid: transport.pid ?? undefined };
}
