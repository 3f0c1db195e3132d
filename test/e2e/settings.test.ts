// Settings through the window against the real headless core with a config file: a change is validated, written back
// to the YAML file with its comments kept, and applied without a restart; a refused value is shown at its field.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'playwright/test';
import { startHeadlessApp, type HeadlessApp } from './helpers/startHeadlessApp.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let app: HeadlessApp;
let configFile: string;

test.beforeAll(() => {
  app = startHeadlessApp('gmd-e2e-settings-', (home) => {
    configFile = path.join(home, 'config.yaml');
    writeFileSync(configFile, `# Written by the e2e test: the window's edits must keep this comment.
server:
  port: 0 # any free port
apis:
  - name: tasks
    endpoint: http://127.0.0.1:9/graphql # nothing listens here: no tool is called
    schema: { file: ${path.join(root, 'electron/core/demo/tasks.graphql')} }
    operations: [${path.join(root, 'operations/tasks')}]
    mutations: explicit # CreateTask and UpdateTaskStatus are tools
`);
    return ['--config', configFile];
  });
});

test.afterAll(async () => {
  await app.stop();
});

test('a setting changed in the window is written to the config file with its comments and applied without a restart', async ({ page }) => {
  await page.goto(`${await app.printed(/Window: (\S+)/)}#/tools`);
  await expect(page.getByRole('list', { name: 'Tools of API tasks' })).toContainText('CreateTask');

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText(`Saved to ${configFile}`)).toBeVisible();
  await page.getByLabel('Endpoint', { exact: true }).fill('ftp://tasks.example.com/graphql');
  await page.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByLabel('Endpoint', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#error-apis-tasks-endpoint')).toContainText('http(s)');
  await expect(page.locator('#error-apis-tasks-endpoint')).not.toContainText('config.yaml');
  await page.screenshot({ path: path.join(root, 'test-results/screenshots/app-settings-error.png'), fullPage: true });
  expect(readFileSync(configFile, 'utf8')).toContain('http://127.0.0.1:9/graphql');

  await page.getByRole('button', { name: 'Discard changes' }).click();
  await page.getByLabel('Mutations').selectOption('none');
  await page.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByText('Saved and applied.')).toBeVisible();
  const written = readFileSync(configFile, 'utf8');
  expect(written).toMatch(/mutations: none/);
  expect(written).toContain("# Written by the e2e test: the window's edits must keep this comment.");
  expect(written).toContain('# any free port');

  await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Tools' }).click();
  await expect(page.getByRole('list', { name: 'Tools of API tasks' })).toContainText('ListProjects');
  await expect(page.getByRole('list', { name: 'Tools of API tasks' })).not.toContainText('CreateTask');
});

test('sign-in is refused at its field, and an API added in the window serves its tools until it is removed, without a restart', async ({ page }) => {
  await page.goto(`${await app.printed(/Window: (\S+)/)}#/settings`);
  await expect(page.getByText(`Saved to ${configFile}`)).toBeVisible();
  await page.getByLabel('Issuer').fill('http://login.example.com');
  await page.getByLabel('Client ID').fill('graphql-mcp-desktop');
  await page.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByLabel('Issuer')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#error-signIn-issuer')).toContainText('must use https:');
  expect(readFileSync(configFile, 'utf8')).not.toContain('signIn');
  await page.getByRole('button', { name: 'Discard changes' }).click();

  await page.getByRole('button', { name: 'Add API' }).click();
  const added = page.locator('#settings-new-0');
  await added.getByLabel('Name').fill('directory');
  await added.getByLabel('Endpoint').fill('http://127.0.0.1:9/graphql');
  await added.getByLabel('Schema', { exact: true }).selectOption('file');
  await added.getByLabel('Schema file').fill(path.join(root, 'electron/core/demo/directory.graphql'));
  await added.getByLabel('Operation folders and files').fill(path.join(root, 'operations/directory'));
  await page.screenshot({ path: path.join(root, 'test-results/screenshots/app-settings-add-api.png'), fullPage: true });
  await page.getByRole('button', { name: 'Save and apply' }).click();
  await expect(page.getByText('Saved and applied.')).toBeVisible();
  expect(readFileSync(configFile, 'utf8')).toMatch(/# CreateTask and UpdateTaskStatus are tools\n {2}- name: directory\n/);

  const views = page.getByRole('navigation', { name: 'Views' });
  await views.getByRole('link', { name: 'Tools' }).click();
  await expect(page.getByRole('list', { name: 'Tools of API directory' })).toContainText('ListPeople');

  await views.getByRole('link', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Remove API directory' }).click();
  await page.getByRole('group', { name: 'Confirm removing API directory' }).getByRole('button', { name: 'Remove directory' }).click();
  await expect(page.locator('#settings-api-directory')).toHaveCount(0);
  expect(readFileSync(configFile, 'utf8')).not.toContain('directory');
  await views.getByRole('link', { name: 'Tools' }).click();
  await expect(page.getByRole('list', { name: 'Tools of API tasks' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Tools of API directory' })).toHaveCount(0);
});
