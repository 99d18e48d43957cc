import {
  ArgumentError,
  dtypeOf,
  findNonFinite,
  type FloatArray,
  checkSlotRequest,
  checkSlotUpdates,
  describeValue,
  DisposedError,
  DTYPES,
  SPEC_VERSION,
  type BackendCapabilities,
  type BackendSlot,
  type RMSPropBackend,
  type RMSPropConfig,
  type SlotRequest,
  type SlotUpdate,
  createKernelConstants,
  sameKernelConstants,
  setKernelConstants,
  variantIndexOf,
} from '@rmsprop/core';
import { CPU_BACKEND_NAME } from '../cpu-backend-name.js';
import type { ArenaMode, WasmArena } from './wasm-arena.js';
import type { KernelThreadPool } from './kernel-thread-pool.js';
import { CONSTANTS_BYTES, CONSTANTS_COUNT, DESCRIPTOR_BYTES, DESCRIPTOR_LENGTH, DESCRIPTOR_WORDS } from './kernel-abi.generated.js';
import type { WasmKernels } from './wasm-kernels.js';
import { BLOCK_NAMES, hasBlock, WasmSlot, type BlockName } from './wasm-slot.js';

/**
 * Kernel calls of at least this many elements are split with the helper thread, when there is one.
 * Measured by apps/bench (float32 plain, 2 cores): handing half a call to the helper and waiting for it
 * costs tens of microseconds, so two threads were slower than one at 65,536 and 131,072 elements
 * (0.47 and 0.77 of one thread) and faster from 262,144 (1.2×; 1.5× at 524,288).
 */
export const PARALLEL_ELEMENTS = 1 << 18;

/** `capabilities.details` of the CPU backend's WebAssembly SIMD kernel ({@link WasmSimdBackend}). */
export type WasmSimdBackendDetails = {
  /** Which kernel runs: WebAssembly SIMD. */
  readonly kernel: 'wasm-simd';
  /** The arena's memory: 'shared' (grows as needed) or 'fixed' (`arenaBytes`, never grows). */
  readonly memory: ArenaMode;
  /** The arena's size in bytes when the backend was made. */
  readonly arenaCapacityBytes: number;
  /** The threads that share each large step. */
  readonly threads: 1 | 2;
  /** Why one thread runs where two were asked for (`createCpuBackend({ threads: 2 })`). */
  readonly threadsReason?: string;
  readonly description: string;
  /** Absent: the WebAssembly kernel runs (so that `CpuBackendDetails` reads it without narrowing). */
  readonly fallbackReason?: undefined;
};

/** The WebAssembly SIMD kernel's capabilities: slots always have host views (`hostVisible: true`). */
export type WasmSimdBackendCapabilities = BackendCapabilities<WasmSimdBackendDetails, true>;

/** Int32 words per entry of the run table. */
const RUN_WORDS = 5;

/**
 * The CPU backend's WebAssembly SIMD kernel: every slot's buffers live in one arena in WebAssembly memory
 * (see WasmArena), and a step is one call into the generated module per run of consecutive slots that share
 * a variant, a dtype and the per-call constants: a model whose parameters share a config is one call. The
 * float64 functions (f64x2) give bit for bit the JS loops' results; the float32 functions (f32x4) round
 * every operation to float32 (README: "Precision"). Nothing is allocated per step.
 *
 * Created by `createCpuBackend()` where WebAssembly SIMD runs; `{ kernel: 'js' }` forces the JS loops.
 */
export class WasmSimdBackend implements RMSPropBackend<WasmSimdBackendCapabilities> {
  readonly specVersion = SPEC_VERSION;
  readonly name = CPU_BACKEND_NAME;
  readonly capabilities: WasmSimdBackendCapabilities;
  readonly #arena: WasmArena;
  readonly #kernels: WasmKernels;
  readonly #slots = new Set<WasmSlot>();
  #tableOffset = 0;
  #tableCapacity = 0;
  #table: Int32Array = new Int32Array(0);
  readonly #pool: KernelThreadPool | null;
  #helperTableOffset = 0;
  #helperTable: Int32Array = new Int32Array(0);
  /** The constants of the update being grouped (KERNEL_CONSTANTS order). */
  readonly #constants = createKernelConstants();
  /** The constants block in the arena that kernel calls read. */
  readonly #constantsOffset: number;
  readonly #constantsBlock: Float64Array;
  /** Per run of the last step: variant, dtype (0 float32, 1 float64), first descriptor, descriptors, elements. */
  #runs = new Int32Array(0);
  /** Per run of the last step: its constants. */
  #runConstants: Float64Array[] = [];
  #disposed = false;
  /** Whether some slot of the last `#buildRuns` mirrors a caller's array (θ must go back out). */
  #mirrors = false;
  /** The number of steps begun: a gradient `findNonFinite` staged is used by the step of the same number. */
  #generation = 0;

  /**
   * `pool`: a helper thread that takes half of every kernel call of at least `PARALLEL_ELEMENTS` elements
   * (`createCpuBackend({ threads: 2 })`).
   */
  constructor(arena: WasmArena, kernels: WasmKernels, pool: KernelThreadPool | null = null, threadsReason?: string) {
    this.#arena = arena;
    this.#kernels = kernels;
    this.#pool = pool;
    this.#constantsOffset = arena.alloc(CONSTANTS_BYTES);
    this.#constantsBlock = arena.view('float64', this.#constantsOffset, CONSTANTS_COUNT) as Float64Array;
    this.capabilities = Object.freeze({
      dtypes: DTYPES,
      bufferLocation: 'wasm-memory',
      hostVisible: true,
      hostArrays: 'mirrored',
      details: Object.freeze({
        kernel: 'wasm-simd',
        memory: arena.mode,
        arenaCapacityBytes: arena.capacityBytes,
        threads: pool === null ? 1 : 2,
        ...(threadsReason === undefined ? {} : { threadsReason }),
        description:
          'WebAssembly SIMD (f32x4, f64x2) over one arena in WebAssembly memory; adopted arrays are mirrored (copied in and out per step)',
      }),
    });
  }

  /** Bytes of the arena in use (its high-water mark). */
  get arenaBytes(): number {
    return this.#arena.usedBytes;
  }

  /**
   * Allocates the slot's blocks in the arena (and room for its descriptor). All or nothing: where the arena
   * cannot hold them, or its memory will not grow, the typed error leaves the arena and its memory as they
   * were (checked before anything is allocated: see `WasmArena.reserve`).
   */
  createSlot(request: SlotRequest): BackendSlot {
    this.#checkNotDisposed('createSlot');
    checkSlotRequest(request, DTYPES);
    this.#reserve([request]);
    const slot = new WasmSlot(request, this.#arena, this, (s) => this.#slots.delete(s));
    try {
      this.#reserveDescriptors(this.#slots.size + 1);
    } catch (error) {
      slot.dispose();
      throw error;
    }
    this.#slots.add(slot);
    return slot;
  }

  /**
   * The slots of `requests`, in order, laid out together: each buffer kind (θ, g, each state buffer) is one block of
   * the arena holding every slot's part end to end (each part 16-byte aligned), so consecutive slots whose
   * sizes are whole vectors (multiples of 16 bytes) are contiguous in every buffer, and a step over them is
   * one kernel loop. All or none: every request is checked first, then the room the whole call needs (every
   * block, alignment and the descriptor table) against the arena's limit, and the memory is grown once
   * before anything is allocated; where the arena cannot hold them, or its memory will not grow, the typed
   * error names the parameters and leaves the arena and its memory as they were.
   */
  createSlots(requests: readonly SlotRequest[]): BackendSlot[] {
    this.#checkNotDisposed('createSlots');
    if (!Array.isArray(requests)) throw new ArgumentError('requests', requests, 'an array of slot requests');
    requests.forEach((request) => checkSlotRequest(request, DTYPES));
    this.#reserve(requests);
    const sizes = requests.map((r) => alignedBytes(r.length * (r.dtype === 'float32' ? 4 : 8)));
    const regions: { offset: number; bytes: number }[] = [];
    const offsets = requests.map(() => Object.fromEntries(BLOCK_NAMES.map((name) => [name, 0])) as Record<BlockName, number>);
    try {
      for (const kind of BLOCK_NAMES) {
        let bytes = 0;
        requests.forEach((r, i) => {
          if (hasBlock(r, kind)) bytes += sizes[i];
        });
        if (bytes === 0) continue;
        const region = { offset: this.#arena.alloc(bytes), bytes };
        regions.push(region);
        let at = region.offset;
        requests.forEach((r, i) => {
          if (!hasBlock(r, kind)) return;
          offsets[i][kind] = at;
          at += sizes[i];
        });
      }
      this.#reserveDescriptors(this.#slots.size + requests.length);
    } catch (error) {
      for (const region of regions) this.#arena.release(region.offset, region.bytes);
      throw error;
    }
    const slots = requests.map((request, i) => new WasmSlot(request, this.#arena, this, (s) => this.#slots.delete(s), offsets[i]));
    for (let i = 1; i < slots.length; i++) {
      const previous = slots[i - 1];
      const end = previous.length * (previous.dtype === 'float32' ? 4 : 8);
      if (previous.dtype === slots[i].dtype && previous.descriptor.every((offset, f) => continues(offset, end, slots[i].descriptor[f]))) {
        slots[i].follows = previous;
      }
    }
    for (const slot of slots) this.#slots.add(slot);
    return slots;
  }

  /**
   * One step for each update: check every update before anything is written, stage the gradients (and
   * mirrored θ) into the arena where some slot needs it, group the updates into kernel runs, run them, and
   * copy mirrored θ back out.
   */
  step(updates: readonly SlotUpdate[]): void {
    this.#checkNotDisposed('step');
    try {
      checkSlotUpdates(updates, this, 'cpu');
      const runs = this.#buildRuns(updates);
      for (let r = 0; r < runs; r++) this.#run(r);
      // Mirrored θ goes back out (with gradients written into the arena's buffers and no mirrored θ, nothing
      // is copied in or out).
      if (this.#mirrors) for (let i = 0; i < updates.length; i++) (updates[i].slot as WasmSlot).unstage();
    } finally {
      // Gradients staged by findNonFinite serve this step only.
      this.#generation++;
    }
  }

  /**
   * Stages every update's inputs into the arena where needed (and notes whether any slot mirrors) and writes
   * the descriptor table and the run table: runs of consecutive updates with one variant, dtype and
   * set of constants are one kernel call each. Within a run, a slot that `follows` the slot the last
   * descriptor ends with (createSlots lays them out so) lengthens that descriptor instead of adding one: the
   * kernel loops over them as over one parameter. Returns the number of runs.
   */
  #buildRuns(updates: readonly SlotUpdate[]): number {
    const table = this.#table;
    const W = DESCRIPTOR_WORDS;
    const L = DESCRIPTOR_LENGTH;
    const runs = this.#runs;
    const k = this.#constants;
    let r = -1; // the current run
    let count = 0; // descriptors written
    let runStart = 0; // the current run's first descriptor
    let elements = 0; // the current run's elements
    let tail: WasmSlot | null = null; // the slot the last descriptor ends with
    let dtype: 'float32' | 'float64' = 'float32';
    let variant = -1;
    // The last update's config object, η and t: a slot with the same three (and dtype) joins the run
    // without recomputing its constants (the optimizer hands every slot of a group the same config object).
    let lastConfig: Readonly<RMSPropConfig> | null = null;
    let lastRate = 0;
    let lastStep = 0;
    let mirrors = false;
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i];
      const slot = update.slot as WasmSlot;
      const hyper = update.hyper;
      const rate = hyper.learningRate;
      // η as Object.is compares it (η is finite: no NaN), written out: a call could box the double.
      const sameRate = rate === lastRate && (rate !== 0 || 1 / rate === 1 / lastRate);
      if (r < 0 || hyper.config !== lastConfig || !sameRate || hyper.step !== lastStep || slot.dtype !== dtype) {
        setKernelConstants(k, hyper);
        const nextVariant = variantIndexOf(hyper.config);
        if (r < 0 || nextVariant !== variant || slot.dtype !== dtype || !sameKernelConstants(k, this.#runConstants[r])) {
          if (r >= 0) this.#closeRun(r, runStart, count, elements);
          r++;
          variant = nextVariant;
          dtype = slot.dtype;
          runs[r * RUN_WORDS] = variant;
          runs[r * RUN_WORDS + 1] = dtype === 'float32' ? 0 : 1;
          this.#runConstants[r].set(k);
          runStart = count;
          elements = 0;
          tail = null;
        }
        lastConfig = hyper.config;
        lastRate = rate;
        lastStep = hyper.step;
      }
      // The gradient (where it is not the arena's own buffer) and a mirrored θ go into the arena.
      slot.stage(update.grads, this.#generation);
      if (slot.mirrored) mirrors = true;
      elements += slot.length;
      if (tail !== null && slot.follows === tail) {
        table[(count - 1) * W + L] += slot.length;
      } else {
        const d = count * W;
        table.set(slot.descriptor, d);
        table[d + L] = slot.length;
        count++;
      }
      tail = slot;
    }
    if (r >= 0) this.#closeRun(r, runStart, count, elements);
    this.#mirrors = mirrors;
    return r + 1;
  }

  /** Record run `r`'s descriptors [start, end) and element count. */
  #closeRun(r: number, start: number, end: number, elements: number): void {
    const runs = this.#runs;
    runs[r * RUN_WORDS + 2] = start;
    runs[r * RUN_WORDS + 3] = end - start;
    runs[r * RUN_WORDS + 4] = elements;
  }

  /**
   * The first NaN or ±∞ in `grads`, scanned with SIMD in the arena: `grads` is the slot's own gradient
   * buffer there, or a caller's array of the slot's dtype and length, which is copied into that buffer first
   * (the copy the step needs anyway: the step that follows reuses it, so a gradient must not change between
   * this call and that `step`; the optimizer calls both in one `step()`). Anything else gets the JS scan.
   */
  findNonFinite(slot: BackendSlot, grads: FloatArray): number {
    if (slot instanceof WasmSlot && slot.owner === this && !slot.disposed) {
      if (!slot.isGradientBuffer(grads)) {
        if (dtypeOf(grads) !== slot.dtype || grads.length !== slot.length) return findNonFinite(grads);
        // Staged now rather than in the step: the copy is needed anyway, and the arena's copy is scanned
        // with SIMD (a JS scan of the caller's array cost more than the copy).
        slot.stageGradient(grads, this.#generation);
      }
      return this.#kernels.nonFinite[slot.dtype](slot.offsets.grad, slot.length);
    }
    return findNonFinite(grads);
  }

  /** Disposes every live slot. Later calls throw {@link DisposedError}; disposing twice is a no-op. */
  dispose(): void {
    if (this.#disposed) return;
    for (const slot of [...this.#slots]) slot.dispose();
    if (this.#tableCapacity > 0) {
      this.#arena.release(this.#tableOffset, this.#tableCapacity * DESCRIPTOR_BYTES);
      if (this.#pool !== null) this.#arena.release(this.#helperTableOffset, this.#tableCapacity * DESCRIPTOR_BYTES);
    }
    this.#pool?.dispose();
    this.#arena.release(this.#constantsOffset, CONSTANTS_BYTES);
    this.#disposed = true;
  }

  /**
   * Run `r` of the last `#buildRuns`: one kernel call over its descriptors. With a helper thread and enough
   * elements, each slot's range is cut in two (at a multiple of 4 elements): the helper takes the upper
   * parts through its own descriptor table while this thread runs the lower parts. Elements are
   * independent, so the result is the same bits either way.
   */
  #run(r: number): void {
    const runs = this.#runs;
    const variant = runs[r * RUN_WORDS];
    const dtype = runs[r * RUN_WORDS + 1] === 0 ? 'float32' : 'float64';
    const start = runs[r * RUN_WORDS + 2];
    const count = runs[r * RUN_WORDS + 3];
    const kernel = this.#kernels[dtype][variant];
    const constants = this.#runConstants[r];
    this.#constantsBlock.set(constants);
    const pool = this.#pool;
    const tableOffset = this.#tableOffset + start * DESCRIPTOR_BYTES;
    if (pool !== null && runs[r * RUN_WORDS + 4] >= PARALLEL_ELEMENTS) {
      const table = this.#table;
      const helper = this.#helperTable;
      const W = DESCRIPTOR_WORDS;
      const L = DESCRIPTOR_LENGTH;
      const bytes = dtype === 'float32' ? 4 : 8;
      for (let i = 0; i < count; i++) {
        const d = (start + i) * W;
        const h = i * W;
        const length = table[d + L];
        const lower = (length >>> 3) << 2; // ⌊length / 2⌋ rounded down to a multiple of 4
        const shift = lower * bytes;
        for (let f = 0; f < L; f++) helper[h + f] = table[d + f] === 0 ? 0 : table[d + f] + shift;
        helper[h + L] = length - lower;
        table[d + L] = lower;
      }
      pool.post(variant, dtype, this.#helperTableOffset, count, constants);
      kernel(tableOffset, count, this.#constantsOffset);
      pool.join();
      return;
    }
    kernel(tableOffset, count, this.#constantsOffset);
  }

  /** Room in the arena for `slots` descriptors (grown at slot creation, never during a step). */
  #reserveDescriptors(slots: number): void {
    const capacity = this.#tableCapacityFor(slots);
    if (capacity === 0) return;
    const offset = this.#arena.alloc(capacity * DESCRIPTOR_BYTES);
    let helperOffset = 0;
    if (this.#pool !== null) {
      try {
        helperOffset = this.#arena.alloc(capacity * DESCRIPTOR_BYTES);
      } catch (error) {
        this.#arena.release(offset, capacity * DESCRIPTOR_BYTES);
        throw error;
      }
    }
    if (this.#tableCapacity > 0) {
      this.#arena.release(this.#tableOffset, this.#tableCapacity * DESCRIPTOR_BYTES);
      if (this.#pool !== null) this.#arena.release(this.#helperTableOffset, this.#tableCapacity * DESCRIPTOR_BYTES);
    }
    this.#tableOffset = offset;
    this.#tableCapacity = capacity;
    this.#table = this.#arena.int32View(offset, capacity * DESCRIPTOR_WORDS);
    this.#runs = new Int32Array(capacity * RUN_WORDS);
    while (this.#runConstants.length < capacity) this.#runConstants.push(createKernelConstants());
    if (this.#pool !== null) {
      this.#helperTableOffset = helperOffset;
      this.#helperTable = this.#arena.int32View(helperOffset, capacity * DESCRIPTOR_WORDS);
    }
  }

  /** The descriptor table's new capacity for `slots` descriptors, or 0 where the table holds them already. */
  #tableCapacityFor(slots: number): number {
    return slots <= this.#tableCapacity ? 0 : Math.max(16, this.#tableCapacity * 2, slots);
  }

  /**
   * Room in the arena for the slots of `requests` (valid ones): the blocks their creation will allocate, in
   * the order it allocates them (per buffer kind, every request's part end to end; then a larger descriptor
   * table, and the helper's, where needed), checked and grown for at once by `WasmArena.reserve`. For one
   * request this is also what `WasmSlot` takes block by block.
   */
  #reserve(requests: readonly SlotRequest[]): void {
    const sizes: number[] = [];
    for (const kind of BLOCK_NAMES) {
      let bytes = 0;
      for (const r of requests) if (hasBlock(r, kind)) bytes += alignedBytes(r.length * (r.dtype === 'float32' ? 4 : 8));
      sizes.push(bytes);
    }
    const capacity = this.#tableCapacityFor(this.#slots.size + requests.length);
    if (capacity > 0) sizes.push(capacity * DESCRIPTOR_BYTES, this.#pool === null ? 0 : capacity * DESCRIPTOR_BYTES);
    this.#arena.reserve(sizes, describeParameters(requests));
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('cpu backend', operation);
  }
}

/** Whether a buffer at `offset` (0: none) continues one that ended `end` bytes after `previous` (0: none). */
function continues(previous: number, end: number, offset: number): boolean {
  return previous === 0 ? offset === 0 : previous + end === offset;
}

/** The most parameter names an error message lists. */
const SHOWN_NAMES = 10;

/** `parameter "w"`, or `parameters ["w", "b"]` (at most 10 names, then how many in all), for messages. */
function describeParameters(requests: readonly SlotRequest[]): string {
  if (requests.length === 1) return `parameter ${describeValue(requests[0].name)}`;
  const names = requests.slice(0, SHOWN_NAMES).map((r) => describeValue(r.name));
  if (requests.length > SHOWN_NAMES) names.push(`… (${requests.length} in all)`);
  return `parameters [${names.join(', ')}]`;
}

/** Bytes rounded up to whole 16-byte vectors, as the arena hands blocks out. */
function alignedBytes(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
