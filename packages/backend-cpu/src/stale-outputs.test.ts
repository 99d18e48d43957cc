/**
 * scripts/stale-outputs.mjs (run by the build through prune-dist.mjs): the outputs in dist/ whose source in
 * src/ is gone, such as dist/wasm/kernel-binaries.generated.* (264 KB of .d.ts and as much .js) once the
 * binaries got a module each. tsc never deletes them, and "files" would publish them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = new URL('../scripts/stale-outputs.mjs', import.meta.url).href;
const { staleOutputs } = (await import(/* @vite-ignore */ script)) as { staleOutputs(packageDir: string): string[] };

const root = mkdtempSync(join(tmpdir(), 'rmsprop-stale-outputs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function files(paths: string[]): void {
  for (const path of paths) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
  }
}

describe('staleOutputs', () => {
  it('lists the .js, .d.ts and .map files whose source is gone (tests and fixtures, which the build leaves out, count as gone), and nothing else', () => {
    files(['src/index.ts', 'src/wasm/shared-memory-kernels.generated.ts', 'src/a.test.ts', 'src/__fixtures__/page.ts']);
    files(['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/index.d.ts.map']);
    files(['dist/wasm/shared-memory-kernels.generated.js', 'dist/wasm/shared-memory-kernels.generated.d.ts']);
    files(['dist/wasm/kernel-binaries.generated.js', 'dist/wasm/kernel-binaries.generated.d.ts', 'dist/wasm/kernel-binaries.generated.js.map']);
    files(['dist/a.test.js', 'dist/__fixtures__/page.js', 'dist/notes.txt']);
    expect(staleOutputs(root)).toEqual([
      'dist/__fixtures__/page.js',
      'dist/a.test.js',
      'dist/wasm/kernel-binaries.generated.d.ts',
      'dist/wasm/kernel-binaries.generated.js',
      'dist/wasm/kernel-binaries.generated.js.map',
    ]);
  });

  it('is empty without a dist/', () => {
    expect(staleOutputs(join(root, 'src'))).toEqual([]);
  });
});
