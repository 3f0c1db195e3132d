// Settings through the window against the real headless core with a config file: a change is validated, written back
// to the YAML file with its comments kept, and applied without a restart; a refused value is shown at its field.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'playwright/test';

const root = fileURLToPath(new URL('../..', import.meta.url));
let app: ChildProcessWithoutNullStreams;
let output = '';
let home: string;
let configFile: string;

async function printed(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = output.match(pattern);
    if (match?.[1]) return match[1];
    if (Date.now() > deadline) throw new Error(`the app never printed ${pattern}; it printed:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test.beforeAll(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'gmd-e2e-settings-'));
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
  app = spawn(process.execPath, ['scripts/start.ts', '--config', configFile], { cwd: root, env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share') } });
  app.stdout.on('data', (chunk) => { output += chunk; });
  app.stderr.on('data', (chunk) => { output += chunk; });
});

test.afterAll(async () => {
  const exited = new Promise((resolve) => app.once('exit', resolve));
  app.kill('SIGTERM');
  await exited;
  rmSync(home, { recursive: true, force: true });
});

test('a setting changed in the window is written to the config file with its comments and applied without a restart', async ({ page }) => {
  await page.goto(`${await printed(/Window: (\S+)/)}#/tools`);
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
