import { request as httpRequest } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from 'playwright/test';
import { serveUi, type UiServer } from '../../electron/core/ui/serveUi.ts';
import { createMemoryBridge, type MemoryBridge } from './helpers/createMemoryBridge.ts';
import { emptyState, sampleState } from './helpers/sampleState.ts';

const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));

let bridge: MemoryBridge;
let ui: UiServer;

/** Fails the test on any console error or page exception (a CSP violation shows up here). */
function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
}

test.describe('serveUi with the built renderer', () => {
  test.beforeEach(async () => {
    bridge = createMemoryBridge(sampleState);
    ui = await serveUi({ bridge, rendererDir });
  });

  test.afterEach(async () => {
    await ui.close();
  });

  test('shows the endpoint, tools, warnings, problems and clients, then follows changes over SSE', async ({ page }) => {
    const errors = watchConsole(page);
    await page.goto(ui.url);

    await expect(page.getByTestId('endpoint')).toHaveText('http://127.0.0.1:47320/mcp');
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    const tools = page.getByRole('region', { name: 'Tools' });
    await expect(tools.getByRole('list', { name: 'Tools of API acme' }).getByRole('listitem')).toHaveCount(6);
    await expect(tools.getByRole('list', { name: 'Tools of API billing' })).toContainText('billing_ListInvoices');
    await expect(tools.getByRole('listitem').filter({ hasText: 'CancelOrder' })).toContainText('destructive');
    await expect(tools.getByRole('listitem').filter({ hasText: 'ListProducts' })).toContainText('read-only');
    const warnings = page.getByRole('region', { name: 'Audience warnings' });
    await expect(warnings.getByRole('listitem').first()).toContainText('AUDIENCE_MISMATCH');
    await expect(warnings).toContainText('http://127.0.0.1:4002/billing');
    await expect(page.getByRole('region', { name: 'Problems' })).toContainText('operations/acme/products.graphql:7');
    await expect(page.getByRole('region', { name: 'Connected clients' })).toContainText('claude-code');
    await screenshot(page, 'window-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'window-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await expect.poll(() => bridge.listenerCount()).toBe(1);
    bridge.setTools([...sampleState.tools, { name: 'RefundOrder', api: 'acme', description: 'Refunds a paid order.', kind: 'operation', readOnly: false, destructive: true }]);
    await expect(tools.getByRole('listitem').filter({ hasText: 'RefundOrder' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Tools' }).getByRole('heading', { level: 2 })).toContainText('8');
    bridge.setClients([]);
    await expect(page.getByRole('region', { name: 'Connected clients' })).toContainText('No MCP client is connected');
    expect(errors).toEqual([]);
  });

  test('filters tools by every word typed', async ({ page }) => {
    await page.goto(ui.url);
    const tools = page.getByRole('region', { name: 'Tools' });
    await tools.getByLabel('Filter tools').fill('order acme');
    await expect(tools.getByRole('listitem')).toHaveCount(3);
    await expect(tools.getByRole('list', { name: 'Tools of API billing' })).toHaveCount(0);
    await tools.getByLabel('Filter tools').fill('nothing-like-this');
    await expect(tools).toContainText('No tool matches');
  });

  test('signs in and out through the contract and shows each state', async ({ page }) => {
    await page.goto(ui.url);
    const status = page.getByTestId('auth-status');
    await expect(status).toHaveText('Signed out');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(status).toHaveText('Signed in as alice');
    await screenshot(page, 'window-signed-in');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(status).toHaveText('Signed out');
  });

  test('copies the endpoint with the keyboard alone', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ui.origin });
    await page.goto(ui.url);
    const copy = page.getByRole('button', { name: 'Copy MCP endpoint URL' });
    await expect(copy).toBeVisible();
    for (let i = 0; i < 5 && !(await copy.evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab');
    await expect(copy).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(copy).toHaveText('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('http://127.0.0.1:47320/mcp');
  });

  test('fits a narrow window in one column', async ({ page }) => {
    await page.setViewportSize({ width: 560, height: 800 });
    await page.goto(ui.url);
    await expect(page.getByTestId('endpoint')).toBeVisible();
    const width = await page.locator('html').evaluate((el) => el.scrollWidth);
    expect(width).toBeLessThanOrEqual(560);
    await screenshot(page, 'window-narrow-light');
  });

  test('keeps working after a reload, with the token gone from the address bar', async ({ page }) => {
    await page.goto(ui.url);
    await expect(page.getByTestId('endpoint')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('endpoint')).toHaveText('http://127.0.0.1:47320/mcp');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('refuses the API without the launch token (401) and from a foreign Origin or Host (403)', async () => {
    const token = new URL(ui.url).searchParams.get('token') ?? '';
    const post = (headers: Record<string, string>) =>
      fetch(`${ui.origin}/api/tools:list`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '[]' });

    expect((await post({})).status).toBe(401);
    expect((await post({ Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${ui.origin}/api/events`)).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${token}`, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ Authorization: `Bearer ${token}`, Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect(await statusWithHost(ui.origin, 'evil.example', token)).toBe(403);
    const allowed = await post({ Authorization: `Bearer ${token}`, Origin: ui.origin });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { ok: boolean }).ok).toBe(true);
  });

  test('says how to open the window when the launch token is missing', async ({ page }) => {
    await page.goto(`${ui.origin}/ui/`);
    await expect(page.getByRole('alert')).toContainText('launch link');
    await expect(page.getByText('reconnecting')).toHaveCount(0);
  });

  test('tells the user when the app goes away', async ({ page }) => {
    await page.goto(ui.url);
    await expect(page.getByTestId('endpoint')).toBeVisible();
    await expect.poll(() => bridge.listenerCount()).toBe(1);
    await ui.close();
    await expect(page.getByRole('status').filter({ hasText: 'Connection to the app lost' })).toBeVisible();
  });

  test('refuses the page itself when opened through a foreign Host name', async () => {
    expect(await statusWithHost(ui.origin, 'attacker.example', undefined, '/ui/')).toBe(403);
  });
});

test.describe('serveUi with nothing loaded yet', () => {
  test('shows an empty state that says what to do in every section', async ({ page }) => {
    const empty = createMemoryBridge(emptyState);
    const server = await serveUi({ bridge: empty, rendererDir });
    try {
      const errors = watchConsole(page);
      await page.goto(server.url);
      await expect(page.getByRole('region', { name: 'Connected clients' })).toContainText('Add http://127.0.0.1:47320/mcp to your client');
      await expect(page.getByRole('region', { name: 'Tools' })).toContainText('No tools yet');
      await expect(page.getByRole('region', { name: 'Audience warnings' })).toContainText('No audience warnings');
      await expect(page.getByRole('region', { name: 'Problems' })).toContainText('No problems');
      await expect(page.getByTestId('auth-status')).toHaveText('Sign-in not configured');
      await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCount(0);
      await screenshot(page, 'window-empty-light');
      await page.emulateMedia({ colorScheme: 'dark' });
      await screenshot(page, 'window-empty-dark');
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

/** fetch cannot forge Host, so this goes through node:http. */
function statusWithHost(origin: string, host: string, token: string | undefined, path = '/api/tools:list'): Promise<number> {
  const { port } = new URL(origin);
  const method = path.startsWith('/api/') ? 'POST' : 'GET';
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method, headers: { Host: host, 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(method === 'POST' ? '[]' : undefined);
  });
}
