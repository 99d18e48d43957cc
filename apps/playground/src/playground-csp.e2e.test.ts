/**
 * The built page under a Content-Security-Policy response header (Vite's preview server sends it), in
 * Debian's Chromium driven by playwright-core. Under the policy the page needs (script-src 'self'
 * 'wasm-unsafe-eval', style-src 'self', and fetches and images from its own origin) it runs every backend
 * with no violation and no console error; each directive of the minimal policy is needed (dropping one
 * breaks what it names); without 'wasm-unsafe-eval' the page still works on the JS loops and lists why the
 * WebAssembly backends do not run. Skipped, saying so, where /usr/bin/chromium is missing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../scripts/chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const available = existsSync(CHROMIUM);
if (!available) console.log(`playground CSP tests skipped: ${CHROMIUM} not found (install Debian's chromium: apt-get install chromium)`);

/** What docs/security.md recommends for the page: everything from its own origin, WebAssembly compilation. */
const STRICT = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
/** The fewest sources that still run everything: each one is shown to be needed below. */
const MINIMAL = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self'";
/** Without 'wasm-unsafe-eval': no WebAssembly may be compiled. */
const WITHOUT_WASM = "default-src 'self'";

/** The page's test handle (main.ts). */
interface Handle {
  ready: Promise<void>;
  state(): { backend: string };
  availability(): ({ id: string; available: true; details: string } | { id: string; available: false; reason: string })[];
  tracks(): { id: string; length: number; end: number[] }[];
  idle(): boolean;
  runRmsprop(backend: string, surface: string, steps: number): Promise<[number, number]>;
}

/** A violation event as the page saw it. */
interface Violation {
  directive: string;
  blockedURI: string;
}

/** float32 ulps of the point's scale between two end points. */
function ulpsApart(a: readonly number[], b: readonly number[]): number {
  const scale = Math.max(Math.abs(b[0]!), Math.abs(b[1]!));
  const ulp = 2 ** (Math.floor(Math.log2(scale)) - 23);
  return Math.max(Math.abs(a[0]! - b[0]!), Math.abs(a[1]! - b[1]!)) / ulp;
}

describe.skipIf(!available)('the playground under a Content-Security-Policy header', () => {
  let browser: Browser;
  const scratch = mkdtempSync(join(tmpdir(), 'playground-csp-'));
  const outDir = join(scratch, 'dist');
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
  }, 120_000);

  afterAll(async () => {
    for (const close of closers) await close();
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * The built page served with `policy` as its Content-Security-Policy header, loaded until its backends are
   * probed and the first race has run; with the violations and console errors it reported.
   */
  async function openUnder(policy: string) {
    const server = await preview({ root, logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1', headers: { 'Content-Security-Policy': policy } } });
    const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    closers.push(async () => {
      await page.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    // Injected by the browser's debugger, which the page's policy does not govern.
    await page.addInitScript(() => {
      const seen: { directive: string; blockedURI: string }[] = [];
      (window as unknown as { violations: typeof seen }).violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push({ directive: e.effectiveDirective, blockedURI: e.blockedURI }));
    });
    const response = await page.goto(server.resolvedUrls!.local[0]!);
    expect(response!.headers()['content-security-policy']).toBe(policy);
    const loaded = await page.evaluate(() => Promise.race([(window as unknown as { playground?: Handle }).playground?.ready.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 60_000))]));
    await page.waitForFunction(() => (window as unknown as { playground?: Handle }).playground?.idle() === true, undefined, { timeout: 30_000 }).catch(() => undefined);
    const violations = async (): Promise<Violation[]> => {
      await page.waitForTimeout(100); // reports are queued as tasks
      return page.evaluate(() => (window as unknown as { violations: Violation[] }).violations.map((v) => ({ ...v, blockedURI: v.blockedURI.replace(location.origin, '') })));
    };
    return { page, errors, violations, loaded: loaded === true };
  }

  it(`under "${STRICT}": no violation, no console error; every backend runs, the race and the network too`, async () => {
    const { page, errors, violations, loaded } = await openUnder(STRICT);
    expect(loaded).toBe(true);
    const availability = await page.evaluate(() => (window as unknown as { playground: Handle }).playground.availability());
    expect(availability.filter((a) => !a.available)).toEqual([]);
    expect(availability).toHaveLength(6);
    // The race drawn at load, on the default backend (the WebAssembly kernel).
    const tracks = await page.evaluate(() => (window as unknown as { playground: Handle }).playground.tracks());
    expect(await page.evaluate(() => (window as unknown as { playground: Handle }).playground.state().backend)).toBe('cpu');
    expect(tracks.find((t) => t.id === 'rmsprop')!.end.every(Number.isFinite)).toBe(true);
    const ends = await page.evaluate(async () => {
      const pg = (window as unknown as { playground: Handle }).playground;
      const out: Record<string, [number, number]> = {};
      for (const a of pg.availability()) out[a.id] = await pg.runRmsprop(a.id, 'rosenbrock', 200);
      return out;
    });
    for (const [id, end] of Object.entries(ends)) expect(ulpsApart(end, ends['cpu-js']!), id).toBeLessThanOrEqual(16);
    await page.click('#network-train');
    await page.waitForFunction(() => Number(/step (\d+)/.exec(document.getElementById('network-status')!.textContent ?? '')?.[1] ?? 0) >= 200, undefined, { timeout: 60_000 });
    await page.click('#network-train');
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it(`under "${WITHOUT_WASM}" (no 'wasm-unsafe-eval'): runs on the JS loops and lists why the WebAssembly backends do not`, async () => {
    const { page, errors, violations, loaded } = await openUnder(WITHOUT_WASM);
    expect(loaded).toBe(true);
    const availability = await page.evaluate(() => (window as unknown as { playground: Handle }).playground.availability());
    const down = Object.fromEntries(availability.flatMap((a) => (a.available ? [] : [[a.id, a.reason]])));
    console.log(`without 'wasm-unsafe-eval', not available: ${JSON.stringify(down)}`);
    expect(Object.keys(down).sort()).toEqual(['cpu', 'tfjs-wasm']);
    expect(down['tfjs-wasm']).toMatch(/failed to initialise here: a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src/);
    expect(down.cpu).toMatch(/WebAssembly SIMD kernel cannot run: a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src \(the engine said: .*Content Security Policy directive: "default-src 'self'"/);
    // The page fell back from its default (the WebAssembly kernel) to the JS loops and drew the race there.
    expect(await page.evaluate(() => (window as unknown as { playground: Handle }).playground.state().backend)).toBe('cpu-js');
    const tracks = await page.evaluate(() => (window as unknown as { playground: Handle }).playground.tracks());
    expect(tracks.find((t) => t.id === 'rmsprop')!.end.every(Number.isFinite)).toBe(true);
    expect(await page.locator('#backend option[value="cpu"]').isDisabled()).toBe(true);
    // The reason, as the page shows it.
    const cpuLine = await page.locator('#backend-status li.no').first().textContent();
    expect(cpuLine).toContain('cpu — WebAssembly SIMD: not available here — ');
    expect(cpuLine).toContain('Content Security Policy');
    // Each refusal is reported as a wasm-eval violation of script-src (the CPU kernel, tfjs's wasm module
    // streamed and then from bytes, and the WebAssembly probe of the long.js that tfjs-core bundles).
    const seen = await violations();
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((v) => !(v.directive === 'script-src' && v.blockedURI === 'wasm-eval'))).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  it(`"${MINIMAL}" runs every backend with no violation`, async () => {
    const { page, errors, violations, loaded } = await openUnder(MINIMAL);
    expect(loaded).toBe(true);
    const availability = await page.evaluate(() => (window as unknown as { playground: Handle }).playground.availability());
    expect(availability.filter((a) => !a.available)).toEqual([]);
    expect(await violations()).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);

  /** Each source of MINIMAL taken out in turn: what it blocks then, and which backends stop. */
  const DROPPED = [
    { name: 'wasm-unsafe-eval', source: " 'wasm-unsafe-eval'", violation: { directive: 'script-src', blockedURI: 'wasm-eval' }, unavailable: ['cpu', 'tfjs-wasm'] },
    // tfjs's wasm backend fetches its .wasm file.
    { name: 'connect-src', source: "; connect-src 'self'", violation: { directive: 'connect-src', blockedURI: '/assets/tfjs-backend-wasm-simd' }, unavailable: ['tfjs-wasm'] },
    { name: 'style-src', source: "; style-src 'self'", violation: { directive: 'style-src-elem', blockedURI: '/assets/index-' }, unavailable: [] },
    { name: 'img-src', source: "; img-src 'self'", violation: { directive: 'img-src', blockedURI: '/favicon.svg' }, unavailable: [] },
  ];
  it.each(DROPPED)('without $name: a $violation.directive violation, and $unavailable stop', async ({ source, violation, unavailable }) => {
    expect(MINIMAL).toContain(source);
    const { page, violations, loaded } = await openUnder(MINIMAL.replace(source, ''));
    expect(loaded).toBe(true);
    const availability = await page.evaluate(() => (window as unknown as { playground: Handle }).playground.availability());
    expect(availability.filter((a) => !a.available).map((a) => a.id)).toEqual(unavailable);
    const seen = await violations();
    console.log(`without "${source}": ${JSON.stringify(seen)}`);
    expect(seen.some((v) => v.directive === violation.directive && v.blockedURI.startsWith(violation.blockedURI))).toBe(true);
  }, 120_000);
});
