// https://github.com/graphql-mcp-desktop/graphql-mcp-desktop/issues/7 items 3 and 6, through `npm start` as users run
// it: Ctrl+C during a pending sign-in with a real config, a second Ctrl+C, and the messages for --help, logout and a
// port in use.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DemoIdp } from '../../electron/core/demo/demoIdp.ts';
import { startIdp } from '../helpers/authHarness.ts';
import { keychainAvailable } from '../helpers/keychain.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import { useCliHome } from '../helpers/startCli.ts';
import { waitForOutput } from '../helpers/waitForOutput.ts';

// Keeps the D-Bus session and keychain of scripts/with-keychain.sh; only the config location is this test's own.
const { home, start, cleanup } = useCliHome('gmd-issue7-cli-', (dir) => ({ ...process.env, XDG_CONFIG_HOME: path.join(dir, '.config') }));

const waitFor = (read: () => string, pattern: RegExp, timeoutMs = 20_000) => waitForOutput(read, pattern, timeoutMs);

/** A config file for a real (non-demo) setup: sign-in at `idp`, one API on `endpoint`. */
function writeConfig(name: string, options: { idp?: DemoIdp; port?: number; endpoint?: string; introspect?: boolean }): string {
  const dir = mkdtempSync(path.join(home, `${name}-`));
  writeFileSync(path.join(dir, 'schema.graphql'), 'type Query { hello: String }\n');
  const signIn = options.idp ? `signIn:\n  issuer: ${options.idp.issuer}\n  clientId: ${options.idp.clientId}\n  allowInsecureLoopback: true\n` : '';
  const schema = options.introspect ? '{ introspect: true }' : '{ file: ./schema.graphql }';
  const token = options.idp ? '\n    token: { strategy: exchange, audience: https://orders.example }' : '';
  const file = path.join(dir, 'config.yaml');
  writeFileSync(file, `server:\n  port: ${options.port ?? 0}\n${signIn}apis:\n  - name: orders\n    endpoint: ${options.endpoint ?? 'http://127.0.0.1:9/graphql'}\n    schema: ${schema}\n    timeoutMs: 120000${token}\n`);
  return file;
}

async function listening(handler: Parameters<typeof createServer>[1] = () => {}): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => (server.closeAllConnections(), server.close()));
  return { server, port: (server.address() as AddressInfo).port };
}

const keychainMissing = await keychainAvailable();

describe('issue 7: npm start stops cleanly', () => {
  it.skipIf(keychainMissing)('Ctrl+C during a pending sign-in (real config) exits, closes the callback listener and saves no grant', async () => {
    const idp = await startIdp(['https://orders.example']);
    cleanup.push(() => idp.close());
    const app = start(['--config', writeConfig('pending', { idp })]);
    const [, signInUrl] = await waitFor(app.stdout, /Sign in: (\S+)\n/);
    app.child.kill('SIGINT');
    expect(await app.exit).toBe(0);
    // The browser coming back afterwards finds nobody listening, and the IdP redeemed no code.
    await expect(loginOverHttp(signInUrl!, 'alice', { follow: true })).rejects.toThrow();
    expect(idp.stats().authorizationCode).toBe(0);
  });
  if (keychainMissing) console.log(`issue-7 CLI sign-in test skipped: the OS keychain is unavailable (${keychainMissing}); run under scripts/with-keychain.sh`);

  it('a second Ctrl+C exits at once while the first is still waiting (here: start-up stuck on an API that never answers)', async () => {
    let asked: () => void = () => {};
    const introspecting = new Promise<void>((resolve) => (asked = resolve));
    const { port } = await listening(() => asked()); // accepts, never answers
    const app = start(['--config', writeConfig('stuck', { endpoint: `http://127.0.0.1:${port}/graphql`, introspect: true })]);
    await introspecting; // start-up is under way, so the app listens for signals
    app.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    app.child.kill('SIGINT');
    expect(await app.exit).toBe(130);
    expect(app.stderr()).toContain('Stopping now.');
  });
});

describe('issue 7: messages', () => {
  it('--help and logout do not announce "headless mode" or Electron', async () => {
    for (const args of [['--help'], ['logout'], ['--config', path.join(home, 'nope.yaml'), 'logout']]) {
      const app = start(args);
      await app.exit;
      expect(app.stdout() + app.stderr(), args.join(' ')).not.toMatch(/Electron|headless/);
    }
  });

  it('logout with a --config file that does not exist names it and fails, instead of talking about the demo', async () => {
    const app = start(['--config', path.join(home, 'nope.yaml'), 'logout']);
    expect(await app.exit).toBe(1);
    expect(app.stderr()).toContain('nope.yaml');
    expect(app.stderr()).not.toContain('demo');
  });

  it('B9: a port another process holds: the app exits saying which process to look for and how to pick another port, never reports serving there, and that process gets no request', async () => {
    const requests: string[] = [];
    const { port } = await listening((req, res) => void (requests.push(`${req.method} ${req.url}`), res.end()));
    const app = start(['--config', writeConfig('port', { port })]);
    expect(await app.exit).toBe(1);
    expect(app.stdout()).not.toContain('MCP endpoint');
    expect(requests).toEqual([]);
    expect(app.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(app.stderr()).toMatch(/another GraphQL MCP Desktop/);
    expect(app.stderr()).toMatch(/lsof -nP -iTCP:\d+ -sTCP:LISTEN|netstat -ano/);
    expect(app.stderr()).toMatch(/--port N, or server\.port/);
  });

  it('prints each headless line once: no log line repeating a human line', async () => {
    const app = start(['--config', writeConfig('once', {}), '--port', '0']);
    await waitFor(app.stdout, /MCP endpoint: /);
    app.child.kill('SIGTERM');
    expect(await app.exit).toBe(0);
    const lines = (app.stdout() + app.stderr()).split('\n').filter(Boolean);
    expect(lines.filter((line) => /sign-in state/i.test(line)).length).toBeLessThanOrEqual(1);
    expect(app.stderr()).not.toMatch(/^info: (sign-in state|no config file)/m);
  });
});
