import { ArgumentError, BackendUnavailableError } from '@rmsprop/core';
import { JS_THREADS_REASON, JsLoopBackend, type JsLoopBackendDetails } from './js-loop-backend.js';
import { KernelThreadPool } from './wasm/kernel-thread-pool.js';
import { checkArenaBytes, WasmArena } from './wasm/wasm-arena.js';
import { WasmSimdBackend, type WasmSimdBackendDetails } from './wasm/wasm-simd-backend.js';
import { instantiateKernels, type WasmKernels } from './wasm/wasm-kernels.js';

/**
 * `capabilities.details` of a backend from {@link createCpuBackend}: `kernel` says which runs
 * ('wasm-simd' or 'js'), and narrows the rest; a field only the other kernel has reads as undefined.
 */
export type CpuBackendDetails = WasmSimdBackendDetails | JsLoopBackendDetails;

/** Which kernel the CPU backend runs. */
export type CpuKernelChoice = 'auto' | 'wasm-simd' | 'js';

/** Options of {@link createCpuBackend}. */
export interface CpuBackendOptions {
  /**
   * 'auto' (default): WebAssembly SIMD where it runs, else the JS loops (the reason is in
   * `capabilities.details.fallbackReason`). 'wasm-simd': WebAssembly SIMD or reject. 'js': the JS loops.
   */
  readonly kernel?: CpuKernelChoice;
  /**
   * Where shared WebAssembly memory is unavailable (browsers that are not cross-origin isolated), the
   * arena is one ordinary memory of this many bytes that never grows, so that no view handed out is ever
   * detached. Default 64 MiB. Where shared memory exists, the arena grows as needed and this is unused.
   */
  readonly arenaBytes?: number;
  /**
   * Threads that share each large step (1 or 2; default 1). With 2, a helper thread (Node's
   * worker_threads, over the shared arena) takes half of every kernel call of at least `PARALLEL_ELEMENTS` (262,144) elements.
   * Where that cannot run (browsers, including a bundle whose node:worker_threads is an empty stand-in; no
   * shared memory; Node's permission model without --allow-worker; a helper that fails, exits or is not ready
   * within 10 s as it starts; the JS loops, asked for or fallen back to) the backend runs on one thread and
   * `capabilities.details.threadsReason` says why (`details.threads` is the number that runs); it never
   * throws for it. The default is 1 (measured: 1.8–1.97× at 1e7 elements on
   * an idle 2-core machine, no gain with another process busy, about 10 MiB per helper; see the README).
   */
  readonly threads?: number;
}

const OPTION_KEYS = new Set(['kernel', 'arenaBytes', 'threads']);
const KERNELS: readonly CpuKernelChoice[] = ['auto', 'wasm-simd', 'js'];
const DEFAULT_ARENA_BYTES = 64 * 1024 * 1024;

/**
 * The CPU backend's factory (a `BackendFactory` when called without options): register it with a
 * `BackendRegistry`, or call it directly. Runs the WebAssembly SIMD kernel where the engine supports it
 * (parameters and state in WebAssembly memory), and the JS loops elsewhere; both are named `cpu`, and
 * `capabilities.details.kernel` says which runs.
 */
export async function createCpuBackend(options: CpuBackendOptions = {}): Promise<JsLoopBackend | WasmSimdBackend> {
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', options, 'an object { kernel?, arenaBytes?, threads? }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new ArgumentError(`options.${key}`, (options as Record<string, unknown>)[key], 'kernel, arenaBytes or threads');
  }
  const kernel = options.kernel ?? 'auto';
  if (!KERNELS.includes(kernel)) throw new ArgumentError('options.kernel', kernel, "'auto', 'wasm-simd' or 'js'");
  const threads = options.threads ?? 1;
  if (threads !== 1 && threads !== 2) throw new ArgumentError('options.threads', threads, '1 or 2');
  const arenaBytes = options.arenaBytes ?? DEFAULT_ARENA_BYTES;
  checkArenaBytes(arenaBytes); // whichever kernel runs: a bad option is the caller's mistake everywhere
  const jsThreadsReason = threads === 2 ? JS_THREADS_REASON : undefined;
  if (kernel === 'js') return new JsLoopBackend(undefined, jsThreadsReason);
  const wasm = await prepareWasm(arenaBytes);
  if (typeof wasm === 'string') {
    if (kernel === 'wasm-simd') throw new BackendUnavailableError(`the CPU backend's WebAssembly SIMD kernel cannot run: ${wasm}`, []);
    return new JsLoopBackend(wasm, jsThreadsReason);
  }
  const { arena, kernels } = wasm;
  if (threads === 1) return new WasmSimdBackend(arena, kernels);
  const pool = await KernelThreadPool.create(arena, kernels.module);
  return typeof pool === 'string' ? new WasmSimdBackend(arena, kernels, null, pool) : new WasmSimdBackend(arena, kernels, pool);
}

/**
 * The arena and the kernel module, or why the WebAssembly kernel cannot run here: no WebAssembly, no memory
 * for the arena, or a module the engine will not validate or compile ('auto' then runs the JS loops and
 * says why).
 */
async function prepareWasm(arenaBytes: number): Promise<{ arena: WasmArena; kernels: WasmKernels } | string> {
  if (typeof WebAssembly === 'undefined') return 'WebAssembly is not available here';
  let arena: WasmArena;
  try {
    arena = WasmArena.create(arenaBytes);
  } catch (error) {
    if (error instanceof BackendUnavailableError) return error.message;
    throw error;
  }
  const kernels = await instantiateKernels(arena.memory, arena.mode === 'shared');
  return typeof kernels === 'string' ? kernels : { arena, kernels };
}
