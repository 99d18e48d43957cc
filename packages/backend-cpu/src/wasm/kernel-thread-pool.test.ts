import { BackendUnavailableError, RMSPropOptimizer } from '@rmsprop/core';
import { describe, expect, it, vi } from 'vitest';
import { createCpuBackend } from '../create-cpu-backend.js';
import { CONSTANTS_COUNT } from './kernel-abi.generated.js';
import { KernelThreadPool } from './kernel-thread-pool.js';
import { WasmArena } from './wasm-arena.js';
import { instantiateKernels } from './wasm-kernels.js';
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

  // Each create waits for its helper to be ready (about 80 ms a backend on 2 busy cores: 9 s for the 100).
  it('creating and disposing 100 two-thread backends in a loop: a helper has exited before the next starts', { timeout: 90_000 }, async () => {
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

describe('where a helper thread cannot start, the pool says why instead of throwing (or hanging)', () => {
  /** A shared arena, its kernel module, and what the arena holds before the pool is made. */
  async function setUp() {
    const arena = WasmArena.create(1 << 20);
    const kernels = await instantiateKernels(arena.memory, true);
    if (typeof kernels === 'string') throw new Error(kernels);
    return { arena, module: kernels.module, used: arena.usedBytes };
  }

  /** node:worker_threads whose Worker is this class (the real one otherwise, counted). */
  const withWorker = (Worker: unknown) => async () => ({ ...(await import('node:worker_threads')), Worker });

  it('a kernel call that traps in the helper: join() throws a typed error instead of waiting for ever, and the pool stays failed', async () => {
    const { arena, module } = await setUp();
    const pool = await KernelThreadPool.create(arena, module);
    if (typeof pool === 'string') throw new Error(pool);
    // A descriptor table past the end of memory: the kernel's first load traps (RuntimeError) in the helper,
    // whose 'error' event could never reach a main thread blocked in join().
    pool.post(0, 'float32', arena.memory.buffer.byteLength, 1, new Float64Array(CONSTANTS_COUNT));
    expect(() => pool.join()).toThrow(BackendUnavailableError);
    expect(() => pool.join()).toThrow(/^the CPU backend's helper thread failed: its kernel call \(job 1\) trapped/);
    expect(() => pool.post(0, 'float32', 0, 0, new Float64Array(CONSTANTS_COUNT))).toThrow(/helper thread failed/);
    pool.dispose();
  });

  it('a module without a Worker constructor (what a bundler gives the browser for node:worker_threads)', async () => {
    const { arena, module, used } = await setUp();
    for (const stub of [{}, { Worker: undefined }, { default: {} }, { Worker: {} }]) {
      const pool = await KernelThreadPool.create(arena, module, { loadWorkerThreads: async () => stub });
      expect(pool, JSON.stringify(stub)).toMatch(/^helper threads run in Node \(worker_threads\) only: node:worker_threads here has no Worker constructor \(Worker = (undefined|Object)/);
      expect(arena.usedBytes).toBe(used); // no control block left behind
    }
    // A module that cannot be loaded at all.
    const pool = await KernelThreadPool.create(arena, module, {
      loadWorkerThreads: () => Promise.reject(new TypeError('Failed to resolve module specifier "node:worker_threads"')),
    });
    expect(pool).toBe('helper threads run in Node (worker_threads) only: node:worker_threads could not be loaded (TypeError: Failed to resolve module specifier "node:worker_threads")');
  });

  it('a Worker constructor that throws (as under Node\'s permission model): the reason carries the error, and nothing is left behind', async () => {
    const { arena, module, used } = await setUp();
    class Denied {
      constructor() {
        throw Object.assign(new Error('Access to this API has been restricted'), { code: 'ERR_ACCESS_DENIED' });
      }
    }
    const pool = await KernelThreadPool.create(arena, module, { loadWorkerThreads: withWorker(Denied) });
    expect(pool).toBe(
      'a helper thread could not be started (Error [ERR_ACCESS_DENIED]: Access to this API has been restricted; under Node\'s permission model, allow it with --allow-worker)',
    );
    expect(arena.usedBytes).toBe(used);
  });

  it('a helper that fails as it starts (an error event before it is ready): the pool says so, and the worker is gone', async () => {
    const { arena, module, used } = await setUp();
    const actual = await vi.importActual<typeof import('node:worker_threads')>('node:worker_threads');
    class Failing extends actual.Worker {
      constructor(_code: string, options: object) {
        super("throw new RangeError('no memory for the kernel module')", options);
      }
    }
    const started = performance.now();
    const pool = await KernelThreadPool.create(arena, module, { loadWorkerThreads: withWorker(Failing) });
    expect(pool).toBe('the helper thread failed as it started (RangeError: no memory for the kernel module)');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(arena.usedBytes).toBe(used);
    await KernelThreadPool.exited();
  });

  it('a helper that exits before it is ready, or never gets ready: the pool says so', async () => {
    const { arena, module, used } = await setUp();
    const actual = await vi.importActual<typeof import('node:worker_threads')>('node:worker_threads');
    class Exiting extends actual.Worker {
      constructor(_code: string, options: object) {
        super('process.exit(3)', options);
      }
    }
    expect(await KernelThreadPool.create(arena, module, { loadWorkerThreads: withWorker(Exiting) })).toBe(
      'the helper thread exited (code 3) before it was ready',
    );
    class Silent extends actual.Worker {
      constructor(_code: string, options: object) {
        super('setTimeout(() => {}, 60_000)', options);
      }
    }
    const started = performance.now();
    expect(await KernelThreadPool.create(arena, module, { loadWorkerThreads: withWorker(Silent), startTimeoutMs: 200 })).toBe(
      'the helper thread was not ready within 200 ms',
    );
    expect(performance.now() - started).toBeLessThan(5000);
    expect(arena.usedBytes).toBe(used);
    await KernelThreadPool.exited();
  });

  it('createCpuBackend({ threads: 2 }) under a bundler\'s empty node:worker_threads runs on one thread and says why', async () => {
    vi.doMock('node:worker_threads', () => ({ Worker: undefined }));
    try {
      const backend = await createCpuBackend({ threads: 2 });
      expect(backend.capabilities.details).toMatchObject({ kernel: 'wasm-simd', memory: 'shared', threads: 1 });
      expect(backend.capabilities.details.threadsReason).toMatch(/^helper threads run in Node \(worker_threads\) only: node:worker_threads here has no Worker constructor/);
      const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(PARALLEL_ELEMENTS).fill(1) }, learningRate: 0.1 });
      optimizer.step({ w: new Float32Array(PARALLEL_ELEMENTS).fill(1) });
      expect(optimizer.parameter('w')[PARALLEL_ELEMENTS - 1]).toBeLessThan(1);
      optimizer.dispose();
      backend.dispose();
    } finally {
      vi.doUnmock('node:worker_threads');
    }
  });
});
