/** The backends a page can offer (ids and labels only: no imports of the backends, so Node tests can use it). */
export type BackendId = 'cpu' | 'cpu-js' | 'gpujs' | 'tfjs-webgl' | 'tfjs-wasm' | 'tfjs-cpu';

export const BACKEND_IDS: readonly BackendId[] = ['cpu', 'cpu-js', 'gpujs', 'tfjs-webgl', 'tfjs-wasm', 'tfjs-cpu'];

export const BACKEND_LABELS: Readonly<Record<BackendId, string>> = {
  cpu: 'cpu — WebAssembly SIMD',
  'cpu-js': 'cpu — plain JS loops',
  gpujs: 'gpu.js — WebGL2 textures',
  'tfjs-webgl': 'tfjs — webgl',
  'tfjs-wasm': 'tfjs — wasm',
  'tfjs-cpu': 'tfjs — cpu',
};
