/**
 * Parameter lengths that come and go: the kernels compiled for a length stay while a slot of that length
 * lives and for the `IDLE_LENGTHS` lengths released last, older ones are freed, and everything is freed by
 * the backend's `dispose()`, so neither a long-lived backend nor a disposed one grows with the number of
 * lengths it has seen. Runs gpu.js's cpu mode (as every test here in
 * Node does); the bookkeeping is checked by gpu.js's own list of live kernels (`gpu.kernels`), the memory by
 * the heap after a full garbage collection.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RMSPropOptimizer, type RMSPropOptimizerOptions } from '@rmsprop/core';
import gpujs, { type GPU } from 'gpu.js';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';
import type { GpujsBackend } from './gpujs-backend.js';
import { IDLE_LENGTHS } from './kernel-cache.js';

/** Distinct lengths each churn creates and disposes (before the fix: about 60 KB of heap kept per length). */
const LENGTHS = 200;

/**
 * A full garbage collection. vitest runs this file without `--expose-gc`; V8 exposes `gc` to contexts
 * created after the flag is set (as jest's leak detector does), so the flag is set here, for this file only.
 */
const collectGarbage: () => void = (() => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** Bytes of heap in use after full collections (two: finalizers of the first may free more). */
function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** gpu.js's list of a GPU's live kernels (every createKernel/createKernelMap adds one). */
function liveKernels(gpu: GPU): number {
  return (gpu as unknown as { kernels: unknown[] }).kernels.length;
}

const newCpuGpu = (): GPU => new (gpujs as unknown as { GPU: new (settings: object) => GPU }).GPU({ mode: 'cpu' });

/** Options that use the most kernels per length (θ, v, m and the centered mean). */
const OPTIONS: Partial<RMSPropOptimizerOptions> = { learningRate: 0.01, momentum: 0.9, centered: true };

/** An optimizer of one parameter of `length` elements on `backend`: one step, a read, disposed. */
function churnOnce(backend: GpujsBackend, length: number): void {
  const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(length).fill(1) }, ...OPTIONS });
  optimizer.step({ w: new Float32Array(length).fill(0.5) });
  expect(optimizer.readParameter('w')[length - 1]).toBeLessThan(1);
  optimizer.dispose();
}

/** Lengths 10, 11, … : each new to the backend. */
const lengths = (from: number): number[] => Array.from({ length: LENGTHS }, (_, i) => from + i);

describe('kernels per parameter length', () => {
  it(`keeps a length's kernels while a slot holds it and for the ${IDLE_LENGTHS} lengths released last, and frees older ones`, async () => {
    const gpu = newCpuGpu();
    const backend = await createGpujsBackend({ gpu });
    const idle = liveKernels(gpu);
    const kept = new RMSPropOptimizer({ backend, params: { a: new Float32Array(7), b: new Float32Array(7) }, ...OPTIONS });
    kept.step({ a: new Float32Array(7).fill(1), b: new Float32Array(7).fill(1) });
    const withOneLength = liveKernels(gpu);
    const perLength = withOneLength - idle;
    expect(perLength).toBeGreaterThan(0);
    // The lengths released last keep their kernels: made again, an optimizer of one of them compiles nothing.
    for (const length of lengths(10).slice(0, IDLE_LENGTHS)) churnOnce(backend, length);
    expect(liveKernels(gpu)).toBe(withOneLength + IDLE_LENGTHS * perLength);
    churnOnce(backend, 10);
    expect(liveKernels(gpu)).toBe(withOneLength + IDLE_LENGTHS * perLength);
    // 200 lengths later: the length still in use and the last IDLE_LENGTHS released.
    for (const length of lengths(1000)) churnOnce(backend, length);
    expect(liveKernels(gpu)).toBe(withOneLength + IDLE_LENGTHS * perLength);
    // Another slot of that length shares its kernels; disposing one of the two slots frees none.
    const twin = new RMSPropOptimizer({ backend, params: { c: new Float32Array(7) }, ...OPTIONS });
    twin.step({ c: new Float32Array(7).fill(1) });
    kept.dispose();
    twin.step({ c: new Float32Array(7).fill(1) });
    expect(liveKernels(gpu)).toBe(withOneLength + IDLE_LENGTHS * perLength);
    // Released, length 7 joins the idle ones and the length released longest ago is freed.
    twin.dispose();
    expect(liveKernels(gpu)).toBe(idle + IDLE_LENGTHS * perLength);
    backend.dispose();
    // A GPU the caller passed in stays theirs, with none of the backend's kernels left on it.
    expect(liveKernels(gpu)).toBe(0);
    await gpu.destroy();
  });

  it("a slot whose creation fails (an upload throws) leaves its length's kernel with the idle ones, reused later and freed by dispose()", async () => {
    const created: string[] = [];
    const destroyed: string[] = [];
    let failUpload = false;
    // The probe's kernel must look like one of gpu.js's kernel classes: its cpu mode here.
    const probeKernel = Object.assign(Object.create((gpujs as unknown as { CPUKernel: { prototype: object } }).CPUKernel.prototype) as object, { precision: 'single' });
    const gpu = {
      createKernelMap: () => {
        const probe = () => ({ result: new Float32Array(4099).fill(1 + 2 ** -20), copy: new Float32Array(4099).fill(1 + 2 ** -20) });
        return Object.assign(probe, { kernel: probeKernel, destroy: () => {} });
      },
      createKernel: (_source: string, settings: { output: number[] }) => {
        const name = `copy:${settings.output[0]}`;
        created.push(name);
        const copy = (values: Float32Array) => {
          if (failUpload) throw new Error('CONTEXT_LOST_WEBGL');
          return Float32Array.from(values);
        };
        return Object.assign(copy, { destroy: () => void destroyed.push(name) });
      },
      destroy: () => {},
    } as unknown as GPU;
    const backend = await createGpujsBackend({ gpu });
    const state = { meanSquare: 0, meanGrad: null, momentum: null };
    failUpload = true;
    expect(() => backend.createSlot({ name: 'w', dtype: 'float32', length: 3, values: new Float32Array(3), adopt: false, state })).toThrow(/CONTEXT_LOST_WEBGL/);
    expect(created).toEqual(['copy:3']);
    expect(destroyed).toEqual([]);
    // The next slot of that length reuses it, and a length in use keeps it through a failed creation of another slot.
    failUpload = false;
    const slot = backend.createSlot({ name: 'w', dtype: 'float32', length: 3, values: new Float32Array(3), adopt: false, state });
    failUpload = true;
    expect(() => backend.createSlot({ name: 'v', dtype: 'float32', length: 3, values: new Float32Array(3), adopt: false, state })).toThrow(/CONTEXT_LOST_WEBGL/);
    slot.dispose();
    expect(created).toEqual(['copy:3']);
    expect(destroyed).toEqual([]);
    backend.dispose();
    expect(destroyed).toEqual(['copy:3']);
  });

  it(`a long-lived backend does not grow with the lengths it has seen (${LENGTHS} lengths created and disposed)`, async () => {
    const backend = await createGpujsBackend({ mode: 'cpu' });
    // Warm up: the first optimizers and steps allocate what every later one reuses.
    for (const length of lengths(5000).slice(0, 20)) churnOnce(backend, length);
    const before = heapUsed();
    for (const length of lengths(10)) churnOnce(backend, length);
    const grown = heapUsed() - before;
    console.info(`gpu.js cpu mode: heap grew by ${(grown / 1024).toFixed(1)} KiB over ${LENGTHS} lengths (${(grown / LENGTHS / 1024).toFixed(2)} KiB a length)`);
    // Before the fix every length kept about 60 KB (12 MB here); what is left now is noise.
    expect(grown / LENGTHS).toBeLessThan(4 * 1024);
    backend.dispose();
  });

  it(`a disposed backend keeps nothing of the lengths it had seen (${LENGTHS} lengths, the backend still referenced)`, async () => {
    const before = heapUsed();
    const backend = await createGpujsBackend({ mode: 'cpu' });
    /** Optimizers of every length, one step each; none is disposed (they become unreachable on return). */
    const train = (): void => {
      for (const length of lengths(10)) {
        const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(length) }, ...OPTIONS });
        optimizer.step({ w: new Float32Array(length).fill(1) });
      }
    };
    train();
    backend.dispose(); // with every slot still alive: the backend frees them and every kernel
    // gpu.js's GPU.destroy() finishes on a later turn of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 10));
    const kept = heapUsed() - before;
    console.info(`gpu.js cpu mode: a disposed backend that saw ${LENGTHS} lengths keeps ${(kept / 1024).toFixed(1)} KiB`);
    expect(backend.capabilities.details.mode).toBe('cpu'); // the backend object is still reachable here
    expect(kept / LENGTHS).toBeLessThan(4 * 1024);
  });
});
