import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/node20-polyfills.ts'],
    pool: 'forks',
    // Most test time is spent waiting on Redis, child processes and fakes, not on the CPU: more workers than cores pays.
    maxWorkers: 4,
    // A guard against hangs, not a speed target: spawned CLI processes take seconds on a loaded two-core machine.
    testTimeout: 45_000,
    hookTimeout: 20_000,
    sequence: { shuffle: true },
  },
});
