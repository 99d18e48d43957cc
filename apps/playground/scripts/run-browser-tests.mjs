#!/usr/bin/env node
// Runs the page tests (vitest.e2e.config.ts) in Debian's Chromium and writes their JSON
// report to .vitest-results.browser.json, which scripts/test-summary.mjs at the repository root counts.
// Without /usr/bin/chromium it prints one line, leaves no report behind and exits 0. Extra arguments go
// to vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const CHROMIUM = '/usr/bin/chromium';
const REPORT = '.vitest-results.browser.json';
const packageDir = resolve(import.meta.dirname, '..');

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
const scratch = mkdtempSync(join(tmpdir(), 'playground-browser-'));
const env = { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config') };
if (!env.XDG_CACHE_HOME) env.XDG_CACHE_HOME = join(scratch, 'cache');

const vitest = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const args = [
  vitest,
  'run',
  '--config',
  'vitest.e2e.config.ts',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${REPORT}`,
  ...process.argv.slice(2),
];
const result = spawnSync(process.execPath, args, { cwd: packageDir, env, stdio: 'inherit' });
rmSync(scratch, { recursive: true, force: true });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
