import { defineConfig } from 'vitest/config';

// The built page in Debian's Chromium (playwright-core); run by scripts/run-browser-tests.mjs.
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
