/**
 * The kernel binaries load one at a time, each from a module of its own (so that bundlers split them into
 * chunks of their own and a page loads only the one it uses), and a binary that does not load is a reason,
 * not a throw: 'auto' then runs the JS loops.
 */
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../create-cpu-backend.js';
import { SHARED_MEMORY_KERNELS } from './shared-memory-kernels.generated.js';
import { UNSHARED_MEMORY_KERNELS } from './unshared-memory-kernels.generated.js';
import { instantiateKernels, loadKernelBinary } from './wasm-kernels.js';

describe('loadKernelBinary', () => {
  it('gives the binary for a shared memory, or the one for an ordinary memory (they differ)', async () => {
    expect(await loadKernelBinary(true)).toBe(SHARED_MEMORY_KERNELS);
    expect(await loadKernelBinary(false)).toBe(UNSHARED_MEMORY_KERNELS);
    expect(SHARED_MEMORY_KERNELS).not.toBe(UNSHARED_MEMORY_KERNELS);
  });

  it('is what instantiateKernels uses: each memory links with its own build', async () => {
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const ordinary = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const asked: boolean[] = [];
    const load = (isShared: boolean) => (asked.push(isShared), loadKernelBinary(isShared));
    expect(typeof (await instantiateKernels(shared, true, load))).toBe('object');
    expect(typeof (await instantiateKernels(ordinary, false, load))).toBe('object');
    expect(asked).toEqual([true, false]);
    expect(typeof (await instantiateKernels(ordinary, false))).toBe('object');
  });
});

describe('a kernel binary that does not load (a chunk the server lost, a network error)', () => {
  it('is a reason that names the memory and carries the error', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const failing = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module: https://example.test/assets/unshared-memory-kernels.generated-x.js'));
    expect(await instantiateKernels(memory, false, failing)).toBe(
      'the kernel module (for an ordinary memory) could not be loaded (TypeError: Failed to fetch dynamically imported module: https://example.test/assets/unshared-memory-kernels.generated-x.js)',
    );
  });

  it("createCpuBackend: the module the binaries are loaded from is in this package, so in Node 'auto' still runs the WebAssembly kernel", async () => {
    const backend = await createCpuBackend();
    expect(backend.capabilities.details.kernel).toBe('wasm-simd');
    backend.dispose();
  });
});
