import { defineConfig } from 'vitest/config';

// Root-level tests only (packaging); each workspace package has its own vitest run through turbo.
export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts'],
  },
});
