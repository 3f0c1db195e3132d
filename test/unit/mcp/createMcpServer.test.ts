import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../electron/core/clients/LocalAuthority.ts';
import { createMcpServer, mcpServerName } from '../../../electron/core/mcp/createMcpServer.ts';
import { ToolGateway } from '../../../electron/core/mcp/ToolGateway.ts';
import type { ToolCatalog } from '../../../electron/core/ToolCatalog.ts';

const principal: Principal = { clientId: 'c1', name: 'Client', kind: 'key', identity: 'local', scopes: ['tools:read', 'tools:write'], tools: null, expiresAt: Infinity };

/** A catalog with one tool that records what it was called with. */
function recordingCatalog(callTool?: ToolCatalog['callTool']) {
  const calls: { name: string; args: Record<string, unknown>; signal?: AbortSignal }[] = [];
  const catalog: ToolCatalog = {
    listTools: () => [{ name: 'ping_api', title: 'Ping', description: 'Pings', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } }],
    callTool: callTool ?? (async (name, args, signal) => (calls.push({ name, args, signal }), { content: [{ type: 'text', text: 'pong' }] })),
    onToolsChanged: () => () => {},
  };
  return { catalog, calls };
}

async function connect(catalog: ToolCatalog, current: () => Principal | undefined = () => principal): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await createMcpServer(new ToolGateway({ catalog }), { version: '1.2.3', principal: current }).connect(serverSide);
  const client = new Client({ name: 'c', version: '1' });
  await client.connect(clientSide);
  return client;
}

describe('createMcpServer', () => {
  it('reports its name, version and the listChanged tools capability when a client initializes', async () => {
    const client = await connect(recordingCatalog().catalog);
    expect(client.getServerVersion()).toEqual({ name: mcpServerName, version: '1.2.3' });
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: true } });
    expect(client.getInstructions()).toBeTruthy();
  });

  it('lists the catalog tools with title and annotations when asked for tools/list', async () => {
    const client = await connect(recordingCatalog().catalog);
    expect((await client.listTools()).tools).toEqual([
      { name: 'ping_api', title: 'Ping', description: 'Pings', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } },
    ]);
  });

  it('passes name, arguments and an abort signal to the catalog when a tool is called', async () => {
    const { catalog, calls } = recordingCatalog();
    const client = await connect(catalog);
    const result = await client.callTool({ name: 'ping_api', arguments: { a: 1 } });
    expect(result.content).toEqual([{ type: 'text', text: 'pong' }]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual({ a: 1 });
    expect(calls[0]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('passes an empty object when the call has no arguments', async () => {
    const { catalog, calls } = recordingCatalog();
    await (await connect(catalog)).callTool({ name: 'ping_api' });
    expect(calls[0]!.args).toEqual({});
  });

  it('returns an isError result without calling the catalog when the tool is unknown', async () => {
    const { catalog, calls } = recordingCatalog();
    const result = (await (await connect(catalog)).callTool({ name: 'missing' })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result.content[0]).toMatchObject({ text: expect.stringContaining('missing') });
    expect(calls).toHaveLength(0);
  });

  it('returns a generic isError result when the catalog throws', async () => {
    const { catalog } = recordingCatalog(async () => {
      throw new Error('secret detail');
    });
    const result = (await (await connect(catalog)).callTool({ name: 'ping_api' })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain('secret detail');
  });
});

describe('createMcpServer for a client that was revoked', () => {
  it('lists no tools and refuses calls without reaching the catalog', async () => {
    const { catalog, calls } = recordingCatalog();
    const client = await connect(catalog, () => undefined);
    expect((await client.listTools()).tools).toEqual([]);
    const result = (await client.callTool({ name: 'ping_api' })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(calls).toHaveLength(0);
  });
});
