import { createCpuBackend } from '@rmsprop/backend-cpu';
import { createGpujsBackend } from '@rmsprop/backend-gpujs';
import { createTfjsBackend } from '@rmsprop/backend-tfjs';
import type { RMSPropBackend } from '@rmsprop/core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { env } from '@tensorflow/tfjs-core';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

import { BACKEND_IDS, type BackendId } from './browser-backends-ids.js';

export { BACKEND_IDS, BACKEND_LABELS, type BackendId } from './browser-backends-ids.js';

let wasmConfigured = false;

/** tfjs's wasm files, bundled by Vite (nothing fetched from a CDN); the threaded build hangs under isolation. */
function configureTfjsWasm(): void {
  if (wasmConfigured) return;
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
  wasmConfigured = true;
}

/**
 * A new backend of this kind. tfjs backends share tfjs's global active backend: dispose one before
 * creating another. Rejects, saying why, where the kind does not run in this browser.
 */
export async function createBrowserBackend(id: BackendId): Promise<RMSPropBackend> {
  switch (id) {
    case 'cpu':
      return createCpuBackend({ kernel: 'wasm-simd' });
    case 'cpu-js':
      return createCpuBackend({ kernel: 'js' });
    case 'gpujs':
      return createGpujsBackend({ mode: 'webgl2' });
    case 'tfjs-webgl':
      return createTfjsBackend({ tfjsBackend: 'webgl' });
    case 'tfjs-wasm': {
      configureTfjsWasm();
      return createTfjsBackend({ tfjsBackend: 'wasm' });
    }
    case 'tfjs-cpu':
      return createTfjsBackend({ tfjsBackend: 'cpu' });
  }
}

/** Whether a backend runs here: what it reports running, or why it does not. */
export type BackendAvailability = { id: BackendId; available: true; details: string } | { id: BackendId; available: false; reason: string };

/** Tries every backend once, one at a time (each disposed before the next). */
export async function probeBrowserBackends(): Promise<BackendAvailability[]> {
  const out: BackendAvailability[] = [];
  for (const id of BACKEND_IDS) {
    try {
      const backend = await createBrowserBackend(id);
      const d = backend.capabilities.details;
      out.push({ id, available: true, details: String(d.mode ?? d.kernel ?? d.tfjsBackend ?? backend.name) });
      backend.dispose();
    } catch (error) {
      out.push({ id, available: false, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return out;
}
