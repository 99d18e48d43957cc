import { defineConfig } from 'vitest/config';

// This package's own tests (without this file vitest would pick up the root config, which only runs
// the packaging tests in scripts/).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Several tests run thousands of kernel calls over random configs (the float32 ulp study takes ~2 s
    // alone). Under `pnpm test`, turbo runs every package's tests at once, and on a 2-core machine one
    // of them passed vitest's default 5 s; the limit is about time-sharing, not about what is checked.
    testTimeout: 30_000,
  },
});
