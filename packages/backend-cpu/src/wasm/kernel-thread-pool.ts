import { CONSTANTS_BYTES, CONSTANTS_COUNT, KERNEL_EXPORTS } from './kernel-abi.generated.js';
import type { WasmArena } from './wasm-arena.js';

/**
 * The helper threads' program, run with `new Worker(code, { eval: true })` so that no file has to be
 * found at run time. It instantiates the kernel module over the same shared memory and waits on the
 * control block: [0] the job number the main thread posted (−1: exit), [1] the last job done, [2] the
 * variant index, [3] 0 float32 / 1 float64, [4] the descriptor table's offset, [5] the descriptor count;
 * then the constants block the kernel reads (at byte 32).
 */
const WORKER_CODE = `
const { workerData } = require('node:worker_threads');
const { memory, module, control } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const ctl = new Int32Array(memory.buffer, control, 8);
const kernels = [${JSON.stringify(KERNEL_EXPORTS.float32)}, ${JSON.stringify(KERNEL_EXPORTS.float64)}].map((names) => names.map((name) => instance.exports[name]));
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  const job = Atomics.load(ctl, 0);
  if (job === -1) break;
  kernels[ctl[3]][ctl[2]](ctl[4], ctl[5], control + 32);
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
    this.#constants = new Float64Array(arena.memory.buffer, control + 32, CONSTANTS_COUNT);
    this.#worker = worker;
    worker.on('error', (error) => {
      this.#failed = error;
    });
  }

  /** A pool with one helper thread, or the reason there can be none here. */
  static async create(arena: WasmArena, module: WebAssembly.Module): Promise<KernelThreadPool | string> {
    if (arena.mode !== 'shared') return 'helper threads need shared WebAssembly memory, which is unavailable here';
    await KernelThreadPool.exited();
    let Worker: new (code: string, options: object) => WorkerLike;
    try {
      ({ Worker } = (await import('node:worker_threads')) as unknown as { Worker: typeof Worker });
    } catch {
      return 'helper threads run in Node (worker_threads) only';
    }
    const control = arena.alloc(CONTROL_BYTES);
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: { memory: arena.memory, module, control } });
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
    const ctl = this.#ctl;
    for (;;) {
      const done = Atomics.load(ctl, 1);
      if (done === this.#job) return;
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
    const exit: Promise<void> = this.#worker
      .terminate()
      .then(
        () => undefined,
        () => undefined, // a worker that failed has exited too
      )
      .finally(() => exiting.delete(exit));
    exiting.add(exit);
    this.#arena.release(this.#control, CONTROL_BYTES);
  }
}
