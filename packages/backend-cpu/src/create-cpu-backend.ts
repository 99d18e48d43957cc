import { ArgumentError, BackendUnavailableError } from '@rmsprop/core';
import { CpuBackend } from './cpu-backend.js';
import { WasmArena } from './wasm/wasm-arena.js';
import { WasmCpuBackend } from './wasm/wasm-backend.js';
import { instantiateKernels } from './wasm/wasm-kernels.js';

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
}

const OPTION_KEYS = new Set(['kernel', 'arenaBytes']);
const KERNELS: readonly CpuKernelChoice[] = ['auto', 'wasm-simd', 'js'];
const DEFAULT_ARENA_BYTES = 64 * 1024 * 1024;

/**
 * The CPU backend's factory (a `BackendFactory` when called without options): register it with a
 * `BackendRegistry`, or call it directly. Runs the WebAssembly SIMD kernel where the engine supports it
 * (parameters and state in WebAssembly memory), and the JS loops elsewhere; both are named `cpu`, and
 * `capabilities.details.kernel` says which runs.
 */
export async function createCpuBackend(options: CpuBackendOptions = {}): Promise<CpuBackend | WasmCpuBackend> {
  if (options === null || typeof options !== 'object') throw new ArgumentError('options', options, 'an object { kernel?, arenaBytes? }');
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.has(key)) throw new ArgumentError(`options.${key}`, (options as Record<string, unknown>)[key], 'kernel or arenaBytes');
  }
  const kernel = options.kernel ?? 'auto';
  if (!KERNELS.includes(kernel)) throw new ArgumentError('options.kernel', kernel, "'auto', 'wasm-simd' or 'js'");
  if (kernel === 'js') return new CpuBackend();
  const arena = WasmArena.create(options.arenaBytes ?? DEFAULT_ARENA_BYTES);
  const kernels = typeof WebAssembly === 'undefined' ? 'WebAssembly is not available here' : await instantiateKernels(arena.memory, arena.mode === 'shared');
  if (typeof kernels === 'string') {
    if (kernel === 'wasm-simd') throw new BackendUnavailableError(`the CPU backend's WebAssembly SIMD kernel cannot run: ${kernels}`, []);
    return new CpuBackend(kernels);
  }
  return new WasmCpuBackend(arena, kernels);
}
