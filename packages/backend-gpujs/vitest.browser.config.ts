import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/chromium.mjs';

// The browser tests (src/browser/**/*.browser.test.ts) in headless Chromium: Debian's /usr/bin/chromium,
// never a downloaded browser (flags: scripts/chromium.mjs at the repository root). Run through the root's
// scripts/run-browser-tests.mjs, which skips when it is missing.
// One browser per run; Playwright's launch() gives it a fresh temporary profile and removes it afterwards.

export default defineConfig({
  test: {
    include: ['src/browser/**/*.browser.test.ts'],
    // Generous: software rendering, and shader programs compiled on first use.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: { executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
});
