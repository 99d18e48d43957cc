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
import type { GPU, IKernelMapRunShortcut, IKernelRunShortcut } from 'gpu.js';
import type { GpuValues } from './gpu-values.js';
import { GpujsSlot, noBuffers, releaseAll, type SlotBuffers } from './gpujs-slot.js';
import { UPDATE_KERNELS } from './update-kernels.generated.js';

/** The source of the copy kernel that turns a host array into a texture (and a texture into a fresh one). */
const COPY_KERNEL_SOURCE = 'function copyValues(values) { return values[this.thread.x]; }';

/** The name the gpu.js backend registers under and reports. */
export const GPUJS_BACKEND_NAME = 'gpujs';

/** The gpu.js modes this backend runs (kernel classes' `mode`). */
export type GpujsMode = 'webgl2' | 'webgl' | 'headlessgl' | 'cpu';

/** Modes that run on a GPU. */
export const GPU_MODES: readonly GpujsMode[] = ['webgl2', 'webgl', 'headlessgl'];

/** Settings every kernel is built with: textures stay on the GPU, float32 values, outputs never aliased. */
const KERNEL_SETTINGS = { pipeline: true, immutable: true, precision: 'single', tactic: 'precision' } as const;

type AnyKernel = IKernelRunShortcut | IKernelMapRunShortcut<Record<string, unknown>>;

/**
 * RMSProp on gpu.js: each parameter's θ, v (and m, b) are float32 textures that gpu.js's pipeline kernels
 * read and write (WebGL2 in browsers, headless-gl in Node), so a step uploads the gradient and nothing is
 * read back; `readParams` is the explicit read. One kernel map per variant and length, generated from
 * @rmsprop/core's update program (update-kernels.generated.ts), computes the new θ and state in one pass;
 * the per-call constants are uniforms. The textures a step replaces
 * are freed in the same step.
 *
 * In gpu.js's cpu mode the same kernels run as JavaScript over float32 arrays (no GPU): `details.mode`
 * says which mode runs. float32 only.
 */
export class GpujsBackend implements RMSPropBackend {
  readonly specVersion = SPEC_VERSION;
  readonly name = GPUJS_BACKEND_NAME;
  readonly capabilities: BackendCapabilities;
  /** The gpu.js mode the kernels run in. */
  readonly mode: GpujsMode;
  readonly #gpu: GPU;
  readonly #ownsGpu: boolean;
  readonly #kernels = new Map<string, AnyKernel>();
  readonly #slots = new Set<GpujsSlot>();
  readonly #constants = createKernelConstants();
  #disposed = false;
  /** The number of the last step (`step` marks each slot it takes with it, which finds a slot given twice). */

  /** Use {@link createGpujsBackend}, which probes the mode and the float read-back first. */
  constructor(gpu: GPU, mode: GpujsMode, ownsGpu: boolean, details: Readonly<Record<string, string | number | boolean>> = {}) {
    this.#gpu = gpu;
    this.mode = mode;
    this.#ownsGpu = ownsGpu;
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
    const slot = new GpujsSlot(request, this, { upload: (values) => this.#upload(values) }, (s) => this.#slots.delete(s));
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
    checkSlotUpdates(updates, this, 'gpu.js');
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

  /** Frees every slot's textures and every kernel. Later calls throw {@link DisposedError}; idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    for (const slot of [...this.#slots]) slot.dispose();
    for (const kernel of this.#kernels.values()) kernel.destroy();
    this.#kernels.clear();
    if (this.#ownsGpu) this.#gpu.destroy();
    this.#disposed = true;
  }

  /** The new buffers of one slot: θ and the state its variant stores, null for the rest (null at length 0). */
  #run(update: SlotUpdate): SlotBuffers | null {
    const slot = update.slot as GpujsSlot;
    if (slot.length === 0) return null;
    const variant = variantIndexOf(update.hyper.config);
    const spec = UPDATE_KERNELS[variant];
    const kernel = this.#updateKernel(variant, slot.length) as unknown as (...args: unknown[]) => Record<string, GpuValues>;
    const k = this.#constants;
    setKernelConstants(k, update.hyper);
    const b = slot.buffers;
    const args: unknown[] = spec.buffers.map((name) => (name === 'grad' ? update.grads : b[name]));
    for (const name of spec.constants) args.push(k[KERNEL_CONSTANT[name]]);
    const out = kernel(...args);
    const next = noBuffers();
    next.param = out.result!;
    for (const name of Object.keys(spec.outputs) as StateBufferName[]) next[name] = out[name]!;
    return next;
  }

  #updateKernel(variant: number, length: number): AnyKernel {
    const key = `update:${variant}:${length}`;
    let kernel = this.#kernels.get(key);
    if (kernel === undefined) {
      const spec = UPDATE_KERNELS[variant];
      kernel = this.#gpu.createKernelMap(spec.outputs as never, spec.source as never, {
        ...KERNEL_SETTINGS,
        output: [length],
      } as never) as unknown as AnyKernel;
      this.#kernels.set(key, kernel);
    }
    return kernel;
  }

  /** `values` as a new buffer of the current mode (a texture on the GPU). */
  #upload(values: Float32Array): GpuValues {
    const key = `copy:${values.length}`;
    let kernel = this.#kernels.get(key);
    if (kernel === undefined) {
      kernel = this.#gpu.createKernel(COPY_KERNEL_SOURCE as never, { ...KERNEL_SETTINGS, output: [values.length] } as never) as unknown as AnyKernel;
      this.#kernels.set(key, kernel);
    }
    return (kernel as unknown as (v: Float32Array) => GpuValues)(values);
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('gpu.js backend', operation);
  }
}
