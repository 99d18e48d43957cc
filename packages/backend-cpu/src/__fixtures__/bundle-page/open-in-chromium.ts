/**
 * Serves a built page with Vite's preview server and loads it in Debian's Chromium (headless, `--dump-dom`,
 * no browser driver needed), returning the text of the page's #result once its scripts have run.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_ARGS } from '../../../../../scripts/chromium.mjs';
import type { BundlePage } from './build-bundle-page.js';

/** The headers that make a page cross-origin isolated (SharedArrayBuffer, shared WebAssembly memory). */
export const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** The text of #result after the page has loaded in Chromium, served with `headers`. */
export async function openInChromium(page: BundlePage, headers: Record<string, string> = {}): Promise<string> {
  const server = await page.vite.preview({
    root: page.root,
    configFile: false,
    logLevel: 'error',
    build: { outDir: page.outDir },
    preview: { port: 0, host: '127.0.0.1', strictPort: false, headers },
  });
  // Chromium writes its profile, caches and crash reports here, not under $HOME.
  const scratch = mkdtempSync(join(tmpdir(), 'rmsprop-bundle-chromium-'));
  try {
    const url = server.resolvedUrls!.local[0]!;
    const args = [
      ...CHROMIUM_ARGS,
      '--headless',
      `--user-data-dir=${join(scratch, 'profile')}`,
      // Runs the page's timers and waits on its fetches up to this much virtual time before dumping the DOM.
      '--virtual-time-budget=30000',
      '--dump-dom',
      url,
    ];
    const env = { ...process.env, XDG_CONFIG_HOME: join(scratch, 'config'), XDG_CACHE_HOME: join(scratch, 'cache') };
    // Asynchronous: the preview server runs in this process and must answer while Chromium waits.
    const dom = await new Promise<string>((resolve, reject) => {
      execFile(CHROMIUM, args, { env, timeout: 90_000, maxBuffer: 16 << 20 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    const match = /<pre id="result">([\s\S]*?)<\/pre>/.exec(dom);
    if (match === null) throw new Error(`the page has no #result:\n${dom.slice(0, 2000)}`);
    return match[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&amp;', '&');
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
