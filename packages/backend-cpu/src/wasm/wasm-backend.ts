import {
  ArgumentError,
  checkSlotRequest,
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
import { DESCRIPTOR_BYTES, type WasmKernel, type WasmKernels } from './wasm-kernels.js';
import { WasmSlot } from './wasm-slot.js';

/** The variant index of a config, as select-kernel.ts and the generated module order them. */
export function variantOf(config: Readonly<RMSPropConfig>): number {
  const momentum = !(config.momentum > 0) ? 0 : config.nesterov ? 2 : 1;
  const weightDecay = !(config.weightDecay > 0) ? 0 : config.decoupledWeightDecay ? 2 : 1;
  return momentum * 12 + (config.centered ? 6 : 0) + (config.biasCorrection ? 3 : 0) + weightDecay;
}

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
  readonly #scalars = new KernelScalars();
  readonly #groupScalars = new KernelScalars();
  #disposed = false;

  constructor(arena: WasmArena, kernels: WasmKernels) {
    this.#arena = arena;
    this.#kernels = kernels;
    this.capabilities = Object.freeze({
      dtypes: DTYPES,
      bufferLocation: 'wasm-memory',
      hostVisible: true,
      adoptsHostArrays: true,
      details: Object.freeze({
        kernel: 'wasm-simd',
        memory: arena.mode,
        arenaCapacityBytes: arena.capacityBytes,
        description:
          'WebAssembly SIMD (f32x4, f64x2) over one arena in WebAssembly memory; adopted arrays are mirrored (copied in and out per step)',
      }),
    });
  }

  /** Bytes of the arena in use (its high-water mark). */
  get arenaBytes(): number {
    return this.#arena.usedBytes;
  }

  /** Allocates the slot's blocks in the arena (and room for its descriptor). */
  createSlot(request: SlotRequest): BackendSlot {
    this.#checkNotDisposed('createSlot');
    checkSlotRequest(request, DTYPES);
    this.#reserveDescriptors(this.#slots.size + 1);
    const slot = new WasmSlot(request, this.#arena, this, (s) => this.#slots.delete(s));
    this.#slots.add(slot);
    return slot;
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
    for (let i = 0; i < n; i++) {
      const update = updates[i];
      const slot = update.slot;
      if (!(slot instanceof WasmSlot) || slot.owner !== this) {
        throw new ArgumentError(`updates[${i}].slot`, slot, 'a slot created by this cpu backend');
      }
      for (let j = 0; j < i; j++) {
        if (updates[j].slot === slot) throw new ArgumentError(`updates[${i}].slot`, slot.name, 'a slot not already updated in this step');
      }
      const { learningRate, step } = update.hyper;
      if (!Number.isFinite(learningRate) || learningRate < 0) {
        throw new ArgumentError(`updates[${i}].hyper.learningRate`, learningRate, 'a finite number ≥ 0');
      }
      if (!Number.isInteger(step) || step < 1) throw new ArgumentError(`updates[${i}].hyper.step`, step, 'an integer ≥ 1');
      slot.prepare(update.hyper.config, update.grads);
    }
    for (let i = 0; i < n; i++) (updates[i].slot as WasmSlot).stage(updates[i].grads);
    // Runs of consecutive updates with one variant, dtype and set of constants: one call each.
    const table = this.#table;
    let start = 0;
    let kernel: WasmKernel | null = null;
    for (let i = 0; i < n; i++) {
      const update = updates[i];
      const slot = update.slot as WasmSlot;
      setKernelScalars(this.#scalars, update.hyper.config, update.hyper.learningRate, update.hyper.step);
      const next = this.#kernels[slot.dtype][variantOf(update.hyper.config)];
      if (kernel !== null && (next !== kernel || !sameScalars(this.#scalars, this.#groupScalars))) {
        this.#run(kernel, start, i - start);
        start = i;
      }
      if (i === start) {
        kernel = next;
        copyScalars(this.#groupScalars, this.#scalars);
      }
      const o = slot.offsets;
      const d = i * 6;
      table[d] = o.params;
      table[d + 1] = o.grads;
      table[d + 2] = o.meanSquare;
      table[d + 3] = o.meanGrad;
      table[d + 4] = o.momentum;
      table[d + 5] = slot.length;
    }
    if (kernel !== null) this.#run(kernel, start, n - start);
    for (let i = 0; i < n; i++) (updates[i].slot as WasmSlot).unstage();
  }

  /** Disposes every live slot. Later calls throw {@link DisposedError}; disposing twice is a no-op. */
  dispose(): void {
    if (this.#disposed) return;
    for (const slot of [...this.#slots]) slot.dispose();
    if (this.#tableCapacity > 0) this.#arena.release(this.#tableOffset, this.#tableCapacity * DESCRIPTOR_BYTES);
    this.#disposed = true;
  }

  #run(kernel: WasmKernel, start: number, count: number): void {
    const k = this.#groupScalars;
    kernel(
      this.#tableOffset + start * DESCRIPTOR_BYTES,
      count,
      k.gradientSign,
      k.learningRate,
      k.rho,
      k.oneMinusRho,
      k.epsilonInside,
      k.epsilonOutside,
      k.weightDecay,
      k.decoupledDecay,
      k.correction,
      k.momentum,
      k.momentumInputScale,
      k.momentumOutputScale,
    );
  }

  /** Room in the arena for `slots` descriptors (grown at slot creation, never during a step). */
  #reserveDescriptors(slots: number): void {
    if (slots <= this.#tableCapacity) return;
    const capacity = Math.max(16, this.#tableCapacity * 2, slots);
    const offset = this.#arena.alloc(capacity * DESCRIPTOR_BYTES);
    if (this.#tableCapacity > 0) this.#arena.release(this.#tableOffset, this.#tableCapacity * DESCRIPTOR_BYTES);
    this.#tableOffset = offset;
    this.#tableCapacity = capacity;
    this.#table = this.#arena.int32View(offset, capacity * 6);
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
