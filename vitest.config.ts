import { defineConfig } from 'vitest/config';

// Root-level tests only (packaging); each workspace package has its own vitest run through turbo.
// scripts/packed-context-setup.ts packs every public package and installs the tarballs with npm once, before
// the test files run; they share it (scripts/packed-context.ts).
export default defineConfig({
  test: {
    include: ['scripts/**/*.test.ts'],
    globalSetup: ['scripts/packed-context-setup.ts'],
  },
});
