import { defineConfig } from 'vitest/config';

// This app's own tests (without this file vitest would pick up the root config, which only runs the
// packaging tests in scripts/). None of them times anything or asserts a speed.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
