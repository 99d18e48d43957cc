import { defineConfig } from 'vitest/config';

// This app's own tests (without this file vitest would pick up the root config, which only runs the
// packaging tests in scripts/).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The end-to-end test trains three optimizers over a learning-rate grid: allow it time on slow CI.
    testTimeout: 60_000,
  },
});
