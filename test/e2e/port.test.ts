// The demo's fixed port taken by another program: the real core falls back to a free port and the window says so loudly.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitForOutput } from '../helpers/waitForOutput.ts';
import { expect, test } from 'playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const demoPort = 47320;
let app: ChildProcessWithoutNullStreams;
let blocker: Server | undefined;
let output = '';
let home: string;

/** The first group of what the app printed matching `pattern` (the app's output is how a user finds its URLs). */
async function printed(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  return (await waitForOutput(() => output, pattern, timeoutMs))[1] ?? '';
}

test.beforeAll(async () => {
  // Another program on the demo's port; if one already holds it, that serves the test just as well.
  const server = createServer();
  blocker = await new Promise<Server | undefined>((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(demoPort, '127.0.0.1', () => resolve(server));
  });
  home = mkdtempSync(path.join(os.tmpdir(), 'gmd-e2e-port-'));
  app = spawn(process.execPath, ['scripts/start.ts'], { cwd: root, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') } });
  app.stdout.on('data', (chunk) => { output += chunk; });
  app.stderr.on('data', (chunk) => { output += chunk; });
});

test.afterAll(async () => {
  const exited = new Promise((resolve) => app.once('exit', resolve));
  app.kill('SIGTERM');
  await exited;
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
  rmSync(home, { recursive: true, force: true });
});

test('says on every view that the demo port was taken and where the app listens instead', async ({ page }) => {
  const endpoint = await printed(/MCP endpoint: (\S+)/);
  expect(new URL(endpoint).port).not.toBe(String(demoPort));
  await page.setViewportSize({ width: 520, height: 900 });
  await page.goto(await printed(/Window: (\S+)/));
  await expect(page.getByTestId('endpoint')).toHaveText(endpoint);
  for (const view of ['Clients', 'Tools', 'Settings']) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: new RegExp(`^${view}`) }).click();
    await expect(page.getByTestId('port-warning')).toContainText(String(demoPort));
  }
  expect(await page.locator('html').evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(520);
  await page.screenshot({ path: path.join(root, 'test-results/screenshots/app-port-warning-narrow.png'), fullPage: true });
});
