import { ArgumentError, BackendUnavailableError, RMSPropOptimizer } from '@rmsprop/core';
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
    createKernel: () => {
      throw new Error('the probe makes no plain kernel');
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

describe('options', () => {
  /** The ArgumentError `options` gets, or fails. */
  async function refusal(options: unknown): Promise<ArgumentError> {
    const error = await createGpujsBackend(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArgumentError);
    return error as ArgumentError;
  }

  it('refuses an unknown key, naming it, its value and the keys there are (as createCpuBackend does)', async () => {
    const error = await refusal({ mode: 'cpu', requireGPU: true });
    expect(error.field).toBe('options.requireGPU');
    expect(error.message).toBe('options.requireGPU = true is not allowed; expected one of the options mode, requireGpu or gpu');
    expect((await refusal({ precision: 'single' })).message).toMatch(/^options\.precision = "single" is not allowed; expected one of the options mode, requireGpu or gpu$/);
  });

  it('refuses a requireGpu that is not a boolean (a string is not taken as true)', async () => {
    for (const value of ['false', 1, null]) {
      const error = await refusal({ mode: 'cpu', requireGpu: value });
      expect(error.field).toBe('options.requireGpu');
      expect(error.message).toMatch(/^options\.requireGpu = .* is not allowed; expected true or false$/);
    }
  });

  it("refuses a gpu that is not a gpu.js GPU, before making anything", async () => {
    for (const value of [null, 'cpu', {}, { createKernelMap: () => {} }]) {
      const error = await refusal({ gpu: value });
      expect(error.field).toBe('options.gpu');
      expect(error.message).toMatch(/expected a gpu\.js GPU \(an object with createKernel, createKernelMap and destroy\)$/);
    }
  });

  it("refuses a mode that is a name of Object's prototype as an unknown mode", async () => {
    for (const mode of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const error = await refusal({ mode });
      expect(error.field).toBe('options.mode');
      expect(error.message).toMatch(/is not allowed; expected one of 'gpu', 'webgl2', 'webgl', 'headlessgl', 'cpu'$/);
    }
  });

  it('refuses options that are not a plain object (an array too)', async () => {
    for (const options of [null, 'cpu', [], [['mode', 'cpu']]]) {
      expect((await refusal(options)).field).toBe('options');
    }
  });

  it('a refused option leaves a GPU passed in untouched', async () => {
    const gpu = new (gpujs as unknown as { GPU: new (settings: object) => GPU }).GPU({ mode: 'cpu' });
    let made = 0;
    let destroyed = 0;
    const createKernelMap = gpu.createKernelMap.bind(gpu);
    const destroy = gpu.destroy.bind(gpu);
    Object.assign(gpu, {
      createKernelMap: (...args: Parameters<GPU['createKernelMap']>) => (made++, createKernelMap(...args)),
      destroy: () => (destroyed++, destroy()),
    });
    await refusal({ gpu, requireGpu: 'no' });
    await refusal({ gpu, device: 0 });
    expect(made).toBe(0);
    // The same GPU with valid options is taken (an option given as undefined is its default).
    const backend = await createGpujsBackend({ gpu, requireGpu: false, mode: undefined });
    expect(made).toBe(1);
    backend.dispose();
    expect(destroyed).toBe(0);
    await destroy();
  });
});
