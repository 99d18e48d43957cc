import {
  checkSlotRequest,
  checkSlotUpdates,
  DisposedError,
  SPEC_VERSION,
  type BackendCapabilities,
  type BackendSlot,
  type RMSPropBackend,
  type SlotRequest,
  type SlotUpdate,
  type StateBufferName,
  KERNEL_CONSTANT,
  createKernelConstants,
  setKernelConstants,
  variantIndexOf,
} from '@rmsprop/core';
import type { GPU } from 'gpu.js';
import type { GpujsKernel } from './destroy-kernel.js';
import type { GpuValues } from './gpu-values.js';
import { GpujsSlot, noBuffers, releaseAll, type SlotBuffers } from './gpujs-slot.js';
import { KernelCache } from './kernel-cache.js';
import { UPDATE_KERNELS } from './update-kernels.generated.js';

/** The source of the copy kernel that turns a host array into a texture (and a texture into a fresh one). */
const COPY_KERNEL_SOURCE = 'function copyValues(values) { return values[this.thread.x]; }';

/** The name the gpu.js backend registers under and reports. */
export const GPUJS_BACKEND_NAME = 'gpujs';

/** The gpu.js modes this backend runs (kernel classes' `mode`). */
export type GpujsMode = 'webgl2' | 'webgl' | 'headlessgl' | 'cpu';

/** Modes that run on a GPU. */
export const GPU_MODES: readonly GpujsMode[] = ['webgl2', 'webgl', 'headlessgl'];

/** `capabilities.details` of the gpu.js backend ({@link GpujsBackend}). */
export type GpujsBackendDetails = {
  /** The gpu.js mode the kernels run in. */
  readonly mode: GpujsMode;
  /** Whether that mode runs on a GPU (every mode but 'cpu'). */
  readonly gpu: boolean;
  /** gpu.js's precision: float32 textures. */
  readonly precision: 'single';
  readonly description: string;
  /** Why gpu.js's cpu mode runs, where the default mode ('gpu') found no GPU mode that works. */
  readonly modeReason?: string;
};

/** The gpu.js backend's capabilities: values live in textures, never in host views (`hostVisible: false`). */
export type GpujsBackendCapabilities = BackendCapabilities<GpujsBackendDetails, false>;

/** Settings every kernel is built with: textures stay on the GPU, float32 values, outputs never aliased. */
const KERNEL_SETTINGS = { pipeline: true, immutable: true, precision: 'single', tactic: 'precision' } as const;

/**
 * RMSProp on gpu.js: each parameter's θ, v (and m, b) are float32 textures that gpu.js's pipeline kernels
 * read and write (WebGL2 in browsers, headless-gl in Node), so a step uploads the gradient and nothing is
 * read back; `readParams` is the explicit read. One kernel map per variant and length, generated from
 * @rmsprop/core's update program (update-kernels.generated.ts), computes the new θ and state in one pass;
 * the per-call constants are uniforms. The textures a step replaces
 * are freed in the same step. A length's kernels are built on first use and kept while a slot of that
 * length lives and for the `IDLE_LENGTHS` lengths released last (kernel-cache.ts); older ones are destroyed.
 *
 * In gpu.js's cpu mode the same kernels run as JavaScript over float32 arrays (no GPU): `details.mode`
 * says which mode runs. float32 only.
 */
export class GpujsBackend implements RMSPropBackend<GpujsBackendCapabilities> {
  readonly specVersion = SPEC_VERSION;
  readonly name = GPUJS_BACKEND_NAME;
  readonly capabilities: GpujsBackendCapabilities;
  /** The gpu.js mode the kernels run in. */
  readonly mode: GpujsMode;
  readonly #gpu: GPU;
  readonly #ownsGpu: boolean;
  readonly #kernels: KernelCache;
  readonly #slots = new Set<GpujsSlot>();
  readonly #constants = createKernelConstants();
  #disposed = false;

  /** Use {@link createGpujsBackend}, which probes the mode and the float read-back first. */
  constructor(gpu: GPU, mode: GpujsMode, ownsGpu: boolean, details: Pick<GpujsBackendDetails, 'modeReason'> = {}) {
    this.#gpu = gpu;
    this.mode = mode;
    this.#ownsGpu = ownsGpu;
    this.#kernels = new KernelCache(gpu);
    this.capabilities = Object.freeze({
      dtypes: Object.freeze(['float32'] as const),
      bufferLocation: mode === 'cpu' ? 'js-heap' : 'gpu-texture',
      hostVisible: false,
      hostArrays: 'copied',
      details: Object.freeze({
        mode,
        gpu: GPU_MODES.includes(mode),
        precision: 'single',
        description: 'one gpu.js kernel map per variant of the update program (θ and the new state in one pass), pipeline textures kept between steps',
        ...details,
      }),
    });
  }

  createSlot(request: SlotRequest): BackendSlot {
    this.#checkNotDisposed('createSlot');
    checkSlotRequest(request, ['float32'], 'gpu.js computes in float32 only');
    // The slot holds its length's kernels from before its first upload until it is disposed.
    this.#kernels.acquire(request.length);
    let slot: GpujsSlot;
    try {
      slot = new GpujsSlot(request, this, { upload: (values) => this.#upload(values) }, (s) => this.#forget(s));
    } catch (error) {
      this.#kernels.release(request.length);
      throw error;
    }
    this.#slots.add(slot);
    return slot;
  }

  /**
   * One step for each update. Every update is checked first; then each slot's kernel runs, reading its
   * current textures and returning new ones; only when every kernel has run do the slots take the new
   * textures (and free the old). A kernel that throws (a lost context) frees what the step had made and
   * leaves every slot as it was.
   */
  step(updates: readonly SlotUpdate[]): void {
    this.#checkNotDisposed('step');
    // GPU shaders may flush subnormal float32 numbers to zero (SwiftShader does): ε must be a normal float32 there.
    checkSlotUpdates(updates, this, 'gpu.js', { flushesSubnormals: this.mode !== 'cpu' });
    const n = updates.length;
    const results: (SlotBuffers | null)[] = [];
    try {
      for (let i = 0; i < n; i++) results.push(this.#run(updates[i]));
    } catch (error) {
      for (const r of results) if (r !== null) releaseAll(r);
      throw error;
    }
    for (let i = 0; i < n; i++) {
      const r = results[i];
      if (r !== null) (updates[i].slot as GpujsSlot).replaceBuffers(r);
    }
  }

  /**
   * Frees every slot's textures and every kernel, and destroys the `GPU` where the backend made it (one
   * passed to `createGpujsBackend` stays the caller's, with none of the backend's kernels left on it).
   * Later calls throw {@link DisposedError}; idempotent.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    try {
      for (const slot of [...this.#slots]) slot.dispose();
    } finally {
      this.#kernels.clear();
      // gpu.js finishes destroying on a later turn of the event loop; its promise has no one to report to.
      if (this.#ownsGpu) void Promise.resolve(this.#gpu.destroy()).catch(() => undefined);
    }
  }

  /** A disposed slot: no longer the backend's, and no longer holding its length's kernels. */
  #forget(slot: GpujsSlot): void {
    this.#slots.delete(slot);
    this.#kernels.release(slot.length);
  }

  /** The new buffers of one slot: θ and the state its variant stores, null for the rest (null at length 0). */
  #run(update: SlotUpdate): SlotBuffers | null {
    const slot = update.slot as GpujsSlot;
    if (slot.length === 0) return null;
    const b = slot.buffers;
    const variant = variantIndexOf(update.hyper.config);
    const spec = UPDATE_KERNELS[variant];
    const kernel = this.#updateKernel(variant, slot.length) as unknown as (...args: unknown[]) => Record<string, GpuValues>;
    const k = this.#constants;
    setKernelConstants(k, update.hyper);
    const args: unknown[] = spec.buffers.map((name) => (name === 'grad' ? update.grads : b[name]));
    for (const name of spec.constants) args.push(k[KERNEL_CONSTANT[name]]);
    const out = kernel(...args);
    const next = noBuffers();
    next.param = out.result!;
    for (const name of Object.keys(spec.outputs) as StateBufferName[]) next[name] = out[name]!;
    return next;
  }

  /** The kernel map of `variant` for `length` (a length some live slot holds). */
  #updateKernel(variant: number, length: number): GpujsKernel {
    return this.#kernels.kernel(length, `update:${variant}`, () => {
      const spec = UPDATE_KERNELS[variant];
      return this.#gpu.createKernelMap(spec.outputs as never, spec.source as never, {
        ...KERNEL_SETTINGS,
        output: [length],
      } as never) as unknown as GpujsKernel;
    });
  }

  /** `values` (of a live slot's length) as a new buffer of the current mode (a texture on the GPU). */
  #upload(values: Float32Array): GpuValues {
    const kernel = this.#kernels.kernel(values.length, 'copy', () => {
      return this.#gpu.createKernel(COPY_KERNEL_SOURCE as never, { ...KERNEL_SETTINGS, output: [values.length] } as never) as unknown as GpujsKernel;
    });
    return (kernel as unknown as (v: Float32Array) => GpuValues)(values);
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('gpu.js backend', operation);
  }
}
