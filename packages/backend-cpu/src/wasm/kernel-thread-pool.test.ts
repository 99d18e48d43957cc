import { RMSPropOptimizer } from '@rmsprop/core';
import { describe, expect, it, vi } from 'vitest';
import { createCpuBackend } from '../create-cpu-backend.js';
import { PARALLEL_ELEMENTS } from './wasm-simd-backend.js';

// Every helper worker, counted from its start to its 'exit' event (the real Worker otherwise).
const workers = vi.hoisted(() => ({ started: 0, running: new Set<object>() }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:worker_threads')>();
  class CountedWorker extends actual.Worker {
    constructor(...args: ConstructorParameters<typeof actual.Worker>) {
      super(...args);
      workers.started++;
      workers.running.add(this);
      this.once('exit', () => workers.running.delete(this));
    }
  }
  return { ...actual, Worker: CountedWorker };
});

/** Whether two typed arrays hold the same bytes (a byte compare: element-wise toEqual is slow at this size). */
const sameBytes = (a: Float32Array | Float64Array, b: Float32Array | Float64Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('a helper thread (threads: 2)', () => {
  it('runs in Node over the shared arena, and says so', async () => {
    const backend = await createCpuBackend({ threads: 2 });
    expect(backend.capabilities.details).toMatchObject({ kernel: 'wasm-simd', memory: 'shared', threads: 2 });
    backend.dispose();
  });

  it.each(['float32', 'float64'] as const)('gives the same bits as one thread, for slots above and below the split size (%s)', async (dtype) => {
    const one = await createCpuBackend();
    const two = await createCpuBackend({ threads: 2 });
    const array = (n: number, f: (i: number) => number): Float32Array | Float64Array =>
      dtype === 'float32' ? Float32Array.from({ length: n }, (_, i) => f(i)) : Float64Array.from({ length: n }, (_, i) => f(i));
    // Lengths around the split (the lower half is cut at a multiple of 4) and a group above the threshold.
    const sizes = { big: PARALLEL_ELEMENTS * 2 + 7, odd: PARALLEL_ELEMENTS + 3, small: 5 };
    const make = (backend: typeof one) =>
      new RMSPropOptimizer({
        backend,
        inPlace: false,
        groups: [
          { params: Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, array(n, Math.cos)])), momentum: 0.9, centered: true, learningRate: 0.01 },
        ],
      });
    const a = make(one);
    const b = make(two);
    for (let t = 1; t <= 5; t++) {
      const grads = Object.fromEntries(Object.entries(sizes).map(([k, n]) => [k, array(n, (i) => Math.sin(0.3 * i + t))]));
      a.step(grads);
      b.step(grads);
    }
    for (const name of Object.keys(sizes)) {
      expect(sameBytes(b.parameter(name), a.parameter(name)), name).toBe(true);
    }
    const [stateA, stateB] = [a.stateDict().state, b.stateDict().state];
    for (const name of Object.keys(sizes)) {
      for (const key of ['meanSquare', 'meanGrad', 'momentum'] as const) {
        const [x, y] = [stateA[name]![key]!, stateB[name]![key]!];
        expect(y.length, `${name}.${key}`).toBe(x.length);
        expect(y.findIndex((v, i) => !Object.is(v, x[i])), `${name}.${key}: first index that differs`).toBe(-1);
      }
    }
    a.dispose();
    b.dispose();
    one.dispose();
    two.dispose();
  });

  it('creating and disposing 100 two-thread backends in a loop: a helper has exited before the next starts', async () => {
    // A helper left exiting holds its arena: backends that each took a step of 2^18 float32 elements grew
    // resident memory by about 3 MiB each without waiting (1.6 GB after 500), and stay between 0.2 and
    // 0.7 GB waiting, however many.
    const started = workers.started;
    let most = 0;
    for (let i = 0; i < 100; i++) {
      const backend = await createCpuBackend({ threads: 2 });
      most = Math.max(most, workers.running.size);
      expect(backend.capabilities.details.threads).toBe(2);
      backend.dispose();
    }
    expect(workers.started - started).toBe(100);
    expect(most).toBe(1); // the backend's own helper, and none still exiting
  });

  it('refuses a thread count other than 1 or 2, naming the option', async () => {
    await expect(createCpuBackend({ threads: 3 })).rejects.toThrow(/options\.threads = 3 is not allowed; expected 1 or 2/);
  });
});
