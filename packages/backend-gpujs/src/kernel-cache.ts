import type { GPU } from 'gpu.js';
import { destroyKernel, type GpujsKernel } from './destroy-kernel.js';

/** The kernels of one parameter length, by name, and how many slots of that length hold them. */
interface LengthKernels {
  users: number;
  readonly kernels: Map<string, GpujsKernel>;
}

/** How many lengths no slot holds keep their kernels, the most recently released first. */
export const IDLE_LENGTHS = 8;

/**
 * The kernels a backend built for each parameter length (gpu.js fixes a kernel's output length when it
 * builds it, so each length has its own). A length's kernels live while a slot of that length does: a slot
 * `acquire`s its length before it is made and `release`s it when disposed. The last release keeps them
 * among the `IDLE_LENGTHS` most recently released lengths (an optimizer made again with the same shapes
 * compiles nothing: on WebGL2 over SwiftShader a new length's first step took a median 99 ms, compiling its
 * kernels, against 1.6 ms for the next) and destroys the kernels of the
 * length released longest ago. So a backend holds kernels for the lengths in use and at most
 * `IDLE_LENGTHS` more, however many it has seen.
 */
export class KernelCache {
  readonly #gpu: GPU;
  readonly #lengths = new Map<number, LengthKernels>();
  /** Kernels of lengths no slot holds, released longest ago first. */
  readonly #idle = new Map<number, Map<string, GpujsKernel>>();

  /** Kernels are built on `gpu` (by the callers of `kernel`) and destroyed on it here. */
  constructor(gpu: GPU) {
    this.#gpu = gpu;
  }

  /** One more slot of `length` holds that length's kernels. */
  acquire(length: number): void {
    const entry = this.#lengths.get(length);
    if (entry !== undefined) {
      entry.users++;
      return;
    }
    const kept = this.#idle.get(length);
    this.#idle.delete(length);
    this.#lengths.set(length, { users: 1, kernels: kept ?? new Map() });
  }

  /**
   * A slot of `length` is gone. After the last one the length's kernels join the idle ones, and where
   * that makes more than `IDLE_LENGTHS`, the kernels of the length released longest ago are destroyed.
   */
  release(length: number): void {
    const entry = this.#lengths.get(length);
    if (entry === undefined) return;
    if (--entry.users > 0) return;
    this.#lengths.delete(length);
    if (entry.kernels.size === 0) return;
    this.#idle.set(length, entry.kernels);
    if (this.#idle.size <= IDLE_LENGTHS) return;
    const [oldest, kernels] = this.#idle.entries().next().value as [number, Map<string, GpujsKernel>];
    this.#idle.delete(oldest);
    this.#destroy(kernels.values());
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
    for (const kernels of this.#idle.values()) all.push(...kernels.values());
    this.#lengths.clear();
    this.#idle.clear();
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
