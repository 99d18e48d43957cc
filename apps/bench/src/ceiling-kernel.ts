import wabtInit from 'wabt';
import { bytesPerValue, variantSettings, type BenchDType, type Variant } from './bench-case.js';
import { ceilingWat } from './ceiling-wat.js';

const PAGE_BYTES = 65536;
/** Each buffer starts on a cache line. */
const ALIGN = 64;

const compiled = new Map<boolean, Promise<WebAssembly.Module>>();

/**
 * The ceiling module (`shared`: over a shared memory, for two threads), compiled from its text with wabt (an
 * npm dependency, nothing fetched) once per process. Rejects where the engine has no WebAssembly SIMD (or,
 * shared, no threads).
 */
export function compileCeilingModule(shared = false): Promise<WebAssembly.Module> {
  let module = compiled.get(shared);
  if (module === undefined) {
    module = (async () => {
      const wabt = await wabtInit();
      const parsed = wabt.parseWat('ceiling.wat', ceilingWat(shared), { simd: true, threads: true });
      let binary: Uint8Array<ArrayBuffer>;
      try {
        // wabt's validator does not take shared memories (the threads feature); the engine's check below does.
        if (!shared) parsed.validate();
        binary = Uint8Array.from(parsed.toBinary({ log: false, write_debug_names: false }).buffer);
      } finally {
        parsed.destroy();
      }
      if (!WebAssembly.validate(binary)) {
        throw new Error(`this engine does not support WebAssembly SIMD${shared ? ' and threads' : ''} (the ceiling module does not validate)`);
      }
      return WebAssembly.compile(binary);
    })();
    compiled.set(shared, module);
  }
  return module;
}

/**
 * The helper thread of the 2-thread ceiling, run with `new Worker(code, { eval: true })`: it instantiates
 * the module over the shared memory and, each time the job number at control[0] changes, runs the export on
 * its half of the buffers, then stores the job number in control[1] (−1 in control[0]: exit).
 */
const HELPER_CODE = `
const { workerData } = require('node:worker_threads');
const { memory, module, name, args } = workerData;
const fn = new WebAssembly.Instance(module, { env: { memory } }).exports[name];
const ctl = new Int32Array(memory.buffer, 0, 2);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, 0, seen);
  const job = Atomics.load(ctl, 0);
  if (job === -1) break;
  fn(...args);
  Atomics.store(ctl, 1, job);
  Atomics.notify(ctl, 1);
  seen = job;
}
`;

interface HelperThread {
  terminate(): Promise<number>;
}

type CeilingFunction = (...args: number[]) => void;

/** The export of each variant. */
const EXPORTS: Record<Variant, string> = {
  plain: 'plain',
  momentum: 'momentum',
  centered: 'centered',
  'centered+momentum': 'centeredMomentum',
};

/** The buffers of one ceiling instance, as byte views into its own WebAssembly memory. */
export interface CeilingBuffers {
  readonly params: Uint8Array;
  readonly grads: Uint8Array;
  readonly meanSquare: Uint8Array;
  readonly meanGrad: Uint8Array | null;
  readonly momentum: Uint8Array | null;
}

/**
 * The ceiling for one variant, dtype and size: θ, g, v (and m, b) of `n` elements each inside one
 * WebAssembly memory of its own, and `step()` moves exactly the bytes one RMSProp step moves.
 */
export class CeilingKernel {
  readonly buffers: CeilingBuffers;
  readonly bytes: number;
  /** 1, or 2: a helper thread takes the upper half of every buffer. */
  readonly threads: 1 | 2;
  readonly #fn: CeilingFunction;
  readonly #args: number[];
  #memory: WebAssembly.Memory | null;
  readonly #helper: HelperThread | null;
  readonly #ctl: Int32Array | null;
  #job = 0;

  private constructor(memory: WebAssembly.Memory, fn: CeilingFunction, pointers: number[], bytes: number, variant: Variant, helper: HelperThread | null, ownBytes: number) {
    this.#memory = memory;
    this.#fn = fn;
    this.bytes = bytes;
    this.threads = helper === null ? 1 : 2;
    this.#helper = helper;
    this.#ctl = helper === null ? null : new Int32Array(memory.buffer, 0, 2);
    this.#args = [...pointers, ownBytes];
    const view = (p: number): Uint8Array => new Uint8Array(memory.buffer, p, bytes);
    const { momentum, centered } = variantSettings(variant);
    this.buffers = {
      params: view(pointers[0]),
      grads: view(pointers[1]),
      meanSquare: view(pointers[2]),
      meanGrad: centered ? view(pointers[3]) : null,
      momentum: momentum > 0 ? view(pointers[centered ? 4 : 3]) : null,
    };
  }

  /**
   * n must make n × (4 or 8) bytes a multiple of 16 (n a multiple of 4 does). `threads: 2` runs the module
   * over a shared memory with a helper thread (Node's worker_threads) taking the upper half of every buffer
   * (split at a multiple of 16 bytes); the same bytes move, by two cores.
   */
  static async create(variant: Variant, dtype: BenchDType, n: number, threads: 1 | 2 = 1): Promise<CeilingKernel> {
    const bytes = n * bytesPerValue(dtype);
    if (!Number.isInteger(n) || n < 0 || bytes % 16 !== 0) {
      throw new RangeError(`the ceiling kernel needs n × ${bytesPerValue(dtype)} bytes to be a multiple of 16; n = ${n}`);
    }
    const { momentum, centered } = variantSettings(variant);
    const streams = 3 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
    const stride = Math.ceil(bytes / ALIGN) * ALIGN;
    const pointers = Array.from({ length: streams }, (_, i) => ALIGN + i * stride);
    const total = ALIGN + streams * stride;
    const pages = Math.max(1, Math.ceil(total / PAGE_BYTES));
    const shared = threads === 2;
    const memory = shared ? new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true }) : new WebAssembly.Memory({ initial: pages });
    const module = await compileCeilingModule(shared);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const fn = instance.exports[EXPORTS[variant]] as CeilingFunction;
    if (!shared) return new CeilingKernel(memory, fn, pointers, bytes, variant, null, bytes);
    // Bytes 0..63 (below the first buffer) hold the control words.
    const lower = Math.floor(bytes / 32) * 16;
    const { Worker } = await import('node:worker_threads');
    const helper = new Worker(HELPER_CODE, {
      eval: true,
      workerData: { memory, module, name: EXPORTS[variant], args: [...pointers.map((p) => p + lower), bytes - lower] },
    });
    helper.unref();
    return new CeilingKernel(memory, fn, pointers, bytes, variant, helper, lower);
  }

  /** One pass over every buffer (with a helper thread: its half and this thread's, at once). */
  step(): void {
    const ctl = this.#ctl;
    if (ctl !== null) {
      this.#job = this.#job === 0x7fffffff ? 1 : this.#job + 1;
      Atomics.store(ctl, 0, this.#job);
      Atomics.notify(ctl, 0);
    }
    const a = this.#args;
    switch (a.length) {
      case 4:
        this.#fn(a[0], a[1], a[2], a[3]);
        break;
      case 5:
        this.#fn(a[0], a[1], a[2], a[3], a[4]);
        break;
      default:
        this.#fn(a[0], a[1], a[2], a[3], a[4], a[5]);
    }
    if (ctl !== null) {
      for (;;) {
        const done = Atomics.load(ctl, 1);
        if (done === this.#job) break;
        Atomics.wait(ctl, 1, done, 1000);
      }
    }
  }

  /** Drops the memory (views become unusable to the caller by contract) and stops the helper thread. */
  dispose(): void {
    if (this.#ctl !== null && this.#memory !== null) {
      Atomics.store(this.#ctl, 0, -1);
      Atomics.notify(this.#ctl, 0);
      void this.#helper!.terminate();
    }
    this.#memory = null;
  }

  get disposed(): boolean {
    return this.#memory === null;
  }
}
