#!/usr/bin/env node
// Runs a package's browser tests in Debian's Chromium: `node ../../scripts/run-browser-tests.mjs CONFIG
// [vitest arguments]` from the package's directory, CONFIG being its vitest config for the browser (e.g.
// vitest.browser.config.ts). Writes the JSON report to .vitest-results.browser.json there, which
// scripts/test-summary.mjs counts. Without /usr/bin/chromium it prints one line, leaves no report behind
// and exits 0. Further arguments go to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { CHROMIUM } from './chromium.mjs';

const REPORT = '.vitest-results.browser.json';
const packageDir = process.cwd();
const [config, ...vitestArgs] = process.argv.slice(2);
if (config === undefined) {
  console.error('usage: node run-browser-tests.mjs VITEST_CONFIG [vitest arguments]');
  process.exit(2);
}

// A report from an earlier run must not be counted for this one.
rmSync(join(packageDir, REPORT), { force: true });

try {
  accessSync(CHROMIUM, constants.X_OK);
} catch {
  console.log(`browser tests skipped: ${CHROMIUM} not found (install Debian's chromium: apt-get install chromium)`);
  process.exit(0);
}

// Keep the run out of $HOME, which may be unset or read-only: Chromium and Mesa write caches under
// $XDG_CACHE_HOME (else $HOME/.cache), which CI sets and which otherwise gets a temporary directory, and
// Chromium's crash reporter creates $XDG_CONFIG_HOME/chromium (else $HOME/.config/chromium), which always
// does. The browser profile is a fresh temporary one from Playwright.
const scratch = mkdtempSync(join(tmpdir(), 'browser-tests-'));
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config') };
if (!env.XDG_CACHE_HOME) env.XDG_CACHE_HOME = join(scratch, 'cache');

const vitest = join(dirname(createRequire(join(packageDir, 'package.json')).resolve('vitest/package.json')), 'vitest.mjs');
const args = [
  vitest,
  'run',
  '--config',
  config,
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT}`,
  ...vitestArgs,
];
const result = spawnSync(process.execPath, args, { cwd: packageDir, env, stdio: 'inherit' });
rmSync(scratch, { recursive: true, force: true });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
