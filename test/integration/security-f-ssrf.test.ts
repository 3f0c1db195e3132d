// Security case F5 (SSRF): whatever a client puts in a tool call, the app sends the configured operation to the
// configured URL with the configured headers. Arguments become GraphQL variables and nothing else. A real config, a
// real GraphQL server that records every request, and the official SDK client with an approved access key.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../electron/core/log/Logger.ts';
import { memorySecretStore } from '../../electron/core/secrets/memorySecretStore.ts';
import { startCore, type CoreHandle } from '../../electron/core/startCore.ts';
import { connectToCore } from '../helpers/connectClient.ts';
import { startGraphqlServer, type TestGraphqlServer } from '../helpers/graphqlServer.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'gmd-ssrf-'));
const operation = 'query Greet($name: String) {\n  hello(name: $name)\n}\n';
let api: TestGraphqlServer;
let core: CoreHandle;
let client: Client;

beforeAll(async () => {
  api = await startGraphqlServer();
  mkdirSync(path.join(home, 'ops'));
  writeFileSync(path.join(home, 'ops', 'Greet.graphql'), operation);
  writeFileSync(path.join(home, 'schema.graphql'), 'type Query { hello(name: String): String echo(text: String): String }\n');
  writeFileSync(path.join(home, 'config.yaml'), [
    'server: { port: 0 }',
    'apis:',
    '  - name: greet',
    `    endpoint: ${api.url}`,
    '    schema: { file: ./schema.graphql }',
    '    operations: [./ops]',
    '    headers: { x-team: mcp }',
    '',
  ].join('\n'));
  core = await startCore({ configPath: path.join(home, 'config.yaml'), dataDir: path.join(home, 'data'), port: 0, watch: false, logger: silentLogger, secrets: memorySecretStore(), openExternal: async () => {} });
  ({ client } = await connectToCore(core, 'ssrf-test'));
});
afterAll(async () => {
  await client?.close();
  await core?.close();
  await api?.close();
  rmSync(home, { recursive: true, force: true });
});

const callGreet = (args: Record<string, unknown>) => client.callTool({ name: 'Greet', arguments: args });

describe('security F: SSRF', () => {
  it('F5: arguments naming a URL, headers, a query or an operation are refused before anything is sent', async () => {
    api.reset();
    const attempts = [
      { url: 'http://169.254.169.254/latest/meta-data/' },
      { endpoint: 'http://10.0.0.1/graphql' },
      { headers: { host: '169.254.169.254', authorization: 'Bearer stolen' } },
      { query: '{ echo(text: "x") }' },
      { operationName: 'Other' },
      { extensions: { persistedQuery: { sha256Hash: 'x' } } },
    ];
    for (const args of attempts) {
      const result = await callGreet({ name: 'ok', ...args });
      expect(result.isError, JSON.stringify(args)).toBe(true);
    }
    expect(api.requests).toEqual([]);
  });

  it('F5: a URL or GraphQL text inside an argument value travels only as a variable, to the configured URL with the configured headers', async () => {
    api.reset();
    const name = 'http://169.254.169.254/latest/meta-data/"} { echo(text: "x") } #';
    const result = await callGreet({ name });
    expect(result.isError).toBeFalsy();
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request!.url).toBe(new URL(api.url).pathname);
    expect(request!.headers.host).toBe(new URL(api.url).host);
    expect(request!.headers['x-team']).toBe('mcp');
    expect(request!.headers.authorization).toBeUndefined();
    expect(JSON.parse(request!.body)).toEqual({ query: operation.trim(), operationName: 'Greet', variables: { name } });
  });
});
