// `npm test`: every check CI runs, in order, then one closing line "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { openSecretScan } from '../test/secret-scan/scanForSecrets.ts';

interface Counts { passed: number; failed: number; skipped: number }
const total: Counts = { passed: 0, failed: 0, skipped: 0 };
const failures: string[] = [];
mkdirSync('test-results', { recursive: true });

function run(name: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n=== ${name}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  if (result.status !== 0) failures.push(`${name} (exit ${result.status ?? result.signal})`);
  return result.status === 0;
}

function addVitest(file: string): void {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  total.passed += report.numPassedTests;
  total.failed += report.numFailedTests;
  total.skipped += report.numPendingTests + report.numTodoTests;
}

function addPlaywright(file: string): void {
  if (!existsSync(file)) return;
  const { stats } = JSON.parse(readFileSync(file, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
  total.passed += stats.expected + stats.flaky;
  total.failed += stats.unexpected;
  total.skipped += stats.skipped;
}

run('typecheck', 'tsc', ['-p', 'tsconfig.json']);
run('typecheck electron shell', 'tsc', ['-p', 'tsconfig.build.json', '--noEmit']);
run('lint', 'eslint', ['.']);
run('unused files, exports and dependencies', 'knip', []);
run('import cycles', 'npm', ['run', '--silent', 'check:cycles']);
run('renderer check', 'npm', ['run', '--silent', 'check:renderer']);
run('renderer build', 'npm', ['run', '--silent', 'build:renderer']);
// Unit and integration tests share one D-Bus session with an unlocked gnome-keyring (the real OS keychain).
run('unit + integration', 'bash', ['scripts/with-keychain.sh', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
addVitest('test-results/vitest.json');
// The real app in the browser tests uses the real keychain too. Its tokens are looked for afterwards in what it
// logged, printed, sent to the window and wrote (vitest runs the same scan in its global teardown; issue 7).
const browserRecords = openSecretScan();
run('browser end-to-end', 'bash', ['scripts/with-keychain.sh', 'playwright', 'test']);
addPlaywright('test-results/playwright.json');
run('secret scan (browser tests)', process.execPath, ['test/secret-scan/scanRecords.ts', browserRecords]);

if (failures.length > 0) process.stdout.write(`\nFailed steps: ${failures.join('; ')}\n`);
process.stdout.write(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exitCode = failures.length > 0 || total.failed > 0 ? 1 : 0;
