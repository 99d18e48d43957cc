import { defineConfig } from 'vitest/config';

// This package's own tests (without this file vitest would pick up the root config, which only runs
// the packaging tests in scripts/).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Whole-table runs (every golden vector on every backend) take seconds; under `pnpm test` turbo runs
    // every package's tests at once, and on 2 cores one passed vitest's 5 s default in CI.
    testTimeout: 30_000,
  },
});
