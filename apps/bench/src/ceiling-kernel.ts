import wabtInit from 'wabt';
import { bytesPerValue, variantSettings, type BenchDType, type Variant } from './bench-case.js';
import { ceilingWat } from './ceiling-wat.js';

const PAGE_BYTES = 65536;
/** Each buffer starts on a cache line. */
const ALIGN = 64;

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The ceiling module, compiled from its text with wabt (an npm dependency, nothing fetched) once per process.
 * Rejects where the engine has no WebAssembly SIMD.
 */
export function compileCeilingModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const wabt = await wabtInit();
    const module = wabt.parseWat('ceiling.wat', ceilingWat(), { simd: true });
    let binary: Uint8Array<ArrayBuffer>;
    try {
      module.validate();
      binary = Uint8Array.from(module.toBinary({ log: false, write_debug_names: false }).buffer);
    } finally {
      module.destroy();
    }
    if (!WebAssembly.validate(binary)) throw new Error('this engine does not support WebAssembly SIMD (the ceiling module does not validate)');
    return WebAssembly.compile(binary);
  })();
  return compiled;
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
  readonly #fn: CeilingFunction;
  readonly #args: number[];
  #memory: WebAssembly.Memory | null;

  private constructor(memory: WebAssembly.Memory, fn: CeilingFunction, pointers: number[], bytes: number, variant: Variant) {
    this.#memory = memory;
    this.#fn = fn;
    this.bytes = bytes;
    this.#args = [...pointers, bytes];
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

  /** n must make n × (4 or 8) bytes a multiple of 16 (n a multiple of 4 does). */
  static async create(variant: Variant, dtype: BenchDType, n: number): Promise<CeilingKernel> {
    const bytes = n * bytesPerValue(dtype);
    if (!Number.isInteger(n) || n < 0 || bytes % 16 !== 0) {
      throw new RangeError(`the ceiling kernel needs n × ${bytesPerValue(dtype)} bytes to be a multiple of 16; n = ${n}`);
    }
    const { momentum, centered } = variantSettings(variant);
    const streams = 3 + (centered ? 1 : 0) + (momentum > 0 ? 1 : 0);
    const stride = Math.ceil(bytes / ALIGN) * ALIGN;
    const pointers = Array.from({ length: streams }, (_, i) => ALIGN + i * stride);
    const total = ALIGN + streams * stride;
    const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(total / PAGE_BYTES)) });
    const instance = await WebAssembly.instantiate(await compileCeilingModule(), { env: { memory } });
    const fn = instance.exports[EXPORTS[variant]] as CeilingFunction;
    return new CeilingKernel(memory, fn, pointers, bytes, variant);
  }

  /** One pass over every buffer. */
  step(): void {
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
  }

  /** Drops the memory (views become unusable to the caller by contract). */
  dispose(): void {
    this.#memory = null;
  }

  get disposed(): boolean {
    return this.#memory === null;
  }
}
