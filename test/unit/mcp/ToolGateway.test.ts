import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { ActivityLog } from '../../../electron/core/activity/ActivityLog.ts';
import type { Principal } from '../../../electron/core/clients/LocalAuthority.ts';
import type { ToolDefinition } from '../../../electron/core/graphql/OperationTool.ts';
import { ToolGateway, type ToolCall, type ToolGatewayOptions } from '../../../electron/core/mcp/ToolGateway.ts';
import type { ToolCatalog } from '../../../electron/core/ToolCatalog.ts';

const schema = { type: 'object' as const, properties: {} };
const tools: ToolDefinition[] = [
  { name: 'ListTasks', description: 'q', inputSchema: schema, annotations: { readOnlyHint: true } },
  { name: 'DeleteTask', description: 'm', inputSchema: schema, annotations: { readOnlyHint: false, destructiveHint: true } },
  { name: 'execute', description: 'e', inputSchema: schema, annotations: { readOnlyHint: false, destructiveHint: true } },
];
const writer: Principal = { clientId: 'w', name: 'Writer', kind: 'oauth', identity: 'verified', scopes: ['tools:read', 'tools:write'], tools: null, expiresAt: Infinity };
const reader: Principal = { ...writer, clientId: 'r', name: 'Reader', scopes: ['tools:read'] };
const signal = new AbortController().signal;

async function gatewayWith(options: Partial<ToolGatewayOptions> & { answer?: CallToolResult } = {}) {
  const calls: string[] = [];
  let now = 1000;
  const catalog: ToolCatalog = {
    listTools: () => tools,
    callTool: async (name) => {
      calls.push(name);
      now += 25;
      return options.answer ?? { content: [{ type: 'text', text: 'ok' }] };
    },
    onToolsChanged: () => () => {},
  };
  const { log: activity } = await ActivityLog.open({});
  const describe = (name: string) => (name === 'execute' ? { api: 'tasks', kind: 'introspection' as const } : { api: 'tasks', kind: 'operation' as const });
  const gateway = new ToolGateway({ catalog, describe, activity, now: () => now, ...options });
  return { gateway, calls, activity };
}

describe('ToolGateway', () => {
  it('refuses every call while the user paused the app, and records it as denied', async () => {
    let paused = true;
    const { gateway, calls, activity } = await gatewayWith({ isPaused: () => paused });
    const refused = await gateway.call(writer, 'ListTasks', {}, signal);
    expect(refused).toMatchObject({ isError: true, content: [{ text: expect.stringContaining('paused') }] });
    expect(calls).toEqual([]);
    expect(activity.list()[0]).toMatchObject({ tool: 'ListTasks', outcome: 'denied' });
    paused = false;
    expect((await gateway.call(writer, 'ListTasks', {}, signal)).isError).toBeUndefined();
  });

  it('lists only the tools on the allow-list, in catalog order', async () => {
    const { gateway } = await gatewayWith();
    expect(gateway.list({ ...writer, tools: ['execute', 'ListTasks'] }).map((tool) => tool.name)).toEqual(['ListTasks', 'execute']);
    expect(gateway.list(writer)).toHaveLength(3);
  });

  it('hands a restricted client the same list until its allow-list or the catalog changes (its JSON is then encoded once)', async () => {
    let current = tools;
    const { gateway } = await gatewayWith({ catalog: { listTools: () => current, callTool: async () => ({ content: [] }), onToolsChanged: () => () => {} } });
    const restricted = { ...writer, tools: ['ListTasks'] };
    const first = gateway.list(restricted);
    expect(gateway.list({ ...restricted, tools: ['ListTasks'] })).toBe(first);
    expect(gateway.list({ ...restricted, tools: ['ListTasks', 'execute'] }).map((tool) => tool.name)).toEqual(['ListTasks', 'execute']);
    current = [...tools];
    expect(gateway.list(restricted)).not.toBe(first);
    expect(gateway.list(restricted)).toEqual(first);
  });

  it('needs tools:write for a mutation tool, and for execute only when its text holds a mutation', async () => {
    const { gateway } = await gatewayWith();
    expect(gateway.missingScope(reader, 'ListTasks', {})).toBeUndefined();
    expect(gateway.missingScope(reader, 'DeleteTask', {})).toBe('tools:write');
    expect(gateway.missingScope(reader, 'execute', { query: '{ tasks { id } }' })).toBeUndefined();
    expect(gateway.missingScope(reader, 'execute', { query: 'query A { tasks { id } } mutation B { deleteTask(id: 1) }', operationName: 'A' })).toBe('tools:write');
    expect(gateway.missingScope(writer, 'DeleteTask', {})).toBeUndefined();
    expect(gateway.missingScope({ ...reader, tools: ['ListTasks'] }, 'DeleteTask', {})).toBeUndefined(); // hidden: answered as unknown
  });

  it('records a successful call with client, tool, API, duration and outcome, never the arguments', async () => {
    const { gateway, activity } = await gatewayWith();
    await gateway.call(writer, 'ListTasks', { secret: 'hunter2' }, signal);
    expect(activity.list()).toEqual([{ id: 1, at: new Date(1000).toISOString(), clientId: 'w', clientName: 'Writer', tool: 'ListTasks', api: 'tasks', durationMs: 25, outcome: 'ok' }]);
  });

  it('records an isError result as an error with its message, scrubbed of token-shaped text', async () => {
    const { gateway, activity } = await gatewayWith({ answer: { isError: true, content: [{ type: 'text', text: 'upstream said Bearer abcdefghijklmnopqrstuvwxyz0123' }] } });
    const result = await gateway.call(writer, 'ListTasks', {}, signal);
    expect(result.isError).toBe(true);
    expect(activity.list()[0]).toMatchObject({ outcome: 'error' });
    expect(activity.list()[0]!.error).not.toContain('abcdefghijklmnopqrstuvwxyz0123');
  });

  it('refuses a tool outside the allow-list exactly like an unknown one, without calling the catalog', async () => {
    const { gateway, calls, activity } = await gatewayWith();
    const limited = { ...writer, tools: ['ListTasks'] };
    const hidden = await gateway.call(limited, 'DeleteTask', {}, signal);
    const unknown = await gateway.call(limited, 'Nope', {}, signal);
    expect(JSON.stringify(hidden).replace('DeleteTask', 'X')).toBe(JSON.stringify(unknown).replace('Nope', 'X'));
    expect(calls).toEqual([]);
    expect(activity.list().map((view) => view.outcome)).toEqual(['error', 'denied']);
  });

  it('asks beforeCall after the scope check and refuses with its reason', async () => {
    const seen: ToolCall[] = [];
    const { gateway, calls, activity } = await gatewayWith({ beforeCall: async (call) => (seen.push(call), { allowed: false, reason: 'The user denied this call.' }) });
    await gateway.call(reader, 'DeleteTask', {}, signal); // scope first: the user is never asked
    const denied = await gateway.call(writer, 'DeleteTask', { id: 1 }, signal);
    expect(seen.map((call) => [call.principal.clientId, call.tool.name, call.api, call.args])).toEqual([['w', 'DeleteTask', 'tasks', { id: 1 }]]);
    expect(denied).toMatchObject({ isError: true, content: [{ type: 'text', text: 'The user denied this call.' }] });
    expect(calls).toEqual([]);
    expect(activity.list().map((view) => [view.clientId, view.outcome])).toEqual([['w', 'denied'], ['r', 'denied']]);
  });

  it('reports a catalog that throws as a generic isError result without its details', async () => {
    const throwing = new ToolGateway({ catalog: { listTools: () => tools, callTool: async () => { throw new Error('secret detail'); }, onToolsChanged: () => () => {} } });
    const result = await throwing.call(writer, 'ListTasks', {}, signal);
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result)).not.toContain('secret detail');
  });
});
