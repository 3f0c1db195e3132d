import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { describe, expect, it } from 'vitest';
import { appRoot } from '../../../electron/core/appRoot.ts';
import { decideFirstPending, node24, useHelloCore, waitFor } from '../../helpers/bridge/bridgeHarness.ts';

// The 2026-07-28 revision's dual-era clients probe with `server/discover` first and fall back to `initialize` on any
// answer that is not a modern error. The app serves 2025-11-25 only (docs/protocol-2026-07-28.md): these tests pin that
// such clients, here the official v2 SDK client in `auto` mode, still connect over both transports.
// https://modelcontextprotocol.io/specification/2026-07-28/basic/versioning#backward-compatibility-with-initialization-based-versions

const hello = useHelloCore();

const autoClient = (name: string) => new Client({ name, version: '2.0.0' }, { versionNegotiation: { mode: 'auto', probe: { timeoutMs: 20_000 } } });
const bridgeParams = () => ({ command: node24, args: [path.join('electron', 'core', 'cli.ts'), '--stdio'], cwd: appRoot, env: { XDG_CONFIG_HOME: hello.home.configHome }, stderr: 'pipe' as const });

// The SDK probes on a throwaway sibling process only with its own StdioClientTransport; any other stdio transport
// (a subclass, or a client's own) probes on the one connection it has, as the spec describes.
class InPlaceStdioTransport extends StdioClientTransport {}

async function callHello(client: Client): Promise<unknown> {
  expect(client.getProtocolEra()).toBe('legacy');
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name)).toContain('Hello');
  const result = await client.callTool({ name: 'Hello', arguments: { name: 'v2' } });
  expect(result.isError).toBeFalsy();
  return result.structuredContent;
}

describe('clients of the 2026-07-28 revision fall back to 2025-11-25 (official v2 SDK client, auto mode)', () => {
  it('over the stdio bridge, probing on the same connection: the probe is answered, not fatal, and the user is asked once', async () => {
    const client = autoClient('Dual-era in place (test)');
    hello.defer(() => client.close());
    const connected = client.connect(new InPlaceStdioTransport(bridgeParams()));
    const request = await decideFirstPending(hello.core, 'allow-read');
    expect(request).toMatchObject({ name: 'Dual-era in place (test)', kind: 'bridge' });
    await connected;
    expect(await callHello(client)).toEqual({ data: { hello: 'Hello, v2!' } });
  });

  it('over the stdio bridge, probing on a sibling process: the probe raises no approval request of its own', async () => {
    const client = autoClient('Dual-era sibling (test)');
    hello.defer(() => client.close());
    const connected = client.connect(new StdioClientTransport(bridgeParams()));
    await decideFirstPending(hello.core, 'allow-read');
    await connected;
    expect(await callHello(client)).toEqual({ data: { hello: 'Hello, v2!' } });
    const pending = await hello.core.bridge['clients:pending']();
    expect(pending.ok && pending.value).toEqual([]);
  });

  it('over HTTP: the probe gets 400 with a 2025 error, then initialize opens a session', async () => {
    const created = await hello.core.authority.bridgePart['keys:create']!('dual-era-http', true);
    if (!created.ok) throw new Error(created.error.message);
    // Word for word what 2025 servers answer (the SDK's examples): Codex falls back on this text and no other.
    const probe = await fetch(hello.core.endpoint, {
      method: 'POST',
      headers: { authorization: `Bearer ${created.value.key}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'server/discover', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    expect(probe.status).toBe(400);
    expect(await probe.json()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Bad Request: No valid session ID provided' } });
    const client = autoClient('Dual-era HTTP (test)');
    hello.defer(() => client.close());
    await client.connect(new StreamableHTTPClientTransport(new URL(hello.core.endpoint), { requestInit: { headers: { authorization: `Bearer ${created.value.key}` } } }));
    expect(await callHello(client)).toEqual({ data: { hello: 'Hello, v2!' } });
    await waitFor(() => hello.core.mcp.liveSessions().some((session) => session.clientName === 'Dual-era HTTP (test)'));
  });
});
