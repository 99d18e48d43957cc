/**
 * `#worker-threads` (package.json "imports"): Node's worker_threads under the "node" condition (Node, and
 * vitest here), and worker-threads-unavailable.ts in every other build: a module that names no Node built-in,
 * so that a browser bundle has nothing to externalize or warn about, and from which a two-thread backend
 * learns why it runs on one thread. (That Vite's browser build takes the stand-in, with no warning, is
 * checked by building a page: browser-bundle.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as workerThreads from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { KernelThreadPool } from './kernel-thread-pool.js';
import { WasmArena } from './wasm-arena.js';
import { instantiateKernels } from './wasm-kernels.js';
import { WORKER_THREADS_UNAVAILABLE } from './worker-threads-unavailable.js';

const packageJson = fileURLToPath(new URL('../../package.json', import.meta.url));
const manifest = JSON.parse(readFileSync(packageJson, 'utf8')) as { imports?: Record<string, unknown> };

describe('#worker-threads', () => {
  it('is worker_threads under "node", and the stand-in (built from src/wasm/worker-threads-unavailable.ts) elsewhere', () => {
    expect(manifest.imports?.['#worker-threads']).toEqual({ node: 'worker_threads', default: './dist/wasm/worker-threads-unavailable.js' });
    expect(readFileSync(new URL('./worker-threads-unavailable.ts', import.meta.url), 'utf8')).toContain('export const WORKER_THREADS_UNAVAILABLE');
    // Node's own resolver (ESM), from inside the package: the built-in, with no dist/ needed.
    const resolved = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('#worker-threads'))"], {
      cwd: dirname(packageJson),
      encoding: 'utf8',
    });
    expect(resolved.trim()).toBe('node:worker_threads');
  });

  it('in Node: node:worker_threads itself', async () => {
    const loaded = (await import('#worker-threads')) as unknown as typeof workerThreads;
    expect(loaded.Worker).toBe(workerThreads.Worker);
  });

  it('the stand-in imports nothing, and says why there are no helper threads', () => {
    const source = readFileSync(new URL('./worker-threads-unavailable.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/\bimport\b|\brequire\(/);
    expect(WORKER_THREADS_UNAVAILABLE).toMatch(/^this is the browser build of @rmsprop\/backend-cpu, which has no node:worker_threads/);
  });

  it('a pool that loads the stand-in runs on one thread, with its words as the reason, and leaves nothing behind', async () => {
    const arena = WasmArena.create(1 << 20);
    const kernels = await instantiateKernels(arena.memory, true);
    if (typeof kernels === 'string') throw new Error(kernels);
    const used = arena.usedBytes;
    const pool = await KernelThreadPool.create(arena, kernels.module, { loadWorkerThreads: () => import('./worker-threads-unavailable.js') });
    expect(pool).toBe(
      'helper threads run in Node (worker_threads) only: this is the browser build of @rmsprop/backend-cpu, which has no node:worker_threads (package.json "imports" maps #worker-threads to a stand-in where the "node" condition is absent)',
    );
    expect(arena.usedBytes).toBe(used);
  });
});
