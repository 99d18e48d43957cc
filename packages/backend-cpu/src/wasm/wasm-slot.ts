import {
  checkArrayLength,
  checkStateArrays,
  DisposedError,
  dtypeOf,
  type BackendSlot,
  type DType,
  type FloatArray,
  type SlotRequest,
  type SlotState,
} from '@rmsprop/core';
import { DESCRIPTOR_FIELDS, DESCRIPTOR_LENGTH } from './kernel-abi.generated.js';
import type { WasmArena } from './wasm-arena.js';

/** Offsets of one slot's blocks in the arena (0 where the slot has no such buffer). */
export interface SlotOffsets {
  readonly params: number;
  readonly grads: number;
  readonly meanSquare: number;
  readonly meanGrad: number;
  readonly momentum: number;
}

/**
 * One parameter on the WebAssembly kernel: θ, the gradient buffer, v (and m, b where asked for) are blocks
 * of one arena in WebAssembly memory, and `params`/`grads` are typed-array views of them that stay valid
 * until `dispose()`.
 *
 * Adopted arrays (the optimizer's default, `inPlace`) cannot live in WebAssembly memory, so they are
 * mirrored: each step copies the caller's array into the arena before the kernel and back after it, and
 * `params` is the caller's array, so it always holds the live values, as with the JS kernel. For no copies
 * at all, make the optimizer with `inPlace: false` and use `optimizer.parameter(name)` (the arena's view)
 * and `optimizer.gradientBuffer(name)`.
 */
export class WasmSlot implements BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  readonly owner: object;
  /** Whether the slot has m (centered) and b (momentum) buffers. */
  readonly hasMeanGrad: boolean;
  readonly hasMomentum: boolean;
  /** The number of the last step that took this slot (the backend's duplicate check). */
  stamp = 0;
  readonly offsets: SlotOffsets;
  /** The offsets as a kernel descriptor's buffer fields (DESCRIPTOR_FIELDS before the length). */
  readonly descriptor: Int32Array;
  /**
   * The slot whose blocks this one's continue in every buffer (set by `createSlots`, which lays slots out
   * end to end), or null: a step lengthens that slot's descriptor instead of adding one. Compared by
   * identity, so a slot made later in a freed slot's place never counts as it.
   */
  follows: WasmSlot | null = null;
  readonly #arena: WasmArena;
  readonly #bytes: number;
  #arenaParams: FloatArray;
  #grads: FloatArray;
  #meanSquare: FloatArray;
  #meanGrad: FloatArray | null;
  #momentum: FloatArray | null;
  /** The caller's adopted array, kept in step with the arena's θ; null when not adopted. */
  #mirror: FloatArray | null;
  #disposed = false;
  readonly #onDispose: (slot: WasmSlot) => void;

  /**
   * `request` must be valid (see the backend's `createSlot`). `offsets`: blocks already taken for this slot
   * (zero-filled, of the slot's size, 0 for a buffer it does not have) by `createSlots`; without them, the
   * slot takes its own blocks from the arena.
   */
  constructor(request: SlotRequest, arena: WasmArena, owner: object, onDispose: (slot: WasmSlot) => void, offsets?: SlotOffsets) {
    const { dtype, length, values, state } = request;
    this.name = request.name;
    this.dtype = dtype;
    this.length = length;
    this.owner = owner;
    this.hasMeanGrad = state.meanGrad;
    this.hasMomentum = state.momentum;
    this.#arena = arena;
    this.#onDispose = onDispose;
    this.#bytes = length * (dtype === 'float32' ? 4 : 8);
    offsets ??= takeBlocks(arena, this.#bytes, state.meanGrad, state.momentum);
    this.offsets = offsets;
    const o = offsets;
    this.descriptor = Int32Array.from(DESCRIPTOR_FIELDS.slice(0, DESCRIPTOR_LENGTH), (field) =>
      field === 'param' ? o.params : field === 'grad' ? o.grads : o[field as keyof SlotOffsets],
    );
    this.#arenaParams = arena.view(dtype, offsets.params, length);
    this.#grads = arena.view(dtype, offsets.grads, length);
    this.#meanSquare = arena.view(dtype, offsets.meanSquare, length);
    this.#meanGrad = state.meanGrad ? arena.view(dtype, offsets.meanGrad, length) : null;
    this.#momentum = state.momentum ? arena.view(dtype, offsets.momentum, length) : null;
    this.#arenaParams.set(values);
    this.#meanSquare.fill(state.initialMeanSquare);
    this.#mirror = request.adopt && dtypeOf(values) === dtype ? values : null;
  }

  /** The live parameter values: the adopted caller array where mirrored, else the arena's view. */
  get params(): FloatArray {
    this.#checkNotDisposed('params');
    return this.#mirror ?? this.#arenaParams;
  }

  /** The gradient buffer in the arena: fill it and pass it to step, and nothing is copied. */
  get grads(): FloatArray {
    this.#checkNotDisposed('grads');
    return this.#grads;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Whether θ is mirrored into a caller's array (copied in and out around each step). */
  get mirrored(): boolean {
    return this.#mirror !== null;
  }

  readParams(): FloatArray {
    this.#checkNotDisposed('readParams');
    return this.params.slice();
  }

  writeParams(values: ArrayLike<number>): void {
    this.#checkNotDisposed('writeParams');
    checkArrayLength(this, 'values', values);
    this.#arenaParams.set(values);
    this.#mirror?.set(this.#arenaParams);
  }

  readState(): SlotState {
    this.#checkNotDisposed('readState');
    return {
      meanSquare: this.#meanSquare.slice(),
      meanGrad: this.#meanGrad === null ? null : this.#meanGrad.slice(),
      momentum: this.#momentum === null ? null : this.#momentum.slice(),
    };
  }

  /** Checks every array before writing any (float32 slots round each value to nearest). */
  writeState(state: { meanSquare: ArrayLike<number>; meanGrad: ArrayLike<number> | null; momentum: ArrayLike<number> | null }): void {
    this.#checkNotDisposed('writeState');
    checkStateArrays(this, state, { meanGrad: this.#meanGrad !== null, momentum: this.#momentum !== null });
    this.#meanSquare.set(state.meanSquare);
    this.#meanGrad?.set(state.meanGrad!);
    this.#momentum?.set(state.momentum!);
  }

  /** Gives the blocks back to the arena (an adopted array stays the caller's). Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const { params, grads, meanSquare, meanGrad, momentum } = this.offsets;
    for (const offset of [params, grads, meanSquare, meanGrad, momentum]) if (offset !== 0) this.#arena.release(offset, this.#bytes);
    const empty = this.dtype === 'float32' ? new Float32Array(0) : new Float64Array(0);
    this.#arenaParams = this.#grads = this.#meanSquare = empty;
    this.#meanGrad = this.#momentum = null;
    this.#mirror = null;
    this.#onDispose(this);
  }

  /** Throws {@link DisposedError} for a disposed slot: a step checks every slot before writing anything. */
  checkLive(): void {
    this.#checkNotDisposed('step');
  }

  /** Whether `stage(grads)` has anything to copy: a gradient outside the arena, or a mirrored θ. */
  needsStaging(grads: FloatArray): boolean {
    return grads !== this.#grads || this.#mirror !== null;
  }

  /** Before the kernel: the gradient (unless it is already the arena's buffer) and a mirrored θ go in. */
  stage(grads: FloatArray): void {
    if (grads !== this.#grads) this.#grads.set(grads);
    if (this.#mirror !== null) this.#arenaParams.set(this.#mirror);
  }

  /** After the kernel: a mirrored θ goes back out to the caller's array. */
  unstage(): void {
    if (this.#mirror !== null) this.#mirror.set(this.#arenaParams);
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError(`cpu slot "${this.name}"`, operation);
  }
}

/**
 * A slot's blocks, each of `bytes`: θ, g, v, and m and b where asked for. All or none: where one does not
 * fit (a fixed arena that is full), the ones already taken go back.
 */
function takeBlocks(arena: WasmArena, bytes: number, meanGrad: boolean, momentum: boolean): SlotOffsets {
  const taken: number[] = [];
  const block = () => {
    const offset = arena.alloc(bytes);
    taken.push(offset);
    return offset;
  };
  try {
    return { params: block(), grads: block(), meanSquare: block(), meanGrad: meanGrad ? block() : 0, momentum: momentum ? block() : 0 };
  } catch (error) {
    for (const offset of taken) arena.release(offset, bytes);
    throw error;
  }
}
