import { configDefaults, defineConfig } from 'vitest/config';

// This package's own tests (without this file vitest would pick up the root config, which only runs
// the packaging tests in scripts/). The browser tests in src/browser run in Chromium through
// vitest.browser.config.ts (scripts/run-browser-tests.mjs), not here.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Whole-table runs (every golden vector on every backend) take seconds; under `pnpm test` turbo runs
    // every package's tests at once, and on 2 cores one passed vitest's 5 s default in CI.
    testTimeout: 30_000,
    exclude: [...configDefaults.exclude, 'src/browser/**'],
  },
});
