// The built renderer served by the real serveUi over a memory bridge: every view and the states the real core cannot
// easily reach (a call waiting for approval, a port conflict, channels not served), in light and dark, wide and 520 px.
import { request as httpRequest } from 'node:http';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Request } from 'playwright/test';
import type { MainChannel } from '../../electron/ipc/contract.ts';
import { serveUi, type UiServer } from '../../electron/core/ui/serveUi.ts';
import { createMemoryBridge, type MemoryBridge, type MemoryBridgeOptions, type MemoryBridgeState } from './helpers/createMemoryBridge.ts';
import { emptyState, sampleState } from './helpers/sampleState.ts';

const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));
const views = ['overview', 'clients', 'connect', 'tools', 'activity', 'audiences', 'settings'] as const;

let bridge: MemoryBridge;
let ui: UiServer;

async function open(page: Page, state: MemoryBridgeState = sampleState, options: MemoryBridgeOptions = {}, hash = ''): Promise<string[]> {
  bridge = createMemoryBridge(state, options);
  ui = await serveUi({ bridge, rendererDir });
  const errors = watchConsole(page);
  await page.goto(ui.url + hash);
  await expect(page.getByTestId('endpoint')).toBeVisible();
  return errors;
}

/** Collects console errors and page exceptions (a CSP violation shows up here). */
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
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true, animations: 'disabled' });
}

async function go(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: new RegExp(`^${view}`, 'i') }).click();
}

const scrollWidth = (page: Page) => page.locator('html').evaluate((element) => element.scrollWidth);

test.afterEach(async () => {
  await ui?.close();
});

test.describe('every view', () => {
  for (const [label, state] of [['sample', sampleState], ['empty', emptyState]] as const) {
    test(`renders each view of the ${label} state in light and dark, wide and at 520 px, without overflow or console errors`, async ({ page }) => {
      test.setTimeout(120_000);
      const errors = await open(page, state);
      for (const view of views) {
        await page.goto(`${ui.origin}/ui/#/${view}`);
        await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
        for (const width of [1200, 520]) {
          await page.setViewportSize({ width, height: 860 });
          expect(await scrollWidth(page), `${view} at ${width} px`).toBeLessThanOrEqual(width);
          for (const scheme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme: scheme });
            await screenshot(page, `${label}-${view}-${width === 520 ? 'narrow' : 'wide'}-${scheme}`);
          }
        }
        await page.emulateMedia({ colorScheme: 'light' });
      }
      expect(errors).toEqual([]);
    });
  }

  test('writes the README screenshots: views without the approval panel in front', async ({ page }) => {
    await open(page, { ...sampleState, approvals: [] }, {}, '#/clients');
    await expect(page.getByRole('region', { name: 'Asking to connect' })).toContainText('asks to connect');
    await screenshot(page, 'readme-clients-wide-light');
    await go(page, 'activity');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.getByRole('table', { name: 'Tool calls' })).toBeVisible();
    await screenshot(page, 'readme-activity-wide-dark');
    await page.setViewportSize({ width: 520, height: 900 });
    await go(page, 'overview');
    await expect(page.getByTestId('most-severe')).toBeVisible();
    await screenshot(page, 'readme-overview-narrow-dark');
  });

  test('keeps the title on one line and the endpoint unbroken at 520 px', async ({ page }) => {
    await page.setViewportSize({ width: 520, height: 800 });
    await open(page);
    const title = page.getByRole('heading', { level: 1 });
    const lineHeight = Number(await page.evaluate('parseFloat(getComputedStyle(document.querySelector("h1")).lineHeight)'));
    expect((await title.boundingBox())?.height).toBeLessThanOrEqual(lineHeight + 1);
    const endpoint = page.getByTestId('endpoint');
    const endpointHeight = (await endpoint.boundingBox())?.height ?? 0;
    expect(endpointHeight).toBeLessThan(lineHeight * 1.6);
    await expect(endpoint).toHaveText('http://127.0.0.1:47320/mcp');
  });
});

test.describe('mutation approvals', () => {
  test('shows the waiting call from every view with readable arguments, and Allow once decides it', async ({ page }) => {
    const errors = await open(page);
    const panel = page.getByTestId('approvals');
    for (const view of views) {
      await page.goto(`${ui.origin}/ui/#/${view}`);
      await expect(panel).toContainText('Claude Code wants to run CreateTask on API tasks');
    }
    await expect(panel.locator('dt', { hasText: 'title' })).toBeVisible();
    await expect(panel).toContainText('“Rotate the staging database credentials”');
    await expect(panel.getByText('Refused automatically in')).toBeAttached();
    await panel.getByRole('button', { name: 'Show JSON' }).click();
    await expect(panel.locator('pre')).toContainText('"priority": "HIGH"');
    await panel.getByRole('button', { name: 'Allow once' }).click();
    await expect(panel).toHaveCount(0);
    expect(bridge.calls).toContainEqual({ channel: 'approvals:decide', args: ['a-1', 'allow-once'] });
    await go(page, 'activity');
    await expect(page.getByRole('table', { name: 'Tool calls' }).getByRole('row').nth(1)).toContainText('CreateTask');
    expect(errors).toEqual([]);
  });

  test('Deny and "allow this tool until restart" go to the app as those decisions', async ({ page }) => {
    await open(page);
    bridge.setApprovals([
      ...sampleState.approvals,
      { ...sampleState.approvals[0]!, id: 'a-2', tool: 'UpdateTaskStatus', arguments: { id: 't3', status: 'DONE' } },
    ]);
    const panel = page.getByTestId('approvals');
    await expect(panel.getByRole('heading', { level: 2 })).toContainText('2 calls want to change data');
    await screenshot(page, 'approvals-two-waiting');
    await panel.getByRole('listitem').filter({ hasText: 'UpdateTaskStatus' }).getByRole('button', { name: 'Deny' }).click();
    await panel.getByRole('button', { name: 'Allow CreateTask for this client until restart' }).click();
    await expect(panel).toHaveCount(0);
    expect(bridge.calls.filter((call) => call.channel === 'approvals:decide').map((call) => call.args)).toEqual([['a-2', 'deny'], ['a-1', 'allow-tool']]);
  });
});

test.describe('clients', () => {
  test('shows a pending request with its name made visible, and allows it read-write', async ({ page }) => {
    await open(page, sampleState, {}, '#/clients');
    const pending = page.getByRole('region', { name: 'Asking to connect' });
    // U+202E (right-to-left override) would make "VS Code\u202Eevil" read as "VS Codelive".
    await expect(pending).toContainText('VS Code⟨U+202E⟩evil asks to connect');
    await expect(pending).toContainText('self-asserted name — unverified');
    await expect(pending).toContainText('http://127.0.0.1:33418/callback');
    await expect(pending).toContainText('read and change data');
    await pending.getByRole('button', { name: 'Allow read-write' }).click();
    await expect(pending).toContainText('No client is waiting');
    const approved = page.getByRole('region', { name: 'Approved clients' });
    await expect(approved.getByRole('listitem').filter({ hasText: 'VS Code⟨U+202E⟩evil' })).toContainText('read-write');
    expect(bridge.calls).toContainEqual({ channel: 'clients:decide', args: ['r-1', 'allow-write'] });
  });

  test('shows live sessions and counts, sets the policy and the allow-list, and revokes after a confirmation', async ({ page }) => {
    await open(page, sampleState, {}, '#/clients');
    const claude = page.getByRole('region', { name: 'Approved clients' }).getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Claude Code' }) });
    await expect(claude).toContainText('1 live session');
    await expect(claude).toContainText('42 calls');
    await expect(claude).toContainText('3 errors');
    await expect(claude).toContainText('✓ verified: claude.ai');
    await claude.getByLabel('When it changes data').selectOption('deny');
    await expect.poll(() => bridge.calls.at(-1)).toEqual({ channel: 'clients:setPolicy', args: ['c-3f9c1a2b', 'deny'] });
    await claude.getByText('Tool allow-list').click();
    await claude.getByLabel('Every tool, including ones added later').uncheck();
    await claude.getByRole('checkbox', { name: /^CreateTask/ }).uncheck();
    await claude.getByRole('button', { name: 'Save allow-list' }).click();
    await expect.poll(() => bridge.calls.at(-1)?.channel).toBe('clients:setTools');
    expect(bridge.calls.at(-1)?.args[1]).not.toContain('CreateTask');
    await expect(claude.locator('summary')).toContainText(`${sampleState.tools.length - 1} of ${sampleState.tools.length} tools`);
    await claude.getByRole('button', { name: 'Revoke…' }).click();
    await claude.getByRole('button', { name: 'Revoke now' }).click();
    await expect(page.getByRole('heading', { name: 'Claude Code' })).toHaveCount(0);
    expect(bridge.calls.at(-1)).toEqual({ channel: 'clients:revoke', args: ['c-3f9c1a2b'] });
  });

  test('creates an access key, shows it once with a copy button, then never again', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await open(page, sampleState, {}, '#/clients');
    const keys = page.getByRole('region', { name: 'Access keys' });
    await keys.getByLabel('Name').fill('ci-smoke');
    await keys.getByRole('button', { name: 'Create key' }).click();
    const created = keys.getByTestId('created-key');
    await expect(created).toContainText("you won't see it again");
    await expect(keys.getByRole('heading', { name: 'ci-smoke' })).toBeVisible();
    await screenshot(page, 'key-created');
    await created.getByRole('button', { name: 'Copy the new access key' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('gmdk_sample_3jv9Qm2cX7rT0bLw5yN8pKfH4sUe6aZd');
    await created.getByRole('button', { name: /hide the key/ }).click();
    await expect(page.getByText('gmdk_sample_')).toHaveCount(0);
    await keys.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'ci-smoke' }) }).getByRole('button', { name: 'Revoke…' }).click();
    await keys.getByRole('button', { name: 'Revoke now' }).click();
    await expect(keys.getByRole('heading', { name: 'ci-smoke' })).toHaveCount(0);
    expect(bridge.calls.at(-1)).toEqual({ channel: 'keys:revoke', args: ['ci-smoke'] });
  });
});

test.describe('tools', () => {
  test('shows a tool’s description, annotations and input schema, and runs it with nested input, enums, lists and defaults', async ({ page }) => {
    await open(page, sampleState, {}, '#/tools/CreateTask');
    const detail = page.getByRole('article');
    await expect(detail).toContainText('Creates a task in a project');
    await expect(detail.getByRole('list', { name: 'Annotations' })).toContainText('destructive');
    await expect(detail).toContainText('NewTask');
    await expect(detail).toContainText('Production is affected: drop everything.');
    const form = page.getByRole('form', { name: 'Try CreateTask' });
    await form.getByLabel(/^projectId/).fill('p1');
    await form.getByLabel(/^title/).fill('Write the release notes');
    await expect(form.getByLabel(/^priority/)).toHaveValue('MEDIUM');
    await form.getByLabel(/^priority/).selectOption('URGENT');
    await form.getByRole('button', { name: 'Add tags item' }).click();
    await form.getByLabel(/^tags 1/).fill('docs');
    await screenshot(page, 'tools-try-it');
    await form.getByRole('button', { name: 'Run CreateTask' }).click();
    await expect(page.getByTestId('try-result')).toContainText('Write the release notes');
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'tools:try',
      args: ['CreateTask', { input: { projectId: 'p1', title: 'Write the release notes', priority: 'URGENT', tags: ['docs'] } }],
    });
  });

  test('offers @oneOf inputs as a choice and keeps a JSON fallback', async ({ page }) => {
    await open(page, sampleState, {}, '#/tools/FindUser');
    const form = page.getByRole('form', { name: 'Try FindUser' });
    await form.getByLabel('Give exactly one of').selectOption('email');
    await form.getByLabel(/^email/).fill('ada@example.com');
    await form.getByRole('button', { name: 'Edit as JSON' }).click();
    await expect(form.getByLabel('Arguments as JSON')).toHaveValue(/"email": "ada@example.com"/);
    await form.getByLabel('Arguments as JSON').fill('{ "by": { "id": "u2" } }');
    await form.getByRole('button', { name: 'Run FindUser' }).click();
    await expect(page.getByTestId('try-result')).toContainText('u2');
    expect(bridge.calls.at(-1)).toEqual({ channel: 'tools:try', args: ['FindUser', { by: { id: 'u2' } }] });
  });

  test('disables and enables a tool', async ({ page }) => {
    await open(page, sampleState, {}, '#/tools');
    await page.getByRole('checkbox', { name: 'GetProject enabled' }).uncheck();
    await expect.poll(() => bridge.calls.at(-1)).toEqual({ channel: 'tools:setEnabled', args: ['GetProject', false] });
    await expect(page.getByRole('checkbox', { name: 'GetProject enabled' })).not.toBeChecked();
  });
});

test.describe('activity, audiences, settings, connect', () => {
  test('filters activity by outcome and client, and shows new calls live', async ({ page }) => {
    await open(page, sampleState, {}, '#/activity');
    const table = page.getByRole('table', { name: 'Tool calls' });
    await expect(table.getByRole('row')).toHaveCount(7);
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('error');
    await expect(table.getByRole('row')).toHaveCount(2);
    await expect(table).toContainText("The token's audience does not name this API");
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('');
    await page.getByRole('combobox', { name: 'Client', exact: true }).selectOption({ label: 'Cursor' });
    await expect(table.getByRole('row')).toHaveCount(2);
    bridge.appendActivity({ id: 99, at: new Date().toISOString(), clientId: 'c-88e0d4f1', clientName: 'Cursor', tool: 'SearchTasks', api: 'tasks', durationMs: 20, outcome: 'ok' });
    bridge.appendActivity({ id: 100, at: new Date().toISOString(), clientId: 'c-3f9c1a2b', clientName: 'Claude Code', tool: 'SearchTasks', api: 'tasks', durationMs: 20, outcome: 'ok' });
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(table.getByRole('row').nth(1)).toContainText('SearchTasks');
  });

  test('a call logged while a filtered list is on its way shows up in it, and the older list does not return', async ({ page }) => {
    await open(page, sampleState, { answerLate: { 'activity:list': 500 } }, '#/activity');
    const table = page.getByRole('table', { name: 'Tool calls' });
    await expect(table.getByRole('row')).toHaveCount(7);
    // The filtered read, not the window's other reads of the list (at start, and again once its event stream opens).
    const filtered = (request: Request) => request.url().endsWith('/api/activity:list') && (request.postData() ?? '').includes('"outcome":"error"');
    const asked = page.waitForRequest(filtered);
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('error');
    const answered = page.waitForResponse((response) => filtered(response.request()));
    await asked;
    bridge.appendActivity({ id: 101, at: new Date().toISOString(), clientId: 'c-88e0d4f1', clientName: 'Cursor', tool: 'SearchTasks', api: 'tasks', durationMs: 20, outcome: 'error', error: 'upstream answered 502' });
    await (await answered).finished();
    // Until the window applied the answer it shows the unfiltered list plus the new call (8 rows); 3 rows (the
    // header, the call and the older error) means the answer was applied and kept the call logged meanwhile.
    await expect(table.getByRole('row')).toHaveCount(3);
    await expect(table.getByRole('row').nth(1)).toContainText('upstream answered 502');
  });

  test('explains each API’s audience: strategy, expected, actual and the fix', async ({ page }) => {
    await open(page, sampleState, {}, '#/audiences');
    const directory = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'directory' }) });
    await expect(directory).toContainText('audience mismatch — calls refused');
    await expect(directory).toContainText('passthrough');
    await expect(directory).toContainText('urn:graphql-mcp-desktop:demo:directory');
    await expect(directory).toContainText('urn:graphql-mcp-desktop:app');
    await expect(directory).toContainText('Use strategy "exchange" for directory');
    await expect(page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'tasks' }) })).toContainText('audience matches');
  });

  test('shows the app’s validation errors next to the field they concern, then saves', async ({ page }) => {
    await open(page, sampleState, {}, '#/settings');
    await page.getByLabel('Port').fill('70000');
    await page.getByLabel('Endpoint', { exact: true }).first().fill('ftp://tasks.example.com');
    await page.getByRole('button', { name: 'Save and apply' }).click();
    await expect(page.getByLabel('Port')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#error-port')).toContainText('0 to 65535');
    await expect(page.locator('#error-apis-tasks-endpoint')).toContainText('http(s) URL');
    await screenshot(page, 'settings-errors');
    await page.getByLabel('Port').fill('47400');
    await page.getByLabel('Endpoint', { exact: true }).first().fill('https://tasks.example.com/v2/graphql');
    await page.getByRole('combobox', { name: 'API directory' }).selectOption('ask');
    await page.getByRole('button', { name: 'Save and apply' }).click();
    await expect(page.getByText('Saved and applied.')).toBeVisible();
    expect(bridge.calls.at(-1)).toEqual({
      channel: 'settings:update',
      args: [{ port: 47400, approvals: { apis: { directory: 'ask' } }, apis: [{ name: 'tasks', endpoint: 'https://tasks.example.com/v2/graphql' }] }],
    });
    await expect(page.getByLabel('Port')).not.toHaveAttribute('aria-invalid', 'true');
  });

  test('connects a client: snippet with copy, one-click write, deeplinks and an unreadable config named', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await open(page, sampleState, {}, '#/connect');
    const cursor = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Cursor' }) });
    await expect(cursor.getByTestId('setup-state')).toHaveText('not configured');
    await cursor.getByRole('button', { name: 'Copy the Cursor snippet' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toContain('"url": "http://127.0.0.1:47320/mcp"');
    await expect(cursor.getByRole('link', { name: 'Open in Cursor' })).toHaveAttribute('href', /^cursor:\/\//);
    await cursor.getByRole('button', { name: 'Write config' }).click();
    await expect(cursor).toContainText('Written to /home/alice/.cursor/mcp.json');
    await expect(cursor.getByTestId('setup-state')).toHaveText('configured');
    const vscode = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'VS Code' }) });
    await expect(vscode).toContainText("mcp.json:7:3: unexpected '}'");
    await expect(vscode.getByRole('button', { name: 'Write config' })).toBeDisabled();
  });
});

test.describe('sign-in, port, states', () => {
  test('shows the sign-in URL with copy and cancel, and a second sign-in works', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const url = `http://127.0.0.1:41236/auth?redirect_uri=http%3A%2F%2F127.0.0.1%3A33991%2Fcallback&response_type=code&scope=openid+offline_access&code_challenge=${'x'.repeat(43)}&code_challenge_method=S256&state=${'s'.repeat(43)}&prompt=consent&client_id=graphql-mcp-desktop`;
    await open(page, { ...sampleState, auth: { state: 'signed-out' } }, { holdSignIn: url });
    await page.getByRole('button', { name: 'Sign in' }).click();
    const panel = page.getByTestId('signing-in');
    await expect(panel.getByTestId('sign-in-url')).toHaveText(url);
    await page.setViewportSize({ width: 520, height: 800 });
    expect(await scrollWidth(page)).toBeLessThanOrEqual(520);
    await screenshot(page, 'signing-in-narrow');
    await panel.getByRole('button', { name: 'Copy sign-in address' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(url);
    await panel.getByRole('button', { name: 'Cancel sign-in' }).click();
    await expect(page.getByTestId('auth-status')).toHaveText('Signed out');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(panel).toBeVisible();
    bridge.setAuth({ state: 'signed-in', sub: 'alice' });
    await expect(page.getByTestId('auth-status')).toHaveText('Signed in as alice');
    await expect(panel).toHaveCount(0);
  });

  test('a sign-in that finishes while an older status is on its way stays finished (the CI race of issue 6)', async ({ page }) => {
    await open(page, { ...sampleState, auth: { state: 'signed-out' } }, { holdSignIn: 'http://127.0.0.1:41236/auth', answerLate: { 'auth:status': 500 } });
    await expect(page.getByTestId('auth-status')).toHaveText('Signed out');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('signing-in')).toBeVisible();
    bridge.setAuth({ state: 'signed-in', sub: 'alice' });
    // Enabled again once the window has read the (late, older) status it asked for after Sign in.
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeEnabled();
    await expect(page.getByTestId('auth-status')).toHaveText('Signed in as alice');
    await expect(page.getByTestId('signing-in')).toHaveCount(0);
  });

  test('signs in and out through the contract', async ({ page }) => {
    await open(page, { ...sampleState, auth: { state: 'signed-out' } });
    const status = page.getByTestId('auth-status');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(status).toHaveText('Signed in as alice');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(status).toHaveText('Signed out');
  });

  test('says loudly when the fixed port was taken', async ({ page }) => {
    const portWarning = 'Port 47320 is in use by another program: the app listens on 47391, so saved client setups will not reach it. Quit the other program or set server.port.';
    await open(page, { ...sampleState, status: { ...sampleState.status, portWarning, endpoint: 'http://127.0.0.1:47391/mcp' } });
    await expect(page.getByTestId('port-warning')).toContainText('Port 47320 is in use');
    await page.setViewportSize({ width: 520, height: 800 });
    await screenshot(page, 'port-warning-narrow-light');
  });

  test('shows a calm "not available" state, not a crash, for channels the app does not serve', async ({ page }) => {
    const unavailable: MainChannel[] = ['clients:list', 'clients:pending', 'approvals:pending', 'audiences:list', 'activity:list', 'settings:get', 'setup:list'];
    const errors = await open(page, sampleState, { unavailable });
    for (const view of views) {
      await page.goto(`${ui.origin}/ui/#/${view}`);
      await expect(page.getByRole('heading', { level: 2 }).first()).toBeVisible();
    }
    await go(page, 'clients');
    await expect(page.getByTestId('not-available').first()).toContainText('Not available yet');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await screenshot(page, 'not-available-clients');
    expect(errors).toEqual([]);
  });

  test('moves between views with the keyboard alone', async ({ page }) => {
    await open(page);
    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('link', { name: 'Overview' }).focus();
    await page.keyboard.press('Tab');
    await expect(nav.getByRole('link', { name: /^Clients/ })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { level: 2, name: 'Clients', exact: true })).toBeVisible();
    await expect(nav.getByRole('link', { name: /^Clients/ })).toHaveAttribute('aria-current', 'page');
  });

  test('copies the endpoint with the keyboard alone', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await open(page);
    const copy = page.getByRole('button', { name: 'Copy MCP endpoint URL' });
    for (let i = 0; i < 8 && !(await copy.evaluate((el) => el.matches(':focus'))); i++) await page.keyboard.press('Tab');
    await expect(copy).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(copy).toHaveText('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('http://127.0.0.1:47320/mcp');
  });
});

test.describe('the headless bridge', () => {
  test('keeps working after a reload, with the token gone from the address bar', async ({ page }) => {
    await open(page);
    expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    await page.reload();
    await expect(page.getByTestId('endpoint')).toHaveText('http://127.0.0.1:47320/mcp');
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('follows changes over SSE', async ({ page }) => {
    await open(page, sampleState, {}, '#/tools');
    await expect.poll(() => bridge.listenerCount()).toBe(1);
    bridge.setTools([...sampleState.tools, { name: 'RefundOrder', api: 'tasks', description: 'Refunds a paid order.', kind: 'operation', readOnly: false, destructive: true }]);
    await expect(page.getByRole('list', { name: 'Tools of API tasks' })).toContainText('RefundOrder');
    bridge.setPendingClients([]);
    await expect(page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /^Clients/ })).toHaveText('Clients');
  });

  test('a change the app announced before the window\'s event stream was open still shows up', async ({ page }) => {
    // Hold the window's event stream until the first reads were answered and the change was announced to nobody.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/events', async (route) => (await held, route.continue()));
    await open(page);
    const panel = page.getByTestId('approvals');
    await expect(panel).toContainText('Claude Code wants to run CreateTask on API tasks');
    bridge.setApprovals([...sampleState.approvals, { ...sampleState.approvals[0]!, id: 'a-2', tool: 'UpdateTaskStatus', arguments: { id: 't3', status: 'DONE' } }]);
    expect(bridge.listenerCount()).toBe(0);
    release();
    await expect.poll(() => bridge.listenerCount()).toBe(1);
    await expect(panel.getByRole('heading', { level: 2 })).toContainText('2 calls want to change data');
  });

  test('refuses the API without the launch token (401) and from a foreign Origin or Host (403)', async ({ page }) => {
    await open(page);
    const token = new URL(ui.url).searchParams.get('token') ?? '';
    const post = (headers: Record<string, string>) =>
      fetch(`${ui.origin}/api/tools:list`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: '[]' });
    expect((await post({})).status).toBe(401);
    expect((await post({ Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${ui.origin}/api/events`)).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${token}`, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await post({ Authorization: `Bearer ${token}`, Origin: 'http://127.0.0.1:1' })).status).toBe(403);
    expect(await statusWithHost(ui.origin, 'evil.example', token)).toBe(403);
    expect(await statusWithHost(ui.origin, 'attacker.example', undefined, '/ui/')).toBe(403);
    const allowed = await post({ Authorization: `Bearer ${token}`, Origin: ui.origin });
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as { ok: boolean }).ok).toBe(true);
  });

  test('says how to open the window when the launch token is missing', async ({ page }) => {
    bridge = createMemoryBridge(sampleState);
    ui = await serveUi({ bridge, rendererDir });
    await page.goto(`${ui.origin}/ui/`);
    await expect(page.getByRole('alert')).toContainText('launch link');
    await expect(page.getByText('reconnecting')).toHaveCount(0);
  });

  test('tells the user when the app goes away', async ({ page }) => {
    await open(page);
    await expect.poll(() => bridge.listenerCount()).toBe(1);
    await ui.close();
    await expect(page.getByRole('status').filter({ hasText: 'Connection to the app lost' })).toBeVisible();
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
