import { checkArrayLength, checkStateArrays, DisposedError, type BackendSlot, type SlotRequest, type SlotState } from '@rmsprop/core';
import { readValues, releaseValues, type GpuValues } from './gpu-values.js';

/** A slot's buffers where the kernels run. Null for a buffer the slot does not have, and all null at length 0. */
export interface SlotBuffers {
  param: GpuValues | null;
  meanSquare: GpuValues | null;
  meanGrad: GpuValues | null;
  momentum: GpuValues | null;
}

/** What a slot needs from its backend: turning host values into GPU buffers. */
export interface SlotUploader {
  /** `values` (float32, of the slot's length) as a new GPU buffer. */
  upload(values: Float32Array): GpuValues;
}

/**
 * One parameter on the gpu.js backend: θ, v (and m, b where asked for) as float32 textures (GL modes) or
 * arrays (cpu mode) that gpu.js's pipeline kernels read and return. Each step replaces them with the
 * kernel's outputs and frees the old ones; the host sees values only through `readParams`/`readState`.
 */
export class GpujsSlot implements BackendSlot {
  readonly name: string;
  readonly dtype = 'float32' as const;
  readonly length: number;
  /** Parameters live on the GPU: there is no host view. */
  readonly params = null;
  /** Gradients are uploaded from the host array each step gets. */
  readonly grads = null;
  /** The backend that created this slot; its `step` takes only its own slots. */
  readonly owner: object;
  readonly hasMeanGrad: boolean;
  readonly hasMomentum: boolean;
  #buffers: SlotBuffers | null;
  readonly #uploader: SlotUploader;
  readonly #onDispose: (slot: GpujsSlot) => void;

  /** `request` must be valid (the backend's `createSlot` checks it). */
  constructor(request: SlotRequest, owner: object, uploader: SlotUploader, onDispose: (slot: GpujsSlot) => void) {
    this.name = request.name;
    this.length = request.length;
    this.owner = owner;
    this.#uploader = uploader;
    this.#onDispose = onDispose;
    this.hasMeanGrad = request.state.meanGrad;
    this.hasMomentum = request.state.momentum;
    const n = request.length;
    const buffers: SlotBuffers = { param: null, meanSquare: null, meanGrad: null, momentum: null };
    if (n > 0) {
      try {
        buffers.param = uploader.upload(Float32Array.from(request.values));
        buffers.meanSquare = uploader.upload(new Float32Array(n).fill(request.state.initialMeanSquare));
        if (this.hasMeanGrad) buffers.meanGrad = uploader.upload(new Float32Array(n));
        if (this.hasMomentum) buffers.momentum = uploader.upload(new Float32Array(n));
      } catch (error) {
        releaseAll(buffers);
        throw error;
      }
    }
    this.#buffers = buffers;
  }

  get disposed(): boolean {
    return this.#buffers === null;
  }

  /** The current buffers (for the backend's step). */
  get buffers(): Readonly<SlotBuffers> {
    return this.#live('step');
  }

  /**
   * Takes the step's outputs as the slot's buffers and frees the ones they replace. Called by the backend
   * once every kernel of a step has run.
   */
  replaceBuffers(next: SlotBuffers): void {
    const old = this.#live('step');
    this.#buffers = next;
    for (const key of ['param', 'meanSquare', 'meanGrad', 'momentum'] as const) if (old[key] !== next[key]) releaseValues(old[key]);
  }

  readParams(): Float32Array {
    const buffers = this.#live('readParams');
    return buffers.param === null ? new Float32Array(0) : readValues(buffers.param, this.length);
  }

  writeParams(values: ArrayLike<number>): void {
    const buffers = this.#live('writeParams');
    checkArrayLength(this, 'values', values);
    if (this.length === 0) return;
    const next = this.#uploader.upload(Float32Array.from(values));
    releaseValues(buffers.param);
    buffers.param = next;
  }

  readState(): SlotState {
    const b = this.#live('readState');
    const read = (values: GpuValues | null): Float32Array => (values === null ? new Float32Array(0) : readValues(values, this.length));
    return {
      meanSquare: read(b.meanSquare),
      meanGrad: this.hasMeanGrad ? read(b.meanGrad) : null,
      momentum: this.hasMomentum ? read(b.momentum) : null,
    };
  }

  /** Checks every array and uploads every one before replacing any; values are rounded to float32. */
  writeState(state: { meanSquare: ArrayLike<number>; meanGrad: ArrayLike<number> | null; momentum: ArrayLike<number> | null }): void {
    const buffers = this.#live('writeState');
    checkStateArrays(this, state, { meanGrad: this.hasMeanGrad, momentum: this.hasMomentum });
    if (this.length === 0) return;
    const next: SlotBuffers = { param: buffers.param, meanSquare: null, meanGrad: null, momentum: null };
    try {
      next.meanSquare = this.#uploader.upload(Float32Array.from(state.meanSquare));
      if (this.hasMeanGrad) next.meanGrad = this.#uploader.upload(Float32Array.from(state.meanGrad!));
      if (this.hasMomentum) next.momentum = this.#uploader.upload(Float32Array.from(state.momentum!));
    } catch (error) {
      releaseAll({ ...next, param: null });
      throw error;
    }
    this.replaceBuffers(next);
  }

  /** Frees the slot's textures. Later use throws {@link DisposedError}. Idempotent. */
  dispose(): void {
    const buffers = this.#buffers;
    if (buffers === null) return;
    this.#buffers = null;
    releaseAll(buffers);
    this.#onDispose(this);
  }

  #live(operation: string): SlotBuffers {
    if (this.#buffers === null) throw new DisposedError(`gpu.js slot "${this.name}"`, operation);
    return this.#buffers;
  }
}

/** Frees every buffer of `buffers`. */
export function releaseAll(buffers: SlotBuffers): void {
  releaseValues(buffers.param);
  releaseValues(buffers.meanSquare);
  releaseValues(buffers.meanGrad);
  releaseValues(buffers.momentum);
}
