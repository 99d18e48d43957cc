import { configDefaults, defineConfig } from 'vitest/config';

// Node tests of the page's logic (surfaces, optimizers, state, charts' ticks, the network). The page itself
// runs in Chromium through vitest.e2e.config.ts (scripts/run-browser-tests.mjs).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'src/**/*.e2e.test.ts'],
    testTimeout: 30_000,
  },
});
