// Issue 7 (item 10): `npm ci && npm start` on a machine with only Node. keytar is an optional dependency whose
// native build fails there (npm then removes it and goes on); this runs `npm start` with keytar unresolvable.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { keychainSkipReason } from '../helpers/keychain.ts';
import { loginOverHttp } from '../helpers/loginOverHttp.ts';
import { waitForOutput } from '../helpers/waitForOutput.ts';

const root = path.join(import.meta.dirname, '../..');
const home = mkdtempSync(path.join(os.tmpdir(), 'gmd-fresh-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

// What a failed optional install leaves: no node_modules/keytar, so `import('keytar')` fails to resolve.
const hideKeytar = `import { registerHooks } from 'node:module';
registerHooks({ resolve(specifier, context, next) {
  if (specifier === 'keytar' || specifier.startsWith('keytar/')) throw Object.assign(new Error("Cannot find package 'keytar'"), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(specifier, context);
} });`;

function startWithoutKeytar(env: Record<string, string | undefined>) {
  const childEnv: Record<string, string | undefined> = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hideKeytar)}`, ...env };
  for (const [key, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[key];
  const child = spawn(process.execPath, ['scripts/start.ts', '--port', '0'], { cwd: root, env: childEnv });
  let out = '';
  child.stdout.on('data', (chunk) => { out += chunk; });
  child.stderr.on('data', (chunk) => { out += chunk; });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exit };
}

// Generous: on first run `npm start` builds the window (vite) before it starts, on a busy 2-core machine.
const waitFor = (read: () => string, pattern: RegExp, timeoutMs = 60_000) => waitForOutput(read, pattern, timeoutMs);

const secretTool = promisify(execFile);
const unavailable = await keychainSkipReason();

describe('npm start without keytar (a fresh machine without build tools)', () => {
  it('runs the demo without any keychain and says how to enable the OS keychain', async () => {
    const app = startWithoutKeytar({ DBUS_SESSION_BUS_ADDRESS: undefined });
    try {
      await waitFor(app.output, /MCP endpoint: http:\/\/127\.0\.0\.1:\d+\/mcp\n/);
      expect(app.output()).toContain('keychain unavailable: no D-Bus session bus (start the app inside a desktop session with a Secret Service such as GNOME Keyring)');
      expect(app.output()).toContain('The demo keeps its sign-in in memory only');
      expect(app.output()).not.toMatch(/keytar|Cannot find package/);
    } finally {
      app.child.kill('SIGTERM');
      await app.exit;
    }
  }, 90_000);

  it.skipIf(unavailable)('keeps the sign-in in the real Secret Service through the prebuilt backend (@napi-rs/keyring)', async () => {
    const app = startWithoutKeytar({});
    try {
      const [, signInUrl] = await waitFor(app.output, /Sign in: (http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)\n/);
      expect(app.output()).not.toContain('keychain unavailable');
      await loginOverHttp(signInUrl!, 'carol', { follow: true });
      await waitFor(app.output, /Sign-in state: signed in as carol/);
      // @napi-rs/keyring's item carries `username` (keytar's would carry `account`): the backend really is the prebuilt one.
      const { stdout, stderr } = await secretTool('secret-tool', ['search', '--all', 'service', 'dev.graphql-mcp-desktop'], { timeout: 5000 });
      expect(`${stdout}${stderr}`).toMatch(/^attribute\.username = /m);
      expect(`${stdout}${stderr}`).not.toMatch(/^attribute\.account = /m);
    } finally {
      app.child.kill('SIGTERM');
      await app.exit;
    }
  }, 90_000);
});
