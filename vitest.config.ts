import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/node20-polyfills.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    sequence: { shuffle: true },
  },
});
