import { KERNEL_EXPORTS } from './kernel-abi.generated.js';
import { SHARED_MEMORY_KERNELS, UNSHARED_MEMORY_KERNELS } from './kernel-binaries.generated.js';

/**
 * One variant's SIMD function: walks `count` slot descriptors at `table` (DESCRIPTOR_FIELDS as i32) and
 * updates each slot in place, with the per-call constants (KERNEL_CONSTANTS of @rmsprop/core) read as
 * float64 from `constants`. Integers only cross the call.
 */
export type WasmKernel = (table: number, count: number, constants: number) => void;

/** The variants' functions per dtype, indexed by `variantIndexOf(config)`. */
export interface WasmKernels {
  readonly float32: readonly WasmKernel[];
  readonly float64: readonly WasmKernel[];
  /** The compiled module (helper threads instantiate it over the same memory). */
  readonly module: WebAssembly.Module;
  /** The index of the first NaN or ±∞ among `n` values at byte offset `p`, or −1. */
  readonly nonFinite: { readonly float32: (p: number, n: number) => number; readonly float64: (p: number, n: number) => number };
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The kernel module for a memory of this kind, or why it cannot run here: no SIMD (or threads, for the
 * shared build), or an engine that refuses to compile it (a Content-Security-Policy without
 * 'wasm-unsafe-eval' blocks compilation, though not validation).
 */
export async function instantiateKernels(memory: WebAssembly.Memory, shared: boolean): Promise<WasmKernels | string> {
  const bytes = decodeBase64(shared ? SHARED_MEMORY_KERNELS : UNSHARED_MEMORY_KERNELS);
  if (!WebAssembly.validate(bytes)) return 'this engine does not support WebAssembly SIMD (the kernel module does not validate)';
  let instance: WebAssembly.Instance;
  let module: WebAssembly.Module;
  try {
    ({ instance, module } = await WebAssembly.instantiate(bytes, { env: { memory } }));
  } catch (error) {
    const said = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    // Chromium's words name 'unsafe-eval', though 'wasm-unsafe-eval' is the source that allows WebAssembly alone.
    if (/Content[- ]Security[- ]Policy/i.test(said)) {
      return `a Content-Security-Policy refuses to compile WebAssembly here: add 'wasm-unsafe-eval' to its script-src (the engine said: ${said})`;
    }
    return `the kernel module could not be instantiated (${said})`;
  }
  const exports = instance.exports as Record<string, unknown> as Record<string, WasmKernel>;
  const scan = (name: string) => instance.exports[name] as unknown as (p: number, n: number) => number;
  return {
    float32: KERNEL_EXPORTS.float32.map((name) => exports[name]),
    float64: KERNEL_EXPORTS.float64.map((name) => exports[name]),
    module,
    nonFinite: { float32: scan('nonfinite_f32'), float64: scan('nonfinite_f64') },
  };
}
