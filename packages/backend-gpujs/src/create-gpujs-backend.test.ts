import { BackendUnavailableError } from '@rmsprop/core';
import type { GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';

/**
 * A stand-in for gpu.js's GPU whose probe kernel map returns `values` and reports `precision`, as a
 * device without float read-back would (gpu.js then switches to 8-bit 'unsigned' packing, or rounds).
 */
function fakeGpu(values: number, precision: string): { gpu: GPU; destroyed: () => boolean } {
  let destroyed = false;
  const gpu = {
    createKernelMap: () => {
      const kernel = (_: Float32Array, __: number) => ({ result: new Float32Array(4099).fill(values), copy: new Float32Array(4099).fill(values) });
      return Object.assign(kernel, { kernel: { precision }, destroy: () => {} });
    },
    destroy: () => {
      destroyed = true;
    },
  };
  return { gpu: gpu as unknown as GPU, destroyed: () => destroyed };
}

describe('the float32 probe', () => {
  it("rejects where gpu.js would drop to 8-bit 'unsigned' precision, naming it", async () => {
    const { gpu } = fakeGpu(1 + 2 ** -20, 'unsigned');
    const error = await createGpujsBackend({ gpu }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(String((error as Error).message)).toMatch(/would run in 'unsigned' precision here, not 'single' \(float32\)/);
  });

  it('rejects where the read-back is not float32 (1 + 2⁻²⁰ comes back as 1), naming the value', async () => {
    const { gpu, destroyed } = fakeGpu(1, 'single');
    await expect(createGpujsBackend({ gpu })).rejects.toThrow(/does not read back float32 here: 1 \+ 2⁻²⁰ came back as 1 at element 0/);
    // A GPU the caller passed in stays theirs: the backend does not destroy it.
    expect(destroyed()).toBe(false);
  });

  it('accepts exact float32 read-back', async () => {
    const backend = await createGpujsBackend({ mode: 'cpu' });
    expect(backend.capabilities.details.precision).toBe('single');
    backend.dispose();
  });
});
