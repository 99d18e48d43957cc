import { defineConfig } from 'vitest/config';

// This package's own tests (without this file vitest would pick up the root config, which only runs the
// packaging tests in scripts/).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
  },
});
