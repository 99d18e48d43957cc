import type { GPU } from 'gpu.js';

/** A gpu.js kernel or kernel map as `createKernel`/`createKernelMap` return it (a run shortcut). */
export interface GpujsKernel {
  destroy(removeCanvasReferences?: boolean): void;
  /** The kernel instance the shortcut runs (gpu.js's `Kernel` subclass for the mode). */
  readonly kernel?: object;
}

/**
 * Destroys `kernel` and takes it off `gpu`'s list of kernels. gpu.js's GL kernels take themselves off that
 * list when destroyed, its cpu-mode kernels do not: without this, a GPU keeps every cpu-mode kernel it ever
 * made (about 60 KB each) for as long as the GPU is reachable.
 */
export function destroyKernel(gpu: GPU, kernel: GpujsKernel): void {
  const instance = (kernel.kernel ?? kernel) as { buffer?: unknown };
  // A GL kernel's vertex buffer (the full-screen quad) is left alive: gpu.js points the context's vertex
  // attributes at the buffer of the kernel built last and never again at run time, so deleting it made
  // every other kernel draw nothing (all zeros) from then on. Each quad is 64 bytes, freed with the context.
  if (instance.buffer) instance.buffer = null;
  try {
    kernel.destroy();
  } finally {
    const kernels = (gpu as unknown as { kernels?: unknown }).kernels;
    if (Array.isArray(kernels)) {
      const index = kernels.indexOf(instance);
      if (index >= 0) kernels.splice(index, 1);
    }
  }
}
