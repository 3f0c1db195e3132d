// The real app in headless mode (real core, demo IdP, demo APIs) driven through its window in Chromium, as a user would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect, test } from 'playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));
const screenshotDir = path.join(root, 'test-results', 'screenshots');
let app: ChildProcessWithoutNullStreams;
let output = '';
let home: string;

async function printed(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = output.match(pattern);
    if (match?.[1]) return match[1];
    if (Date.now() > deadline) throw new Error(`the app never printed ${pattern}; it printed:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** `keys:create` over the headless window's HTTP bridge (its launch token from the printed window URL), as the window does. */
async function createAccessKey(windowUrl: string, name: string): Promise<string> {
  const url = new URL(windowUrl);
  const response = await fetch(new URL('/api/keys:create', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${url.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify([name, true]),
  });
  const result = (await response.json()) as { ok: boolean; value?: { key: string } };
  if (!result.ok || !result.value) throw new Error(`keys:create failed: ${JSON.stringify(result)}`);
  return result.value.key;
}

test.beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gmd-e2e-'));
  // `npm start` as a newcomer runs it: no config file, so the built-in demo.
  app = spawn(process.execPath, ['scripts/start.ts'], { cwd: root, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') } });
  app.stdout.on('data', (chunk) => { output += chunk; });
  app.stderr.on('data', (chunk) => { output += chunk; });
  mkdirSync(screenshotDir, { recursive: true });
});

test.afterAll(async () => {
  const exited = new Promise((resolve) => app.once('exit', resolve));
  app.kill('SIGTERM');
  await exited;
  rmSync(home, { recursive: true, force: true });
});

test('a newcomer signs in once through the demo IdP and sees tools, sign-in state and the audience warning', async ({ page, context }) => {
  const windowUrl = await printed(/Window: (\S+)/);
  const signInUrl = await printed(/Sign in: (\S+)/);
  const endpoint = await printed(/MCP endpoint: (\S+)/);

  await page.goto(windowUrl);
  await expect(page.getByTestId('endpoint')).toHaveText(endpoint);
  const tools = page.getByRole('region', { name: 'Tools' });
  await expect(tools.getByRole('listitem').filter({ hasText: 'CreateTask' })).toContainText('destructive');
  await expect(tools.getByRole('listitem').filter({ hasText: 'directory_ListPeople' })).toContainText('read-only');
  await page.screenshot({ path: path.join(screenshotDir, 'app-demo-signed-out.png'), fullPage: true });

  // The "system browser": the IdP's real login page, opened from the URL the app printed.
  const browser = await context.newPage();
  await browser.goto(signInUrl);
  await browser.locator('input[name=login]').fill('alice');
  await browser.locator('button[type=submit]').click();
  await expect(browser.locator('body')).toContainText(/signed in|close this/i);
  await browser.close();

  await expect(page.getByText('Signed in as alice')).toBeVisible();
  const warnings = page.getByRole('region', { name: 'Audience warnings' });
  await expect(warnings).toContainText('urn:graphql-mcp-desktop:demo:directory');
  await expect(warnings).toContainText('urn:graphql-mcp-desktop:app');

  // An MCP client connects with an access key made through the window's contract and calls a tool; the window shows it.
  const key = await createAccessKey(windowUrl, 'e2e-client');
  const client = new Client({ name: 'e2e-client', version: '2.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(endpoint), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
  const result = await client.callTool({ name: 'ListProjects', arguments: {} });
  expect(result.isError).toBeFalsy();
  await expect(page.getByRole('region', { name: 'Connected clients' })).toContainText('e2e-client');
  await page.screenshot({ path: path.join(screenshotDir, 'app-demo-signed-in.png'), fullPage: true });
  await client.close();
  expect(await page.content()).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
});
