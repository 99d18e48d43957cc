import { configDefaults, defineConfig } from 'vitest/config';

// This package's own tests (without this file vitest would pick up the root config, which only runs
// the packaging tests in scripts/). The browser tests in src/browser run in Chromium through
// vitest.browser.config.ts (scripts/run-browser-tests.mjs), not here.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'src/browser/**'],
  },
});
