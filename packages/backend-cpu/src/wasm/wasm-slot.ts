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
  type StateArrays,
  type StateBufferName,
  type StateRecord,
  mapStateBuffers,
  STATE_BUFFER_NAMES,
} from '@rmsprop/core';
import { DESCRIPTOR_FIELDS, DESCRIPTOR_LENGTH } from './kernel-abi.generated.js';
import type { WasmArena } from './wasm-arena.js';

/** The blocks a slot has: θ, its gradient, and each state buffer, named as the kernel descriptor names them. */
export type BlockName = 'param' | 'grad' | StateBufferName;

/** The blocks, in the kernel descriptor's order (DESCRIPTOR_FIELDS before the length). */
export const BLOCK_NAMES = DESCRIPTOR_FIELDS.slice(0, DESCRIPTOR_LENGTH) as readonly BlockName[];

/** Offsets of one slot's blocks in the arena (0 where the slot has no such buffer). */
export type SlotOffsets = { readonly [K in BlockName]: number };

/** Whether a slot made from `request` has block `name` (θ and g always; a state buffer where requested). */
export function hasBlock(request: SlotRequest, name: BlockName): boolean {
  return name === 'param' || name === 'grad' || request.state[name] !== null;
}

/**
 * One parameter on the WebAssembly kernel: θ, the gradient buffer, v (and m, b where asked for) are blocks
 * of one arena in WebAssembly memory, and `params`/`grads` are typed-array views of them that stay valid
 * until `dispose()`.
 *
 * A view handed out never aliases memory that later belongs to someone else: on a shared arena the views
 * are made (at the first `params`/`grads`) over a SharedArrayBuffer object of the slot's own (see
 * `WasmArena.separateBuffer`), and `dispose()` gives their blocks back only once that buffer is unreachable
 * (every view, subarray and `.buffer` of them dropped and collected); on a fixed arena, once each view is
 * (a subarray or a view made over its `.buffer` is not watched there: keep the view itself). Until then a
 * write through a kept view lands in a block that no one else has. Blocks never handed out (state, a
 * mirrored θ, a gradient buffer no one asked for) go back at once.
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
  /** Which state buffers the slot keeps. */
  readonly keeps: StateRecord<boolean>;
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
  /** Views of the state buffers' blocks (null where the slot keeps none). */
  #state: Record<StateBufferName, FloatArray | null>;
  /** The caller's array last copied into the gradient buffer by `stageGradient`, and the generation it was. */
  #stagedFrom: FloatArray | null = null;
  #stagedIn = -1;
  /** Whether the mirror is copied in before each step (false: the caller promised not to write it, `adopt: 'read-only'`). */
  readonly #mirrorIn: boolean;
  /** The caller's adopted array, kept in step with the arena's θ; null when not adopted. */
  #mirror: FloatArray | null;
  #disposed = false;
  readonly #onDispose: (slot: WasmSlot) => void;
  /** Whether `params` (the arena's θ) and `grads` were handed out: their blocks then wait at dispose. */
  #paramsOut = false;
  #gradsOut = false;
  /** The buffer the views handed out are made over (made with the first; null on a fixed arena). */
  #window: SharedArrayBuffer | null | undefined = undefined;

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
    this.keeps = mapStateBuffers(({ name }) => state[name] !== null);
    this.#arena = arena;
    this.#onDispose = onDispose;
    this.#bytes = length * (dtype === 'float32' ? 4 : 8);
    const o = offsets ?? takeBlocks(arena, this.#bytes, request);
    this.offsets = o;
    this.descriptor = Int32Array.from(BLOCK_NAMES, (name) => o[name]);
    this.#arenaParams = arena.view(dtype, o.param, length);
    this.#grads = arena.view(dtype, o.grad, length);
    this.#arenaParams.set(values);
    // Blocks come zero-filled; a state buffer that starts elsewhere is filled.
    this.#state = { ...mapStateBuffers(({ name }) => {
      const initial = state[name];
      if (initial === null) return null;
      const view = arena.view(dtype, o[name], length);
      if (!Object.is(initial, 0)) view.fill(initial);
      return view;
    }) };
    this.#mirror = request.adopt !== false && dtypeOf(values) === dtype ? values : null;
    this.#mirrorIn = request.adopt !== 'read-only';
  }

  /**
   * The live parameter values: the adopted caller array where mirrored, else the arena's view (the same
   * object every time; see the class for what becomes of it after dispose).
   */
  get params(): FloatArray {
    this.#checkNotDisposed('params');
    if (this.#mirror !== null) return this.#mirror;
    if (!this.#paramsOut) {
      this.#arenaParams = this.#handOut(this.offsets.param);
      this.#paramsOut = true;
    }
    return this.#arenaParams;
  }

  /** The gradient buffer in the arena: fill it and pass it to step, and nothing is copied. */
  get grads(): FloatArray {
    this.#checkNotDisposed('grads');
    if (!this.#gradsOut) {
      this.#grads = this.#handOut(this.offsets.grad);
      this.#gradsOut = true;
    }
    return this.#grads;
  }

  /** Whether `grads` is this slot's gradient buffer (what `grads` handed out), without handing it out. */
  isGradientBuffer(grads: FloatArray): boolean {
    return grads === this.#grads;
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
    return (this.#mirror ?? this.#arenaParams).slice();
  }

  writeParams(values: ArrayLike<number>): void {
    this.#checkNotDisposed('writeParams');
    checkArrayLength(this, 'values', values);
    this.#arenaParams.set(values);
    this.#mirror?.set(this.#arenaParams);
  }

  readState(): SlotState {
    this.#checkNotDisposed('readState');
    return mapStateBuffers(({ name }) => this.#state[name]?.slice() ?? null) as SlotState;
  }

  /** Checks every array before writing any (float32 slots round each value to nearest). */
  writeState(state: StateArrays<ArrayLike<number>>): void {
    this.#checkNotDisposed('writeState');
    checkStateArrays(this, state, this.keeps);
    for (const name of STATE_BUFFER_NAMES) this.#state[name]?.set(state[name]!);
  }

  /**
   * Gives the blocks back to the arena: at once where no view of them was handed out, else once the views
   * are unreachable (an adopted array stays the caller's). Idempotent.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const name of BLOCK_NAMES) {
      const offset = this.offsets[name];
      if (offset === 0) continue;
      const out = name === 'param' ? (this.#paramsOut ? this.#arenaParams : null) : name === 'grad' ? (this.#gradsOut ? this.#grads : null) : null;
      if (out === null) this.#arena.release(offset, this.#bytes);
      else this.#arena.releaseWhenUnreachable(this.#window ?? out, offset, this.#bytes);
    }
    const empty = this.dtype === 'float32' ? new Float32Array(0) : new Float64Array(0);
    this.#arenaParams = this.#grads = empty;
    for (const name of STATE_BUFFER_NAMES) this.#state[name] = null;
    this.#mirror = null;
    this.#stagedFrom = null;
    this.#onDispose(this);
  }

  /**
   * Copy a caller's gradient (of the slot's dtype and length) into the arena's gradient buffer ahead of the
   * step, so that it can be scanned there with SIMD; `stage` then skips the copy for that array in the same
   * backend generation (the step that follows).
   */
  stageGradient(grads: FloatArray, generation: number): void {
    this.#grads.set(grads);
    this.#stagedFrom = grads;
    this.#stagedIn = generation;
  }

  /**
   * Before the kernel: the gradient (unless it is the arena's buffer, or was staged by `stageGradient` in
   * this generation) and a mirrored θ (unless the caller only reads it) go into the arena.
   */
  stage(grads: FloatArray, generation: number): void {
    if (grads !== this.#grads && (grads !== this.#stagedFrom || this.#stagedIn !== generation)) this.#grads.set(grads);
    if (this.#mirror !== null && this.#mirrorIn) this.#arenaParams.set(this.#mirror);
  }

  /** After the kernel: a mirrored θ goes back out to the caller's array. */
  unstage(): void {
    if (this.#mirror !== null) this.#mirror.set(this.#arenaParams);
  }

  /** A view of the block at `offset` to hand out, over the slot's own buffer where the arena can make one. */
  #handOut(offset: number): FloatArray {
    if (this.#window === undefined) this.#window = this.#arena.separateBuffer();
    return this.#arena.view(this.dtype, offset, this.length, this.#window ?? undefined);
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError(`cpu slot "${this.name}"`, operation);
  }
}

/**
 * A slot's blocks, each of `bytes`: θ, g, and each state buffer the request asks for. All or none: where one
 * does not fit (a fixed arena that is full), the ones already taken go back.
 */
function takeBlocks(arena: WasmArena, bytes: number, request: SlotRequest): SlotOffsets {
  const taken: number[] = [];
  try {
    const offsets: { [K in BlockName]?: number } = {};
    for (const name of BLOCK_NAMES) {
      if (!hasBlock(request, name)) {
        offsets[name] = 0;
        continue;
      }
      const offset = arena.alloc(bytes);
      taken.push(offset);
      offsets[name] = offset;
    }
    return offsets as SlotOffsets;
  } catch (error) {
    for (const offset of taken) arena.release(offset, bytes);
    throw error;
  }
}
