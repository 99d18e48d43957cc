import {
  checkArrayLength,
  checkStateArrays,
  DisposedError,
  mapStateBuffers,
  STATE_BUFFER_NAMES,
  type BackendSlot,
  type SlotRequest,
  type SlotState,
  type SlotStateArrays,
  type StateBufferName,
  type StateRecord,
} from '@rmsprop/core';
import { readValues, releaseValues, type GpuValues } from './gpu-values.js';

/**
 * A slot's buffers where the kernels run: θ, and each state buffer by name (`STATE_BUFFERS`). Null for a
 * buffer the slot does not have, and all null at length 0.
 */
export type SlotBuffers = { param: GpuValues | null } & { [K in StateBufferName]: GpuValues | null };

/** The keys of `SlotBuffers`: θ, then the state buffers in `STATE_BUFFERS` order. */
const BUFFER_KEYS = ['param', ...STATE_BUFFER_NAMES] as const;

/** Buffers with every entry null. */
export function noBuffers(): SlotBuffers {
  return { param: null, ...mapStateBuffers(() => null) };
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
  /** Which state buffers the slot keeps, by name. */
  readonly keeps: StateRecord<boolean>;
  /** The number of the last step that took this slot (the backend's duplicate check). */
  stamp = 0;
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
    const { length: n, state } = request;
    this.keeps = mapStateBuffers(({ name }) => state[name] !== null);
    const buffers = noBuffers();
    if (n > 0) {
      try {
        buffers.param = uploader.upload(Float32Array.from(request.values));
        for (const name of STATE_BUFFER_NAMES) {
          const initial = state[name];
          if (initial !== null) buffers[name] = uploader.upload(new Float32Array(n).fill(initial));
        }
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
   * Takes the non-null buffers of `next` (a step's outputs, or state `writeState` uploaded) as the slot's and
   * frees the ones they replace; a buffer null in `next` stays as it is (state a config does not store).
   * Called by the backend once every kernel of a step has run.
   */
  replaceBuffers(next: SlotBuffers): void {
    const buffers = this.#live('step');
    for (const key of BUFFER_KEYS) {
      const values = next[key];
      if (values === null || values === buffers[key]) continue;
      releaseValues(buffers[key]);
      buffers[key] = values;
    }
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
    return mapStateBuffers(({ name }) => {
      if (!this.keeps[name]) return null;
      const values = b[name];
      return values === null ? new Float32Array(0) : readValues(values, this.length);
    }) as SlotState;
  }

  /** Checks every array and uploads every one before replacing any; values are rounded to float32. */
  writeState(state: SlotStateArrays): void {
    this.#live('writeState');
    checkStateArrays(this, state, this.keeps);
    if (this.length === 0) return;
    const next = noBuffers();
    try {
      for (const name of STATE_BUFFER_NAMES) {
        const values = state[name];
        if (this.keeps[name]) next[name] = this.#uploader.upload(Float32Array.from(values!));
      }
    } catch (error) {
      releaseAll(next);
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
  for (const key of BUFFER_KEYS) releaseValues(buffers[key]);
}
