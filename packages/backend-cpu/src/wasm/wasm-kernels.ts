import { describeError } from './describe-error.js';
import { KERNEL_EXPORTS } from './kernel-abi.generated.js';

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

/**
 * The kernel module's binary for a shared or an ordinary memory, base64-encoded. Each is a module of its own,
 * imported only here and only when asked for: bundlers split each into a chunk of its own, and a page loads
 * only the one its memory needs (about 130 KB of base64 each).
 */
export function loadKernelBinary(shared: boolean): Promise<string> {
  return shared
    ? import('./shared-memory-kernels.generated.js').then((m) => m.SHARED_MEMORY_KERNELS)
    : import('./unshared-memory-kernels.generated.js').then((m) => m.UNSHARED_MEMORY_KERNELS);
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The kernel module for a memory of this kind, or why it cannot run here: its chunk does not load (a bundled
 * page whose server lost it, or a network error), no SIMD (or threads, for the shared build), or an engine
 * that refuses to compile it (a Content-Security-Policy without 'wasm-unsafe-eval' blocks compilation, though
 * not validation). `load` gives the binary (tests pass stand-ins; default {@link loadKernelBinary}).
 */
export async function instantiateKernels(
  memory: WebAssembly.Memory,
  shared: boolean,
  load: (shared: boolean) => Promise<string> = loadKernelBinary,
): Promise<WasmKernels | string> {
  let base64: string;
  try {
    base64 = await load(shared);
  } catch (error) {
    return `the kernel module (for ${shared ? 'a shared' : 'an ordinary'} memory) could not be loaded (${describeError(error)})`;
  }
  const bytes = decodeBase64(base64);
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
