import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { demoSchemaFiles } from '../electron/core/demo/demoApis.ts';
import { connectHttp, connectStdio } from './connectClient.ts';
import { startChild, type BenchChild } from './startChild.ts';
import { measureInterleaved, type ContenderResult } from './summarize.ts';

export interface ToolCallOptions {
  dir: string;
  warmup: number;
  calls: number;
}

/** The one request all three contenders send upstream: no variables, since mcp-graphql forwards them as a string. */
export const benchQuery = 'query BenchTasks {\n  tasks(first: 5) {\n    id\n    title\n    status\n    priority\n    dueAt\n  }\n}\n';

const here = import.meta.dirname;

/**
 * (a) One tool call, four ways, round-robin against the same upstream (the demo tasks API in its own process):
 * a direct GraphQL POST with fetch (the baseline), the same POST through a bare HTTP relay process (the floor for
 * two loopback hops), the gateway (SDK client → our MCP server in its own process → the API), and mcp-graphql over
 * stdio (SDK client → its process → the API).
 */
export async function benchToolCall(options: ToolCallOptions): Promise<ContenderResult[]> {
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const upstream = startChild(path.join(here, 'runUpstream.ts'));
    closers.push(() => upstream.stop());
    const { url } = await upstream.next<{ event: string; url: string }>('ready');
    const relay = startChild(path.join(here, 'runRelay.ts'), [url]);
    closers.push(() => relay.stop());
    const { url: relayUrl } = await relay.next<{ event: string; url: string }>('ready');
    const gateway = await startGateway(options.dir, url);
    closers.push(() => gateway.child.stop());
    const { client: viaGateway } = await connectHttp(gateway.endpoint);
    closers.push(() => viaGateway.close());
    const { client: viaPeer, pid: peerPid } = await connectStdio(mcpGraphqlScript(), { ENDPOINT: url });
    closers.push(() => viaPeer.close());
    return await measureInterleaved(
      [
        { name: 'direct', run: () => postDirect(url) },
        { name: 'relay', run: () => postDirect(relayUrl), pid: relay.child.pid },
        { name: 'gateway', run: () => callOk(viaGateway, 'BenchTasks', {}), pid: gateway.child.child.pid },
        { name: 'mcp-graphql', run: () => callOk(viaPeer, 'query-graphql', { query: benchQuery }), pid: peerPid },
      ],
      options.warmup,
      options.calls,
    );
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

/** Writes the bench operation as the only `.graphql` file of a folder and returns the folder. */
export async function writeBenchOperation(dir: string): Promise<string> {
  const operations = path.join(dir, 'ops-tasks');
  await mkdir(operations, { recursive: true });
  await writeFile(path.join(operations, 'BenchTasks.graphql'), benchQuery);
  return operations;
}

async function startGateway(dir: string, upstreamUrl: string): Promise<{ child: BenchChild; endpoint: string }> {
  const operations = await writeBenchOperation(dir);
  const configPath = path.join(dir, 'tasks.yaml');
  await writeFile(configPath, [
    'server: { port: 0 }',
    'apis:',
    '  - name: tasks',
    `    endpoint: ${JSON.stringify(upstreamUrl)}`,
    `    schema: { file: ${JSON.stringify(demoSchemaFiles.tasks)} }`,
    `    operations: [${JSON.stringify(operations)}]`,
    '    customScalars: { DateTime: { type: string, format: date-time } }',
    '',
  ].join('\n'));
  const child = startChild(path.join(here, 'runCore.ts'), [configPath]);
  const ready = await child.next<{ event: string; endpoint: string }>('ready');
  return { child, endpoint: ready.endpoint };
}

async function postDirect(url: string): Promise<boolean> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: benchQuery, operationName: 'BenchTasks' }) });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  return response.ok && body.data !== undefined && body.errors === undefined;
}

/** A call counts as failed when it is an `isError` result or throws (a protocol error). */
export async function callOk(client: Client, name: string, args: Record<string, unknown>): Promise<boolean> {
  try {
    const result = await client.callTool({ name, arguments: args });
    return result.isError !== true;
  } catch {
    return false;
  }
}

function mcpGraphqlScript(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('mcp-graphql/package.json')), 'dist/index.js');
}
