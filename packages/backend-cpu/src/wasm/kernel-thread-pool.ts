import { BackendUnavailableError, describeValue } from '@rmsprop/core';
import { describeError } from './describe-error.js';
import { CONSTANTS_BYTES, CONSTANTS_COUNT, KERNEL_EXPORTS } from './kernel-abi.generated.js';
import type { WasmArena } from './wasm-arena.js';

/**
 * The helper threads' program, run with `new Worker(code, { eval: true })` so that no file has to be
 * found at run time. It instantiates the kernel module over the same shared memory, says 'ready' (the one
 * message it ever sends: `create` waits for it), and waits on the
 * control block: [0] the job number the main thread posted (−1: exit), [1] the last job done, [2] the
 * variant index, [3] 0 float32 / 1 float64, [4] the descriptor table's offset, [5] the descriptor count,
 * [6] the last job whose kernel call threw (a trap: the main thread, blocked in `join`, would never see an
 * 'error' event, so the helper says so here and the job still ends); then the constants block the kernel
 * reads (at byte 32).
 */
const WORKER_CODE = `
const { workerData, parentPort } = require('node:worker_threads');
const { memory, module, control } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const ctl = new Int32Array(memory.buffer, control, 8);
const kernels = [${JSON.stringify(KERNEL_EXPORTS.float32)}, ${JSON.stringify(KERNEL_EXPORTS.float64)}].map((names) => names.map((name) => instance.exports[name]));
parentPort.postMessage('ready');
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  const job = Atomics.load(ctl, 0);
  if (job === -1) break;
  try {
    kernels[ctl[3]][ctl[2]](ctl[4], ctl[5], control + 32);
  } catch {
    ctl[6] = job;
  }
  Atomics.store(ctl, 1, job);
  Atomics.notify(ctl, 1);
  seen = job;
}
`;

/** Bytes of the control block: 8 × i32, then the constants block. */
const CONTROL_BYTES = 32 + CONSTANTS_BYTES;

/**
 * The exits of helpers whose pools were disposed, until each is over. A worker's thread, its isolate and its
 * hold on its arena's memory go only when it has exited, and `terminate()` only starts that: a loop that
 * creates and disposes two-thread backends without waiting would pile up exiting workers, and the arenas
 * they hold (about 3 MiB more resident memory per backend that took a step of 2^18 float32 elements: 1.6 GB
 * after 500). `create` waits for these first, so at most the helpers of live pools (and those disposed
 * since the last `create`) exist.
 */
const exiting = new Set<Promise<void>>();

/** What a Node worker looks like to the pool. */
interface WorkerLike {
  unref(): void;
  terminate(): Promise<number>;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  off(event: 'error' | 'message' | 'exit', listener: (...args: never[]) => void): void;
}

/** Node's Worker constructor, as the pool calls it. */
type WorkerConstructor = new (code: string, options: object) => WorkerLike;

/** How long `create` waits for a helper to say it is ready (Node starts one in tens of milliseconds). */
const START_TIMEOUT_MS = 10_000;

/** Internal options of {@link KernelThreadPool.create} (tests pass stand-ins). */
export interface KernelThreadPoolOptions {
  /**
   * Loads node:worker_threads (default: a dynamic import of `#worker-threads`, package.json "imports": Node's
   * worker_threads under the "node" condition, worker-threads-unavailable.ts in browser builds).
   */
  readonly loadWorkerThreads?: () => Promise<unknown>;
  /** How long to wait for the helper to be ready before running on one thread (default 10 s). */
  readonly startTimeoutMs?: number;
}

/**
 * One helper thread sharing the arena's memory (Node's worker_threads; the arena must be shared). The main
 * thread posts half of a kernel call to it, runs the other half itself, and waits for the helper with
 * Atomics: no messages, no allocation per call.
 */
export class KernelThreadPool {
  readonly #ctl: Int32Array;
  readonly #constants: Float64Array;
  readonly #worker: WorkerLike;
  readonly #arena: WasmArena;
  readonly #control: number;
  #job = 0;
  #failed: Error | null = null;

  private constructor(arena: WasmArena, control: number, worker: WorkerLike) {
    this.#arena = arena;
    this.#control = control;
    this.#ctl = arena.int32View(control, 8);
    this.#ctl[6] = 0; // no job has trapped (the block may be reused memory)
    this.#constants = new Float64Array(arena.memory.buffer, control + 32, CONSTANTS_COUNT);
    this.#worker = worker;
    worker.on('error', (error) => {
      this.#failed = error;
    });
  }

  /**
   * A pool with one helper thread that has started and is ready, or the reason there can be none here (the
   * backend then runs on one thread and shows it as `threadsReason`): no shared memory; no node:worker_threads
   * (this package's browser build has none), or one without a Worker constructor (a bundler's stand-in for it
   * in a browser); a Worker that cannot be made (Node's permission model denies it: ERR_ACCESS_DENIED); or a
   * helper that fails, exits or is not ready within `startTimeoutMs` as it starts. Where there is none,
   * nothing is left behind: no control block in the arena, no worker running.
   */
  static async create(arena: WasmArena, module: WebAssembly.Module, options: KernelThreadPoolOptions = {}): Promise<KernelThreadPool | string> {
    if (arena.mode !== 'shared') return 'helper threads need shared WebAssembly memory, which is unavailable here';
    await KernelThreadPool.exited();
    const Worker = await loadWorker(options.loadWorkerThreads ?? (() => import('#worker-threads')));
    if (typeof Worker === 'string') return Worker;
    let control: number;
    try {
      control = arena.alloc(CONTROL_BYTES);
    } catch (error) {
      return `no room in the arena for the helper thread's control block (${describeError(error)})`;
    }
    let worker: WorkerLike;
    try {
      worker = new Worker(WORKER_CODE, { eval: true, workerData: { memory: arena.memory, module, control } });
    } catch (error) {
      arena.release(control, CONTROL_BYTES);
      const denied = (error as { code?: unknown } | null)?.code === 'ERR_ACCESS_DENIED';
      return `a helper thread could not be started (${describeError(error)}${denied ? "; under Node's permission model, allow it with --allow-worker" : ''})`;
    }
    const failure = await ready(worker, options.startTimeoutMs ?? START_TIMEOUT_MS);
    if (failure !== null) {
      stop(worker);
      arena.release(control, CONTROL_BYTES);
      return failure;
    }
    worker.unref();
    return new KernelThreadPool(arena, control, worker);
  }

  /** Post a kernel call to the helper; `join()` waits for it. */
  post(variant: number, dtype: 'float32' | 'float64', table: number, count: number, constants: Float64Array): void {
    if (this.#failed !== null) throw this.#failed;
    const ctl = this.#ctl;
    this.#constants.set(constants);
    ctl[2] = variant;
    ctl[3] = dtype === 'float32' ? 0 : 1;
    ctl[4] = table;
    ctl[5] = count;
    this.#job = this.#job === 0x7fffffff ? 1 : this.#job + 1;
    Atomics.store(ctl, 0, this.#job);
    Atomics.notify(ctl, 0);
  }

  /** Wait until the helper has finished the posted call. */
  join(): void {
    if (this.#failed !== null) throw this.#failed;
    const ctl = this.#ctl;
    for (;;) {
      const done = Atomics.load(ctl, 1);
      if (done === this.#job) {
        if (ctl[6] === done) {
          ctl[6] = 0;
          this.#failed = new BackendUnavailableError(
            `the CPU backend's helper thread failed: its kernel call (job ${done}) trapped; the half of the step it ran may be partly written, and this backend's two-thread steps are over`,
            [],
          );
          throw this.#failed;
        }
        return;
      }
      if (this.#failed !== null) throw this.#failed;
      Atomics.wait(ctl, 1, done, 1000);
    }
  }

  /**
   * Resolves once the helper of every pool disposed so far has exited (`create` waits for this before it
   * starts another helper).
   */
  static async exited(): Promise<void> {
    while (exiting.size > 0) await Promise.all(exiting);
  }

  /**
   * Stop the helper and give the control block back. The helper is told to leave its loop and terminated;
   * its exit is awaited by the next `create` (see `exited`), not here: disposing stays synchronous.
   */
  dispose(): void {
    Atomics.store(this.#ctl, 0, -1);
    Atomics.notify(this.#ctl, 0);
    stop(this.#worker);
    this.#arena.release(this.#control, CONTROL_BYTES);
  }
}

/** Terminates `worker`; its exit goes into `exiting`, for the next `create` to wait for. */
function stop(worker: WorkerLike): void {
  const exit: Promise<void> = worker
    .terminate()
    .then(
      () => undefined,
      () => undefined, // a worker that failed has exited too
    )
    .finally(() => exiting.delete(exit));
  exiting.add(exit);
}

/**
 * node:worker_threads' Worker constructor, or why there is none: the module does not load, is this package's
 * stand-in for browser builds (worker-threads-unavailable.ts), or has no Worker constructor (what a bundler
 * such as Vite gives a browser build for node:worker_threads itself: an empty module).
 */
async function loadWorker(load: () => Promise<unknown>): Promise<WorkerConstructor | string> {
  let Worker: unknown;
  try {
    const loaded = (await load()) as { Worker?: unknown; WORKER_THREADS_UNAVAILABLE?: unknown } | null;
    // `in` first: a module namespace may throw on reading a name it lacks (vitest's mocks do).
    const unavailable = typeof loaded === 'object' && loaded !== null && 'WORKER_THREADS_UNAVAILABLE' in loaded ? loaded.WORKER_THREADS_UNAVAILABLE : undefined;
    if (typeof unavailable === 'string') return `helper threads run in Node (worker_threads) only: ${unavailable}`;
    Worker = loaded?.Worker;
  } catch (error) {
    return `helper threads run in Node (worker_threads) only: node:worker_threads could not be loaded (${describeError(error)})`;
  }
  if (typeof Worker !== 'function') {
    return `helper threads run in Node (worker_threads) only: node:worker_threads here has no Worker constructor (Worker = ${describeValue(Worker)}; a bundler's stand-in for it in a browser build?)`;
  }
  return Worker as WorkerConstructor;
}

/**
 * Null once `worker` says it is ready; else why not: an 'error' event, an exit, or no word within
 * `timeoutMs`. The listeners are gone either way (the pool's own 'error' listener comes after).
 */
function ready(worker: WorkerLike, timeoutMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => settle(message === 'ready' ? null : `the helper thread sent ${describeValue(message)} instead of 'ready'`);
    const onError = (error: Error) => settle(`the helper thread failed as it started (${describeError(error)})`);
    const onExit = (code: number) => settle(`the helper thread exited (code ${code}) before it was ready`);
    const timer = setTimeout(() => settle(`the helper thread was not ready within ${timeoutMs} ms`), timeoutMs);
    function settle(failure: string | null): void {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      // A helper being stopped may still report an error: it is the reason already given, not a crash.
      if (failure !== null) worker.on('error', () => {});
      resolve(failure);
    }
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
