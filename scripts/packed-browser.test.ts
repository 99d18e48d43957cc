/**
 * A page importing the packed @rmsprop/core and @rmsprop/backend-cpu (installed with npm) builds with Vite's
 * defaults without a single warning, and runs in Debian's Chromium on the WebAssembly SIMD kernel. Skipped,
 * saying so, where /usr/bin/chromium is missing (the build is checked anyway).
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';
import { installedApp } from './packed-context.js';
import { viteBuildWarnings } from './vite-build-warnings.js';

const available = existsSync(CHROMIUM);
if (!available) console.log(`packed browser test skipped: ${CHROMIUM} not found (install Debian's chromium: apt-get install chromium)`);

describe('a Vite page using the packed @rmsprop/core and @rmsprop/backend-cpu', () => {
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  let built = false;
  const page = () => join(installedApp().app, 'page');
  const outDir = () => join(installedApp().app, 'page-dist');

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.httpServer.close(() => resolve()) : resolve()));
  });

  it('builds with zero warnings', { timeout: 120_000 }, async () => {
    cpSync(join(import.meta.dirname, 'packed-fixtures', 'browser-page'), page(), { recursive: true });
    const warnings = await viteBuildWarnings(page(), outDir(), { base: './' });
    built = true;
    expect(warnings).toEqual([]);
  });

  it('(the check fails on a dependency that imports a Node built-in, as backend-cpu did with node:worker_threads)', { timeout: 120_000 }, async () => {
    const dir = join(installedApp().app, 'node-builtin-page');
    const dependency = join(dir, 'node_modules', 'uses-worker-threads');
    mkdirSync(dependency, { recursive: true });
    writeFileSync(join(dependency, 'package.json'), JSON.stringify({ name: 'uses-worker-threads', type: 'module', exports: './index.js' }));
    writeFileSync(join(dependency, 'index.js'), "export const load = () => import('node:worker_threads');\n");
    writeFileSync(join(dir, 'index.html'), '<!doctype html><script type="module" src="./main.js"></script>\n');
    writeFileSync(join(dir, 'main.js'), "import { load } from 'uses-worker-threads';\nconsole.log(typeof load);\n");
    const warnings = await viteBuildWarnings(dir, join(dir, 'dist'));
    expect(warnings.join('\n')).toMatch(/"node:worker_threads" has been externalized for browser compatibility/);
  });

  it.skipIf(!available)("runs in Chromium with createCpuBackend() on the 'wasm-simd' kernel", { timeout: 120_000 }, async () => {
    expect(built, 'the build above').toBe(true);
    server = await preview({ root: page(), configFile: false, logLevel: 'error', build: { outDir: outDir() }, preview: { port: 0, host: '127.0.0.1' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
    const tab = await browser.newPage();
    const errors: string[] = [];
    tab.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(server.resolvedUrls!.local[0]!);
    const result = await tab.evaluate(() => (window as unknown as { result: Promise<unknown> }).result);
    expect(result).toMatchObject({ ok: true, value: { name: 'cpu', details: { kernel: 'wasm-simd' } } });
    const w = (result as { value: { w: number[] } }).value.w;
    // 10 steps of η = 0.01 against gradients (1, −1): w moves down and up by about 10·η·g/√v.
    expect(w[0]).toBeLessThan(0);
    expect(w[1]).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
