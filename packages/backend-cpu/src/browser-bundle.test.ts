/**
 * A page that imports @rmsprop/backend-cpu, built with Vite for the browser as an application would build it
 * (src/__fixtures__/bundle-page, against the package's dist/: run the package's build first): no warning,
 * no Node built-in in any chunk (before package.json "imports" gave #worker-threads a stand-in of the
 * package's own, node:worker_threads gave 'Module "node:worker_threads" has been externalized for browser
 * compatibility' and an empty stand-in chunk), and each WebAssembly binary in a chunk of its own that only a
 * dynamic import loads. In Debian's Chromium the page runs the WebAssembly kernel and loads only the binary
 * its memory needs: the ordinary-memory one in a plain page, the shared-memory one in a cross-origin-isolated
 * page (skipped, saying so, where /usr/bin/chromium is missing). */
import { existsSync } from 'node:fs';
import { RMSPropOptimizer } from '@rmsprop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM } from '../../../scripts/chromium.mjs';
import { buildBundlePage, type BundlePage } from './__fixtures__/bundle-page/build-bundle-page.js';
import { CROSS_ORIGIN_ISOLATION, openInChromium } from './__fixtures__/bundle-page/open-in-chromium.js';
import type { ViteOutputFile } from './__fixtures__/bundle-page/load-vite.js';
import { createCpuBackend } from './create-cpu-backend.js';
import { SHARED_MEMORY_KERNELS } from './wasm/shared-memory-kernels.generated.js';
import { UNSHARED_MEMORY_KERNELS } from './wasm/unshared-memory-kernels.generated.js';

let page: BundlePage;
beforeAll(async () => {
  page = await buildBundlePage();
}, 120_000);
afterAll(() => page?.remove());

const chunks = (): ViteOutputFile[] => page.output.filter((file) => file.type === 'chunk');
/** The chunk holding the module whose path ends with `/name`. */
const chunkOf = (name: string): ViteOutputFile => {
  const found = chunks().filter((chunk) => chunk.moduleIds!.some((id) => id.endsWith(`/${name}`)));
  expect(found.map((chunk) => chunk.fileName), name).toHaveLength(1);
  return found[0]!;
};
/** An import, export-from or dynamic import of a `node:` module, in minified or plain code. */
const NODE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["'`]node:/;

describe('a page importing @rmsprop/backend-cpu, built with Vite', () => {
  it('builds with no warning and no error', () => {
    expect(page.vite.version).toMatch(/^8\./);
    expect(page.warnings).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it("names no Node built-in: no node: import, no bundler's stand-in for one, and the package's own stand-in for worker_threads", () => {
    for (const chunk of chunks()) {
      expect([...chunk.imports!, ...chunk.dynamicImports!].filter((name) => name.startsWith('node:') || name.includes('vite-browser-external')), chunk.fileName).toEqual([]);
      expect(chunk.moduleIds!.filter((id) => id.includes('node:') || id.includes('vite-browser-external')), chunk.fileName).toEqual([]);
      expect(NODE_IMPORT.test(chunk.code!), chunk.fileName).toBe(false);
    }
    // `#worker-threads` is the package's stand-in here (package.json "imports", without the "node" condition).
    expect(chunks().flatMap((chunk) => chunk.moduleIds!).filter((id) => /worker-threads/.test(id))).toEqual([
      expect.stringMatching(/\/dist\/wasm\/worker-threads-unavailable\.js$/),
    ]);
  });

  it('puts each WebAssembly binary in a chunk of its own, which the entry only imports dynamically', () => {
    const entry = chunks().filter((chunk) => chunk.isEntry);
    expect(entry).toHaveLength(1);
    const shared = chunkOf('shared-memory-kernels.generated.js');
    const unshared = chunkOf('unshared-memory-kernels.generated.js');
    expect(shared.fileName).not.toBe(unshared.fileName);
    for (const [chunk, binary, other] of [
      [shared, SHARED_MEMORY_KERNELS, UNSHARED_MEMORY_KERNELS],
      [unshared, UNSHARED_MEMORY_KERNELS, SHARED_MEMORY_KERNELS],
    ] as const) {
      expect(chunk.isEntry).toBe(false);
      expect(chunk.isDynamicEntry).toBe(true);
      expect(chunk.moduleIds).toHaveLength(1); // the binary's module alone
      expect(chunk.code!.includes(binary)).toBe(true);
      expect(chunk.code!.includes(other)).toBe(false);
      expect(entry[0]!.code!.includes(binary)).toBe(false);
      expect(entry[0]!.dynamicImports).toContain(chunk.fileName);
      expect(entry[0]!.imports).not.toContain(chunk.fileName);
    }
    const sizes = Object.fromEntries(chunks().map((chunk) => [chunk.fileName, chunk.code!.length]));
    console.log('bundle-page chunks (bytes):', JSON.stringify(sizes));
  });
});

/** What the page writes into #result. */
interface PageResult {
  readonly error?: string;
  readonly details: Record<string, unknown>;
  readonly crossOriginIsolated: boolean;
  readonly w: number[];
  readonly resources: string[];
}

describe.skipIf(!existsSync(CHROMIUM))('the built page in Chromium', () => {
  if (!existsSync(CHROMIUM)) console.log(`bundle-page Chromium tests skipped: ${CHROMIUM} not found (install Debian's chromium: apt-get install chromium)`);

  /** The page's two steps, run in Node by the same backend: float32 WebAssembly arithmetic, bit for bit the same. */
  async function stepsInNode(): Promise<number[]> {
    const backend = await createCpuBackend();
    const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array([1, 2, 3]) }, learningRate: 0.1, momentum: 0.9 });
    optimizer.step({ w: new Float32Array([0.5, -1, 2]) });
    optimizer.step({ w: new Float32Array([0.25, 3, -2]) });
    const w = Array.from(optimizer.parameter('w'));
    optimizer.dispose();
    backend.dispose();
    return w;
  }

  const scripts = (result: PageResult) => result.resources.filter((path) => path.endsWith('.js'));
  const entryPath = () => `/${chunks().find((chunk) => chunk.isEntry)!.fileName}`;

  it('without cross-origin isolation: the WebAssembly kernel over an ordinary memory, and only that binary is loaded', { timeout: 120_000 }, async () => {
    const result = JSON.parse(await openInChromium(page)) as PageResult;
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(false);
    expect(result.details).toMatchObject({ kernel: 'wasm-simd', memory: 'fixed', threads: 1, threadsReason: 'helper threads need shared WebAssembly memory, which is unavailable here' });
    expect(scripts(result)).toEqual([entryPath(), `/${chunkOf('unshared-memory-kernels.generated.js').fileName}`]);
    expect(result.w).toEqual(await stepsInNode());
    console.log('plain page loaded:', JSON.stringify(result.resources));
  });

  it('cross-origin isolated: the shared-memory binary alone, and threads: 2 runs on one thread saying why (the stand-in for worker_threads)', { timeout: 120_000 }, async () => {
    const result = JSON.parse(await openInChromium(page, CROSS_ORIGIN_ISOLATION)) as PageResult;
    expect(result.error).toBeUndefined();
    expect(result.crossOriginIsolated).toBe(true);
    expect(result.details).toMatchObject({ kernel: 'wasm-simd', memory: 'shared', threads: 1 });
    expect(result.details.threadsReason).toMatch(
      /^helper threads run in Node \(worker_threads\) only: this is the browser build of @rmsprop\/backend-cpu, which has no node:worker_threads/,
    );
    // threads: 2 with shared memory asks for #worker-threads: the stand-in's chunk (a few hundred bytes) loads then.
    expect(scripts(result)).toEqual([entryPath(), `/${chunkOf('shared-memory-kernels.generated.js').fileName}`, `/${chunkOf('worker-threads-unavailable.js').fileName}`]);
    expect(result.w).toEqual(await stepsInNode());
    console.log('cross-origin-isolated page loaded:', JSON.stringify(result.resources));
  });
});
