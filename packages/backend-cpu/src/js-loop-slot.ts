import {
  checkArrayLength,
  checkStateArrays,
  allocateFloatArray,
  DisposedError,
  dtypeOf,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropConfig,
  type SlotRequest,
  type SlotState,
  type StateArrays,
  type StateRecord,
  mapStateBuffers,
  STATE_BUFFER_NAMES,
} from '@rmsprop/core';
import type { KernelBuffers } from './js-loop.js';
import { selectKernel } from './select-kernel.js';

/** What a disposed slot points at, so that its arrays can be collected. */
const RELEASED: KernelBuffers = Object.freeze({
  params: new Float64Array(0),
  ...(mapStateBuffers(() => null) as unknown as StateArrays<FloatArray>),
  meanSquare: new Float64Array(0),
});

/**
 * One parameter's buffers on the CPU backend: θ (the caller's own array when adopted), v, and m and b
 * where asked for, all typed arrays of the slot's dtype on the JS heap, plus a gradient buffer allocated
 * on first use of `grads`. Created by the backend's `createSlot`.
 */
export class JsLoopSlot implements BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  /** The backend that created this slot; its `step` takes only its own slots. */
  readonly owner: object;
  /** Which state buffers the slot keeps. */
  readonly keeps: StateRecord<boolean>;
  /** The number of the last step that took this slot (the backend's duplicate check). */
  stamp = 0;
  #buffers: KernelBuffers;
  #grads: FloatArray | null = null;
  #disposed = false;
  readonly #onDispose: (slot: JsLoopSlot) => void;

  /** `request` must be valid (see the backend's `createSlot`). */
  constructor(request: SlotRequest, owner: object, onDispose: (slot: JsLoopSlot) => void) {
    const { dtype, length, values, state } = request;
    this.name = request.name;
    this.dtype = dtype;
    this.length = length;
    this.owner = owner;
    this.keeps = mapStateBuffers(({ name }) => state[name] !== null);
    this.#onDispose = onDispose;
    let params: FloatArray;
    if (request.adopt && dtypeOf(values) === dtype) {
      params = values;
    } else {
      params = allocateFloatArray(dtype, length);
      params.set(values);
    }
    const buffers = mapStateBuffers(({ name }) => {
      const initial = state[name];
      return initial === null ? null : allocateFloatArray(dtype, length).fill(initial);
    }) as StateArrays<FloatArray>;
    this.#buffers = { params, ...buffers };
  }

  /** The live parameter values, updated in place by each step (the adopted array itself where adopted). */
  get params(): FloatArray {
    this.#checkNotDisposed('params');
    return this.#buffers.params;
  }

  /** A gradient buffer of the slot's dtype and length (allocated on first use): fill it and pass it to step. */
  get grads(): FloatArray {
    this.#checkNotDisposed('grads');
    if (this.#grads === null) this.#grads = allocateFloatArray(this.dtype, this.length);
    return this.#grads;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  readParams(): FloatArray {
    this.#checkNotDisposed('readParams');
    return this.#buffers.params.slice();
  }

  writeParams(values: ArrayLike<number>): void {
    this.#checkNotDisposed('writeParams');
    checkArrayLength(this, 'values', values);
    this.#buffers.params.set(values);
  }

  readState(): SlotState {
    this.#checkNotDisposed('readState');
    const buffers = this.#buffers;
    return mapStateBuffers(({ name }) => buffers[name]?.slice() ?? null) as SlotState;
  }

  /** Checks every array before writing any (float32 slots round each value to nearest). */
  writeState(state: StateArrays<ArrayLike<number>>): void {
    this.#checkNotDisposed('writeState');
    checkStateArrays(this, state, this.keeps);
    const buffers = this.#buffers;
    for (const name of STATE_BUFFER_NAMES) buffers[name]?.set(state[name]!);
  }

  /** Drops the buffers (an adopted array stays the caller's). Later use throws {@link DisposedError}. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#buffers = RELEASED;
    this.#grads = null;
    this.#onDispose(this);
  }

  /**
   * Run the loop for `config`'s switches as they are now (a few comparisons and a table lookup, redone every
   * step because a caller may reuse one config object and change its switches between steps). The step's
   * checks have passed.
   */
  run(grads: FloatArray, k: Float64Array, config: Readonly<RMSPropConfig>): void {
    selectKernel(config)(this.#buffers, grads, k);
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError(`cpu slot "${this.name}"`, operation);
  }
}
