// The demo's fixed port taken by another program: the real core falls back to a free port and the window says so loudly.
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'playwright/test';
import { startHeadlessApp, type HeadlessApp } from './helpers/startHeadlessApp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const demoPort = 47320;
let app: HeadlessApp;
let blocker: Server | undefined;

test.beforeAll(async () => {
  // Another program on the demo's port; if one already holds it, that serves the test just as well.
  const server = createServer();
  blocker = await new Promise<Server | undefined>((resolve) => {
    server.once('error', () => resolve(undefined));
    server.listen(demoPort, '127.0.0.1', () => resolve(server));
  });
  app = startHeadlessApp('gmd-e2e-port-');
});

test.afterAll(async () => {
  await app.stop();
  await new Promise((resolve) => (blocker ? blocker.close(resolve) : resolve(undefined)));
});

test('says on every view that the demo port was taken and where the app listens instead', async ({ page }) => {
  const endpoint = await app.printed(/MCP endpoint: (\S+)/);
  expect(new URL(endpoint).port).not.toBe(String(demoPort));
  await page.setViewportSize({ width: 520, height: 900 });
  await page.goto(await app.printed(/Window: (\S+)/));
  await expect(page.getByTestId('endpoint')).toHaveText(endpoint);
  for (const view of ['Clients', 'Tools', 'Settings']) {
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: new RegExp(`^${view}`) }).click();
    await expect(page.getByTestId('port-warning')).toContainText(String(demoPort));
  }
  expect(await page.locator('html').evaluate((element) => element.scrollWidth)).toBeLessThanOrEqual(520);
  await page.screenshot({ path: path.join(root, 'test-results/screenshots/app-port-warning-narrow.png'), fullPage: true });
});
