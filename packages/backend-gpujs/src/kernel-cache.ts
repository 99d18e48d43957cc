import type { GPU } from 'gpu.js';
import { destroyKernel, type GpujsKernel } from './destroy-kernel.js';

/** The kernels of one parameter length, by name, and how many slots of that length hold them. */
interface LengthKernels {
  users: number;
  readonly kernels: Map<string, GpujsKernel>;
}

/**
 * The kernels a backend built for each parameter length (gpu.js fixes a kernel's output length when it
 * builds it, so each length has its own). A length's kernels live while a slot of that length does: a slot
 * `acquire`s its length before it is made and `release`s it when disposed, and the last release destroys
 * them. So a backend holds kernels only for the lengths in use, however many it has seen.
 */
export class KernelCache {
  readonly #gpu: GPU;
  readonly #lengths = new Map<number, LengthKernels>();

  /** Kernels are built on `gpu` (by the callers of `kernel`) and destroyed on it here. */
  constructor(gpu: GPU) {
    this.#gpu = gpu;
  }

  /** One more slot of `length` holds that length's kernels. */
  acquire(length: number): void {
    const entry = this.#lengths.get(length);
    if (entry === undefined) this.#lengths.set(length, { users: 1, kernels: new Map() });
    else entry.users++;
  }

  /** A slot of `length` is gone; the last one destroys the length's kernels. */
  release(length: number): void {
    const entry = this.#lengths.get(length);
    if (entry === undefined) return;
    if (--entry.users > 0) return;
    this.#lengths.delete(length);
    this.#destroy(entry.kernels.values());
  }

  /**
   * The kernel `name` of `length`, made by `build` on first use. `length` must be held (`acquire`d by a
   * live slot): a kernel nobody holds would never be freed.
   */
  kernel(length: number, name: string, build: () => GpujsKernel): GpujsKernel {
    const entry = this.#lengths.get(length);
    if (entry === undefined) throw new Error(`gpu.js backend: no live slot holds the kernels of length ${length}`);
    let kernel = entry.kernels.get(name);
    if (kernel === undefined) {
      kernel = build();
      entry.kernels.set(name, kernel);
    }
    return kernel;
  }

  /** Destroys every kernel, whoever holds it (the backend's `dispose`). */
  clear(): void {
    const all = [...this.#lengths.values()].flatMap((entry) => [...entry.kernels.values()]);
    this.#lengths.clear();
    this.#destroy(all);
  }

  /** Destroys each of `kernels`; one that throws does not keep the rest alive (the first error is rethrown). */
  #destroy(kernels: Iterable<GpujsKernel>): void {
    let failure: { error: unknown } | null = null;
    for (const kernel of kernels) {
      try {
        destroyKernel(this.#gpu, kernel);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure !== null) throw failure.error;
  }
}
