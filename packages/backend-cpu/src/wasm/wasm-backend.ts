import {
  ArgumentError,
  findNonFinite,
  type FloatArray,
  checkSlotRequest,
  checkSlotUpdate,
  DisposedError,
  DTYPES,
  SPEC_VERSION,
  type BackendCapabilities,
  type BackendSlot,
  type RMSPropBackend,
  type RMSPropConfig,
  type SlotRequest,
  type SlotUpdate,
} from '@rmsprop/core';
import { CPU_BACKEND_NAME } from '../cpu-backend.js';
import { KernelScalars, setKernelScalars } from '../kernel-scalars.js';
import type { WasmArena } from './wasm-arena.js';
import type { KernelThreadPool } from './kernel-thread-pool.js';
import { DESCRIPTOR_BYTES, SCALARS_BYTES, type WasmKernel, type WasmKernels } from './wasm-kernels.js';
import { WasmSlot, type SlotOffsets } from './wasm-slot.js';

/** The variant index of a config, as select-kernel.ts and the generated module order them. */
export function variantOf(config: Readonly<RMSPropConfig>): number {
  const momentum = !(config.momentum > 0) ? 0 : config.nesterov ? 2 : 1;
  const weightDecay = !(config.weightDecay > 0) ? 0 : config.decoupledWeightDecay ? 2 : 1;
  return momentum * 12 + (config.centered ? 6 : 0) + (config.biasCorrection ? 3 : 0) + weightDecay;
}

/**
 * Kernel calls of at least this many elements are split with the helper thread, when there is one.
 * Measured by apps/bench (float32 plain, 2 cores): handing half a call to the helper and waiting for it
 * costs tens of microseconds, so two threads were slower than one at 65,536 and 131,072 elements
 * (0.47 and 0.77 of one thread) and faster from 262,144 (1.2×; 1.5× at 524,288).
 */
export const PARALLEL_ELEMENTS = 1 << 18;

function sameScalars(a: KernelScalars, b: KernelScalars): boolean {
  return (
    Object.is(a.gradientSign, b.gradientSign) &&
    Object.is(a.learningRate, b.learningRate) &&
    Object.is(a.rho, b.rho) &&
    Object.is(a.oneMinusRho, b.oneMinusRho) &&
    Object.is(a.epsilonInside, b.epsilonInside) &&
    Object.is(a.epsilonOutside, b.epsilonOutside) &&
    Object.is(a.weightDecay, b.weightDecay) &&
    Object.is(a.decoupledDecay, b.decoupledDecay) &&
    Object.is(a.correction, b.correction) &&
    Object.is(a.momentum, b.momentum) &&
    Object.is(a.momentumInputScale, b.momentumInputScale) &&
    Object.is(a.momentumOutputScale, b.momentumOutputScale)
  );
}

/**
 * The CPU backend's WebAssembly SIMD kernel: every slot's buffers live in one arena in WebAssembly memory
 * (see WasmArena), and a step is one call into the generated module per run of consecutive slots that share
 * a variant, a dtype and the per-call constants: a model whose parameters share a config is one call. The
 * float64 functions (f64x2) give bit for bit the JS loops' results; the float32 functions (f32x4) round
 * every operation to float32 (README: "Precision"). Nothing is allocated per step.
 *
 * Created by `createCpuBackend()` where WebAssembly SIMD runs; `{ kernel: 'js' }` forces the JS loops.
 */
export class WasmCpuBackend implements RMSPropBackend {
  readonly specVersion = SPEC_VERSION;
  readonly name = CPU_BACKEND_NAME;
  readonly capabilities: BackendCapabilities;
  readonly #arena: WasmArena;
  readonly #kernels: WasmKernels;
  readonly #slots = new Set<WasmSlot>();
  #tableOffset = 0;
  #tableCapacity = 0;
  #table: Int32Array = new Int32Array(0);
  readonly #pool: KernelThreadPool | null;
  #helperTableOffset = 0;
  #helperTable: Int32Array = new Int32Array(0);
  readonly #scalars = new KernelScalars();
  /** The constants block in the arena that kernel calls read (12 float64, in KernelScalars' field order). */
  readonly #scalarsOffset: number;
  readonly #scalarsBlock: Float64Array;
  readonly #groupScalars = new KernelScalars();
  #disposed = false;
  #stamp = 0;

  /**
   * `pool`: a helper thread that takes half of every kernel call of at least `PARALLEL_ELEMENTS` elements
   * (`createCpuBackend({ threads: 2 })`).
   */
  constructor(arena: WasmArena, kernels: WasmKernels, pool: KernelThreadPool | null = null, threadsReason?: string) {
    this.#arena = arena;
    this.#kernels = kernels;
    this.#pool = pool;
    this.#scalarsOffset = arena.alloc(SCALARS_BYTES);
    this.#scalarsBlock = arena.view('float64', this.#scalarsOffset, SCALARS_BYTES / 8) as Float64Array;
    this.capabilities = Object.freeze({
      dtypes: DTYPES,
      bufferLocation: 'wasm-memory',
      hostVisible: true,
      adoptsHostArrays: true,
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
   * cannot hold them, the typed error leaves the arena as it was.
   */
  createSlot(request: SlotRequest): BackendSlot {
    this.#checkNotDisposed('createSlot');
    checkSlotRequest(request, DTYPES);
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
   * The slots of `requests`, in order, laid out together: each buffer kind (θ, g, v, m, b) is one block of
   * the arena holding every slot's part end to end (each part 16-byte aligned), so consecutive slots whose
   * sizes are whole vectors (multiples of 16 bytes) are contiguous in every buffer, and a step over them is
   * one kernel loop. All or none: every request is checked first, and where the arena cannot hold the
   * blocks, those taken go back.
   */
  createSlots(requests: readonly SlotRequest[]): BackendSlot[] {
    this.#checkNotDisposed('createSlots');
    if (!Array.isArray(requests)) throw new ArgumentError('requests', requests, 'an array of slot requests');
    requests.forEach((request) => checkSlotRequest(request, DTYPES));
    const sizes = requests.map((r) => alignedBytes(r.length * (r.dtype === 'float32' ? 4 : 8)));
    const has = {
      params: () => true,
      grads: () => true,
      meanSquare: () => true,
      meanGrad: (r: SlotRequest) => r.state.meanGrad,
      momentum: (r: SlotRequest) => r.state.momentum,
    } as const;
    const kinds = Object.keys(has) as (keyof SlotOffsets)[];
    const regions: { offset: number; bytes: number }[] = [];
    const offsets = requests.map(() => ({ params: 0, grads: 0, meanSquare: 0, meanGrad: 0, momentum: 0 }));
    try {
      for (const kind of kinds) {
        let bytes = 0;
        requests.forEach((r, i) => {
          if (has[kind](r)) bytes += sizes[i];
        });
        if (bytes === 0) continue;
        const region = { offset: this.#arena.alloc(bytes), bytes };
        regions.push(region);
        let at = region.offset;
        requests.forEach((r, i) => {
          if (!has[kind](r)) return;
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
    for (const slot of slots) this.#slots.add(slot);
    return slots;
  }

  /**
   * One step for each update. Every update is checked (the slot is this backend's and live, the gradient's
   * dtype and length, the state buffers the config needs, η and t) before anything is written. Then the
   * gradients (and mirrored θ) are staged into the arena, the kernels run, and mirrored θ is copied out.
   */
  step(updates: readonly SlotUpdate[]): void {
    this.#checkNotDisposed('step');
    if (!Array.isArray(updates)) throw new ArgumentError('updates', updates, 'an array of slot updates');
    const n = updates.length;
    // Each step marks its slots with a new number, which finds a slot given twice in O(1).
    const stamp = ++this.#stamp;
    let staging = false;
    for (let i = 0; i < n; i++) {
      const update = updates[i];
      const slot = update.slot;
      if (!(slot instanceof WasmSlot) || slot.owner !== this) {
        throw new ArgumentError(`updates[${i}].slot`, slot, 'a slot created by this cpu backend');
      }
      if (slot.stamp === stamp) throw new ArgumentError(`updates[${i}].slot`, slot.name, 'a slot not already updated in this step');
      slot.stamp = stamp;
      slot.checkLive();
      checkSlotUpdate(update, i, slot);
      if (slot.needsStaging(update.grads)) staging = true;
    }
    // Copies in and out only where some slot needs them: with gradients written into the arena's buffers
    // and no mirrored θ, these two passes over the updates are skipped (1,000 parameters: tens of µs).
    if (staging) for (let i = 0; i < n; i++) (updates[i].slot as WasmSlot).stage(updates[i].grads);
    // Runs of consecutive updates with one variant, dtype and set of constants: one call each. Within a
    // run, a slot whose buffers all continue the previous descriptor's (createSlots lays them out so)
    // lengthens it instead of adding one: the kernel loops over them as over one parameter.
    const table = this.#table;
    let start = 0; // the run's first descriptor
    let count = 0; // descriptors written
    let kernel: WasmKernel | null = null;
    let variant = 0;
    let dtype: 'float32' | 'float64' = 'float32';
    let elements = 0;
    // The last update's config object, η and t: a slot with the same three (and dtype) joins the run
    // without recomputing its constants (the optimizer hands every slot of a group the same config object).
    let lastConfig: Readonly<RMSPropConfig> | null = null;
    let lastRate = 0;
    let lastStep = 0;
    for (let i = 0; i < n; i++) {
      const update = updates[i];
      const slot = update.slot as WasmSlot;
      const hyper = update.hyper;
      const rate = hyper.learningRate;
      // η as Object.is compares it (η is finite: no NaN), written out: a call could box the double.
      const sameRate = rate === lastRate && (rate !== 0 || 1 / rate === 1 / lastRate);
      const same = kernel !== null && hyper.config === lastConfig && sameRate && hyper.step === lastStep && slot.dtype === dtype;
      if (!same) {
        setKernelScalars(this.#scalars, hyper);
        const nextVariant = variantOf(hyper.config);
        const next = this.#kernels[slot.dtype][nextVariant];
        if (kernel !== null && (next !== kernel || !sameScalars(this.#scalars, this.#groupScalars))) {
          this.#run(kernel, variant, dtype, start, count - start, elements);
          start = count;
          kernel = null;
        }
        if (kernel === null) {
          kernel = next;
          variant = nextVariant;
          dtype = slot.dtype;
          elements = 0;
          copyScalars(this.#groupScalars, this.#scalars);
        }
        lastConfig = hyper.config;
        lastRate = rate;
        lastStep = hyper.step;
      }
      elements += slot.length;
      const o = slot.offsets;
      if (count > start) {
        const p = (count - 1) * 6;
        const end = table[p + 5] * (dtype === 'float32' ? 4 : 8);
        if (
          table[p] + end === o.params &&
          table[p + 1] + end === o.grads &&
          table[p + 2] + end === o.meanSquare &&
          continues(table[p + 3], end, o.meanGrad) &&
          continues(table[p + 4], end, o.momentum)
        ) {
          table[p + 5] += slot.length;
          continue;
        }
      }
      const d = count * 6;
      table[d] = o.params;
      table[d + 1] = o.grads;
      table[d + 2] = o.meanSquare;
      table[d + 3] = o.meanGrad;
      table[d + 4] = o.momentum;
      table[d + 5] = slot.length;
      count++;
    }
    if (kernel !== null) this.#run(kernel, variant, dtype, start, count - start, elements);
    if (staging) for (let i = 0; i < n; i++) (updates[i].slot as WasmSlot).unstage();
  }

  /**
   * The first NaN or ±∞ in `grads`: a SIMD scan when `grads` is the slot's own gradient buffer in the arena
   * (about as fast as reading it), else the optimizer's JS scan.
   */
  findNonFinite(slot: BackendSlot, grads: FloatArray): number {
    if (slot instanceof WasmSlot && slot.owner === this && !slot.disposed && grads === slot.grads) {
      return this.#kernels.nonFinite[slot.dtype](slot.offsets.grads, slot.length);
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
    this.#arena.release(this.#scalarsOffset, SCALARS_BYTES);
    this.#disposed = true;
  }

  /**
   * One kernel call over descriptors [start, start + count). With a helper thread and enough elements,
   * each slot's range is cut in two (at a multiple of 4 elements): the helper takes the upper parts
   * through its own descriptor table while this thread runs the lower parts. Elements are independent, so
   * the result is the same bits either way.
   */
  #run(kernel: WasmKernel, variant: number, dtype: 'float32' | 'float64', start: number, count: number, elements: number): void {
    const k = this.#groupScalars;
    const pool = this.#pool;
    const tableOffset = this.#tableOffset + start * DESCRIPTOR_BYTES;
    if (pool !== null && elements >= PARALLEL_ELEMENTS) {
      const table = this.#table;
      const helper = this.#helperTable;
      const bytes = dtype === 'float32' ? 4 : 8;
      for (let i = 0; i < count; i++) {
        const d = (start + i) * 6;
        const h = i * 6;
        const length = table[d + 5];
        const lower = (length >>> 3) << 2; // ⌊length / 2⌋ rounded down to a multiple of 4
        const shift = lower * bytes;
        for (let f = 0; f < 5; f++) helper[h + f] = table[d + f] === 0 ? 0 : table[d + f] + shift;
        helper[h + 5] = length - lower;
        table[d + 5] = lower;
      }
      pool.post(variant, dtype, this.#helperTableOffset, count, k);
      this.#call(kernel, tableOffset, count);
      pool.join();
      return;
    }
    this.#call(kernel, tableOffset, count);
  }

  #call(kernel: WasmKernel, table: number, count: number): void {
    const k = this.#groupScalars;
    const b = this.#scalarsBlock;
    b[0] = k.gradientSign;
    b[1] = k.learningRate;
    b[2] = k.rho;
    b[3] = k.oneMinusRho;
    b[4] = k.epsilonInside;
    b[5] = k.epsilonOutside;
    b[6] = k.weightDecay;
    b[7] = k.decoupledDecay;
    b[8] = k.correction;
    b[9] = k.momentum;
    b[10] = k.momentumInputScale;
    b[11] = k.momentumOutputScale;
    kernel(table, count, this.#scalarsOffset);
  }


  /** Room in the arena for `slots` descriptors (grown at slot creation, never during a step). */
  #reserveDescriptors(slots: number): void {
    if (slots <= this.#tableCapacity) return;
    const capacity = Math.max(16, this.#tableCapacity * 2, slots);
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
    this.#table = this.#arena.int32View(offset, capacity * 6);
    if (this.#pool !== null) {
      this.#helperTableOffset = helperOffset;
      this.#helperTable = this.#arena.int32View(helperOffset, capacity * 6);
    }
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('cpu backend', operation);
  }
}

function copyScalars(to: KernelScalars, from: KernelScalars): void {
  to.gradientSign = from.gradientSign;
  to.learningRate = from.learningRate;
  to.rho = from.rho;
  to.oneMinusRho = from.oneMinusRho;
  to.epsilonInside = from.epsilonInside;
  to.epsilonOutside = from.epsilonOutside;
  to.weightDecay = from.weightDecay;
  to.decoupledDecay = from.decoupledDecay;
  to.correction = from.correction;
  to.momentum = from.momentum;
  to.momentumInputScale = from.momentumInputScale;
  to.momentumOutputScale = from.momentumOutputScale;
}

/** Whether a buffer at `offset` (0: none) continues one that ended `end` bytes after `previous` (0: none). */
function continues(previous: number, end: number, offset: number): boolean {
  return previous === 0 ? offset === 0 : previous + end === offset;
}

/** Bytes rounded up to whole 16-byte vectors, as the arena hands blocks out. */
function alignedBytes(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
