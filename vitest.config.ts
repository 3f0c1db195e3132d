import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // After every run: no token the run's IdPs issued, nor anything token-shaped, in what the app logged, printed,
    // sent to the window or wrote (issue 7). Fails the run on any hit.
    globalSetup: ['test/secret-scan/globalSetup.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 10_000 } },
      // Differential fuzzing (thousands of generated cases, a few seconds of CPU); FUZZ_SEED replays a failure.
      { test: { name: 'fuzz', include: ['test/fuzz/**/*.test.ts'], testTimeout: 60_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
          // Integration tests start real servers on loopback; two cores, so keep files in one fork at a time.
          fileParallelism: false,
        },
      },
      {
        test: {
          // Fault injection (issue 7): dead, slow and broken APIs, IdPs and keychains, kill -9 during state writes.
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 30_000,
          fileParallelism: false,
          // After the other projects: its child processes and dead servers would load the two cores under timed tests.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
