import wabtInit from 'wabt';
import { bytesPerValue, type BenchCase, type BenchDType } from './bench-case.js';
import { fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance } from './implementation.js';
import { sqrtDivWat } from './sqrt-div-wat.js';

/** Bytes of each of g, v and u: 3 × 8 KiB stays in a 32 KiB L1 data cache. */
export const SQRT_DIV_BLOCK_BYTES = 8192;

let compiled: Promise<WebAssembly.Module> | undefined;

type SqrtDivFunction = (pg: number, pv: number, pu: number, bytes: number, passes: number) => void;

export function compileSqrtDivModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const wabt = await wabtInit();
    const module = wabt.parseWat('sqrt-div.wat', sqrtDivWat(), { simd: true });
    let binary: Uint8Array<ArrayBuffer>;
    try {
      module.validate();
      binary = Uint8Array.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
    } finally {
      module.destroy();
    }
    if (!WebAssembly.validate(binary)) throw new Error('this engine does not support WebAssembly SIMD (the sqrt-div module does not validate)');
    return WebAssembly.compile(binary);
  })();
  return compiled;
}

/**
 * u = g / (√v + ε) for `n` elements as whole passes over one L1-resident block plus a part of it: the
 * square roots and divisions of one RMSProp step of `n` elements, without its memory traffic.
 */
export class SqrtDivKernel {
  readonly n: number;
  readonly #fn: SqrtDivFunction;
  readonly #fullPasses: number;
  readonly #restBytes: number;
  readonly #memory: WebAssembly.Memory;
  /** g, v and u of the block (u is written). */
  readonly buffers: { readonly grads: Float32Array | Float64Array; readonly meanSquare: Float32Array | Float64Array; readonly out: Float32Array | Float64Array };

  private constructor(memory: WebAssembly.Memory, fn: SqrtDivFunction, dtype: BenchDType, n: number) {
    this.n = n;
    this.#memory = memory;
    this.#fn = fn;
    const block = SQRT_DIV_BLOCK_BYTES / bytesPerValue(dtype);
    this.#fullPasses = Math.floor(n / block);
    this.#restBytes = (n % block) * bytesPerValue(dtype);
    const view = (i: number) => (dtype === 'float32' ? new Float32Array(memory.buffer, i * SQRT_DIV_BLOCK_BYTES, block) : new Float64Array(memory.buffer, i * SQRT_DIV_BLOCK_BYTES, block));
    this.buffers = { grads: view(0), meanSquare: view(1), out: view(2) };
  }

  /** n must be a whole number of 16-byte vectors. */
  static async create(dtype: BenchDType, n: number): Promise<SqrtDivKernel> {
    if (!Number.isInteger(n) || n < 0 || (n * bytesPerValue(dtype)) % 16 !== 0) {
      throw new RangeError(`the sqrt-div kernel needs n × ${bytesPerValue(dtype)} bytes to be a multiple of 16; n = ${n}`);
    }
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = await WebAssembly.instantiate(await compileSqrtDivModule(), { env: { memory } });
    const fn = instance.exports[dtype === 'float32' ? 'sqrtdiv_f32' : 'sqrtdiv_f64'] as SqrtDivFunction;
    const kernel = new SqrtDivKernel(memory, fn, dtype, n);
    // The bench's values: v = g² of magnitudes in [0.01, 1), as an update sees (no subnormals, no zeros).
    fillBenchValues(kernel.buffers.grads, 7);
    fillBenchValues(kernel.buffers.meanSquare, 8);
    kernel.buffers.meanSquare.forEach((x, i, a) => (a[i] = x * x));
    return kernel;
  }

  /** One step's worth: the square roots and divisions of n elements. */
  step(): void {
    const b = SQRT_DIV_BLOCK_BYTES;
    if (this.#fullPasses > 0) this.#fn(0, b, 2 * b, b, this.#fullPasses);
    if (this.#restBytes > 0) this.#fn(0, b, 2 * b, this.#restBytes, 1);
  }

  get memoryBytes(): number {
    return this.#memory.buffer.byteLength;
  }
}

/**
 * `sqrt-div`: the arithmetic bound. The divider work of one step (one SIMD square root and division per
 * element) with no other arithmetic and no memory traffic: an exact kernel cannot be faster on one thread.
 */
export const sqrtDivImplementation: Implementation = {
  name: 'sqrt-div',
  role: 'bound',
  describe: () => `WebAssembly SIMD, u = g / (√v + ε) only (f32x4 / f64x2), over ${SQRT_DIV_BLOCK_BYTES / 1024} KiB blocks in L1: the divider's limit`,
  unsupported: (c) => ((c.n * bytesPerValue(c.dtype)) % 16 === 0 ? undefined : `n = ${c.n} is not a whole number of 16-byte vectors`),
  async create(c: BenchCase): Promise<Instance> {
    const kernel = await SqrtDivKernel.create(c.dtype, c.n);
    const step = () => kernel.step();
    return { run: (steps) => timeSteps(step, steps), dispose: () => undefined };
  },
};
