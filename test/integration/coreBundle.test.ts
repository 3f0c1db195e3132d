// Issue 8: `npm start` runs the bundled core (build/bundleCore.ts) and rebuilds it when the sources changed. Through
// `npm start` as users run it, with the official SDK client.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { coreBundleDirs, fingerprintFile } from '../../build/fingerprintCoreSources.ts';
import { connectClient } from '../helpers/connectClient.ts';
import { startGraphqlServer } from '../helpers/graphqlServer.ts';
import { useCliHome, type CliProcess } from '../helpers/startCli.ts';
import { waitForOutput } from '../helpers/waitForOutput.ts';

const root = path.join(import.meta.dirname, '../..');
// No D-Bus session: the demo keeps its sign-in in memory, whatever keychain the machine has.
const { home, start, cleanup } = useCliHome('gmd-bundle-', (dir) => ({ ...process.env, HOME: dir, XDG_CONFIG_HOME: path.join(dir, '.config'), DBUS_SESSION_BUS_ADDRESS: undefined }));

// A deadline for a loaded 2-core machine that may have to bundle first, not a speed assertion.
const waitFor = (read: () => string, pattern: RegExp) => waitForOutput(read, pattern, 150_000);

/** An access key made with `npm start -- keys create`, as a user approves a script. */
async function createKey(name: string, readOnly: boolean): Promise<string> {
  const cli = start(['keys', 'create', name, ...(readOnly ? ['--read-only'] : [])]);
  expect(await cli.exit).toBe(0);
  return /^(gmdk_\S+)$/m.exec(cli.stdout())![1]!;
}

async function connect(app: CliProcess, key: string): Promise<Client> {
  const [, endpoint] = await waitFor(app.stdout, /MCP endpoint: (http:\/\/127\.0\.0\.1:\d+\/mcp)\n/);
  const client = await connectClient(endpoint!, key, { name: 'bundle-test' });
  cleanup.push(() => client.close());
  return client;
}

/** A contract channel through headless mode's window server, as the window calls it. */
async function callWindow(windowUrl: string, channel: string, args: unknown[]): Promise<unknown> {
  const url = new URL(windowUrl);
  const response = await fetch(`${url.origin}/api/${channel}`, {
    method: 'POST', headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' }, body: JSON.stringify(args),
  });
  return response.json();
}

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text?: string }[]).map((part) => part.text ?? '').join('\n');
}

describe('npm start runs the bundled core', { timeout: 240_000 }, () => {
  it('rebuilds a stale bundle, then serves the demo tools to the SDK client', async () => {
    const stored = path.join(root, coreBundleDirs.headless, fingerprintFile);
    // What a bundle built from other sources looks like to npm start.
    writeFileSync(stored, 'stale\nstale\n');
    const key = await createKey('bundle-demo', false);
    const app = start(['--port', '0']);
    await waitFor(app.stdout, /Bundling the app/);
    const client = await connect(app, key);
    expect(readFileSync(stored, 'utf8')).toMatch(/^[0-9a-f]{64}\n[0-9a-f]{64}\n$/);
    expect(app.stdout()).toContain('built-in demo');
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/ListProjects$/i), expect.stringMatching(/ListPeople$/i)]));
    // Connect a client loads the config writers on first use: jsonc-parser (its UMD build did not bundle) and
    // toml-edit (left external: it reads its .wasm next to itself).
    const [, windowUrl] = await waitFor(app.stdout, /Window: (\S+)\n/);
    for (const [target, file] of [['cursor', '.cursor/mcp.json'], ['codex', '.codex/config.toml']] as const) {
      mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      const applied = await callWindow(windowUrl!, 'setup:apply', [target]);
      expect(applied, target).toMatchObject({ ok: true, value: { changed: true } });
      expect(readFileSync(path.join(home, file), 'utf8')).toContain('/mcp');
    }
    app.child.kill('SIGTERM');
    expect(await app.exit).toBe(0);
  });

  it('builds tools with the bundled graphql, refuses a mutation through execute to a read-only key and runs a query upstream', async () => {
    const upstream = await startGraphqlServer();
    cleanup.push(() => upstream.close());
    const config = path.join(home, 'execute.yaml');
    const demo = path.join(root, 'electron/core/demo');
    writeFileSync(config, [
      'server: { port: 0 }',
      'apis:',
      '  - name: local',
      `    endpoint: ${upstream.url}`,
      `    schema: { file: ${path.join(demo, 'directory.graphql')} }`,
      `    operations: [${path.join(root, 'operations/directory')}]`,
      '    mutations: all',
      '    introspection: { execute: true }',
      '',
    ].join('\n'));
    const key = await createKey('bundle-read-only', true);
    const app = start(['--config', config]);
    const client = await connect(app, key);
    const names = (await client.listTools()).tools.map((tool) => tool.name);
    const execute = names.find((name) => name.endsWith('execute'))!;
    expect(names).toEqual(expect.arrayContaining([expect.stringMatching(/ListPeople$/i), execute]));
    // Only a parsed mutation needs tools:write: graphql's parser, required synchronously inside the bundle, found it.
    await expect(client.callTool({ name: execute, arguments: { query: 'mutation M { __typename }' } })).rejects.toThrow(/Forbidden: \S*execute needs the tools:write scope/);
    expect(upstream.requests).toHaveLength(0);
    const query = await client.callTool({ name: execute, arguments: { query: 'query Q { __typename }' } });
    expect(text(query)).toContain('"__typename":"Query"');
    expect(upstream.requests).toHaveLength(1);
    app.child.kill('SIGTERM');
    expect(await app.exit).toBe(0);
  });
});
