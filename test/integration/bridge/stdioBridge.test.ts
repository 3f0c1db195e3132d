import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { mcpServerName } from '../../../electron/core/mcp/createMcpServer.ts';
import { appVersion } from '../../../electron/core/startCore.ts';
import { bridgeClient, bridgeTransport, collectStderr, decideFirstPending, useHelloCore, waitFor } from '../../helpers/bridge/bridgeHarness.ts';

const hello = useHelloCore();

describe('stdio bridge against the running core (node electron/core/cli.ts --stdio as a child)', () => {
  it('relays a whole session for the SDK stdio client once the user approves it in the app', async () => {
    const client = bridgeClient();
    const transport = bridgeTransport(hello.home);
    const stderr = collectStderr(transport);
    hello.defer(() => client.close());
    const connected = client.connect(transport);
    const request = await decideFirstPending(hello.core, 'allow-read');
    expect(request).toMatchObject({ name: 'Claude Desktop (test)', kind: 'bridge', identity: 'self-asserted' });
    await connected;
    expect(client.getServerVersion()).toEqual({ name: mcpServerName, version: appVersion });

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('Hello');
    const result = await client.callTool({ name: 'Hello', arguments: { name: 'bridge' } });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ data: { hello: 'Hello, bridge!' } });
    expect(hello.upstream.requests.at(-1)?.headers.authorization).toBeUndefined(); // no local credential travels upstream

    // The window lists the bridge client as connected, with this session, like any other client.
    const clients = await hello.core.bridge['clients:list']();
    const listed = clients.ok ? clients.value.find((entry) => entry.name === 'Claude Desktop (test)') : undefined;
    expect(listed).toMatchObject({ kind: 'bridge', identity: 'self-asserted', access: 'read' });
    expect(listed?.sessions).toMatchObject([{ clientName: 'Claude Desktop (test)', clientVersion: '0.9.0' }]);
    const activity = await hello.core.bridge['activity:list']({ clientId: listed!.clientId });
    expect(activity.ok && activity.value).toMatchObject([{ clientName: 'Claude Desktop (test)', tool: 'Hello', outcome: 'ok' }]);

    // A hot reload reaches the bridged client as notifications/tools/list_changed.
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
    await writeFile(path.join(hello.home.configHome, 'ops', 'Echo.graphql'), 'query Echo($text: String) { echo(text: $text) }\n');
    await waitFor(() => listChanged > 0);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('Echo');
    expect(stderr()).toBe('');
  });

  it('lets an approved client reconnect without asking again', async () => {
    const client = bridgeClient();
    hello.defer(() => client.close());
    await client.connect(bridgeTransport(hello.home)); // approved in the previous test under the same name
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const pending = await hello.core.bridge['clients:pending']();
    expect(pending.ok && pending.value).toEqual([]);
  });

  it("re-lists a bridge client's tools when the user changes its allow-list in the app", async () => {
    const client = bridgeClient();
    hello.defer(() => client.close());
    await client.connect(bridgeTransport(hello.home));
    let listChanged = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => void listChanged++);
    const clients = await hello.core.bridge['clients:list']();
    const clientId = clients.ok ? clients.value.find((entry) => entry.name === 'Claude Desktop (test)')?.clientId : undefined;
    expect(await hello.core.bridge['clients:setTools'](clientId!, ['Echo'])).toEqual({ ok: true, value: undefined });
    await waitFor(() => listChanged > 0);
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['Echo']);
    expect((await client.callTool({ name: 'Hello', arguments: {} })).isError).toBe(true);
  });
});
