import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import { startCli, type CliProcess } from '../helpers/startCli.ts';
import { waitForOutput } from '../helpers/waitForOutput.ts';

const root = path.join(import.meta.dirname, '../..');
const home = mkdtempSync(path.join(os.tmpdir(), 'gmd-cli-'));
const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
afterAll(() => rmSync(home, { recursive: true, force: true }));

const start = (args: string[]): CliProcess => startCli(args, env);

const waitFor = (read: () => string, pattern: RegExp, timeoutMs = 15_000) => waitForOutput(read, pattern, timeoutMs);

function isFree(port: number): Promise<boolean> {
  const probe = createServer();
  return new Promise((resolve) => probe.once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true))));
}

describe('npm start (headless)', () => {
  it('says it runs headless, serves the demo on first run, prints the endpoint, and stops cleanly on SIGTERM', async () => {
    const demoPortFree = await isFree(47320);
    const app = start([]);
    await waitFor(app.stdout, /headless mode/);
    const [, url] = await waitFor(app.stdout, /MCP endpoint: (http:\/\/127\.0\.0\.1:\d+\/mcp)\n/);
    if (demoPortFree) expect(url).toBe('http://127.0.0.1:47320/mcp'); // the port the README's client examples use
    expect(app.stdout()).toContain('built-in demo');
    // Issue 3: headless mode starts the sign-in itself and prints the URL; completing it in a "browser" signs in.
    const [, signInUrl] = await waitFor(app.stdout, /Sign in: (http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)\n/);
    expect(new URL(signInUrl!).searchParams.get('code_challenge_method')).toBe('S256');
    await loginOverHttp(signInUrl!, 'bob', { follow: true });
    await waitFor(app.stdout, /Sign-in state: signed in as bob/);
    await waitFor(app.stdout, /Audience error \[directory\]/);
    const res = await fetch(url!, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'cli-test', version: '1' } } }) });
    // A bare initialize from any local process is refused: only clients approved in the app get in (issue 6).
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"/);
    app.child.kill('SIGTERM');
    expect(await app.exit).toBe(0);
  });

  it('serves the demo on port 47320, or on a free port with a warning when 47320 is taken', async () => {
    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.once('error', () => resolve()).listen(47320, '127.0.0.1', () => resolve()));
    try {
      const app = start([]);
      const [, port] = await waitFor(app.stdout, /MCP endpoint: http:\/\/127\.0\.0\.1:(\d+)\/mcp/);
      expect(Number(port)).not.toBe(47320);
      expect(app.stderr()).toContain('The demo uses a free port instead');
      app.child.kill('SIGTERM');
      expect(await app.exit).toBe(0);
    } finally {
      squatter.close();
    }
  });

  it('uses --config and prints the real port when the config says port 0', async () => {
    const config = path.join(home, 'custom.yaml');
    writeFileSync(config, `server: { port: 0 }\napis:\n  - name: local\n    endpoint: http://127.0.0.1:9/graphql\n    schema: { file: ${path.join(root, 'electron/core/demo/directory.graphql')} }\n    operations: [${path.join(root, 'operations/directory')}]\n`);
    const app = start(['--config', config]);
    const [, port] = await waitFor(app.stdout, /MCP endpoint: http:\/\/127\.0\.0\.1:(\d+)\/mcp/);
    expect(Number(port)).toBeGreaterThan(0);
    expect(app.stdout()).not.toContain('built-in demo');
    app.child.kill('SIGINT');
    expect(await app.exit).toBe(0);
  });

  it('refuses a bad config with every problem, file and line, and exits non-zero', async () => {
    const config = path.join(home, 'bad.yaml');
    writeFileSync(config, 'server:\n  host: 0.0.0.0\napis:\n  - name: Bad\n    endpoint: ftp://x\n');
    const app = start(['--config', config]);
    expect(await app.exit).toBe(1);
    expect(app.stderr()).toContain(`${config}:2`);
    expect(app.stderr()).toContain(`${config}:4`);
    expect(app.stderr()).toContain(`${config}:5`);
    expect(app.stderr()).toMatch(/missing key "schema"/);
  });

  it('signs out with logout when there is no config (the demo keeps nothing)', async () => {
    const app = start(['logout']);
    expect(await app.exit).toBe(0);
    expect(app.stderr() + app.stdout()).toContain('nothing to sign out of');
  });

  it('names a missing --config file instead of falling back to the demo', async () => {
    const app = start(['--config', path.join(home, 'nope.yaml')]);
    expect(await app.exit).toBe(1);
    expect(app.stderr()).toContain('nope.yaml');
  });
});
