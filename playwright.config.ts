import { defineConfig } from 'playwright/test';

// Debian's Chromium: Playwright's own browser download is not reachable here (see toolchain.md).
export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.test.ts',
  // Not test-results/ itself: Playwright empties its outputDir, and screenshots go to test-results/screenshots.
  outputDir: 'test-results/playwright',
  fullyParallel: false,
  workers: 1,
  timeout: 30_000,
  // scripts/test.ts adds the JSON report's counts to npm test's summary line.
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    headless: true,
    viewport: { width: 1100, height: 760 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'off',
  },
});
