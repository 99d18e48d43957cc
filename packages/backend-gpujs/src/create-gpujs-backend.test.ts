import { BackendUnavailableError, RMSPropOptimizer } from '@rmsprop/core';
import gpujs, { type GPU } from 'gpu.js';
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

describe('a kernel that fails mid-step (a lost context)', () => {
  it('frees the textures the step made and leaves every slot as it was', async () => {
    let deleted = 0;
    let calls = 0;
    let failOnCall = -1;
    /** A texture stand-in: values, and a count of deletions. */
    const texture = (values: Float32Array) => ({ toArray: () => Float32Array.from(values), delete: () => void deleted++ });
    // The probe's kernel must look like one of gpu.js's kernel classes: its cpu mode here.
    const probeKernel = Object.assign(Object.create((gpujs as unknown as { CPUKernel: { prototype: object } }).CPUKernel.prototype) as object, { precision: 'single' });
    const gpu = {
      createKernelMap: (_map: object, source: string) => {
        if (source.includes('probeFloat')) {
          const probe = () => ({ result: new Float32Array(4099).fill(1 + 2 ** -20), copy: new Float32Array(4099).fill(1 + 2 ** -20) });
          return Object.assign(probe, { kernel: probeKernel, destroy: () => {} });
        }
        // The update kernel: θ − 1, v = 1; the call numbered failOnCall throws as a lost WebGL context would.
        const update = (theta: { toArray(): Float32Array }) => {
          if (calls++ === failOnCall) throw new Error('CONTEXT_LOST_WEBGL');
          const t = theta.toArray();
          return { result: texture(t.map((x) => x - 1)), meanSquare: texture(t.map(() => 1)) };
        };
        return Object.assign(update, { destroy: () => {} });
      },
      createKernel: () => Object.assign((values: Float32Array) => texture(values), { destroy: () => {} }),
      destroy: () => {},
    } as unknown as GPU;
    const backend = await createGpujsBackend({ gpu });
    const optimizer = new RMSPropOptimizer({ backend, params: { a: new Float32Array([1, 2]), b: new Float32Array([3, 4]) } });
    optimizer.step({ a: new Float32Array([1, 1]), b: new Float32Array([1, 1]) });
    expect(Array.from(optimizer.readParameter('a'))).toEqual([0, 1]);
    const before = deleted;
    failOnCall = calls + 1; // the second slot's kernel fails
    expect(() => optimizer.step({ a: new Float32Array([1, 1]), b: new Float32Array([1, 1]) })).toThrow(/CONTEXT_LOST_WEBGL/);
    // The first slot's two new textures were freed; neither slot changed.
    expect(deleted - before).toBe(2);
    expect(Array.from(optimizer.readParameter('a'))).toEqual([0, 1]);
    expect(Array.from(optimizer.readParameter('b'))).toEqual([2, 3]);
    expect(optimizer.stepCount).toBe(1);
    optimizer.dispose();
    backend.dispose();
  });
});
