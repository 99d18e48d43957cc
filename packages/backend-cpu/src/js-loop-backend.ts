import {
  checkSlotRequest,
  checkSlotUpdates,
  createKernelConstants,
  setKernelConstants,
  DisposedError,
  DTYPES,
  SPEC_VERSION,
  type BackendCapabilities,
  type BackendSlot,
  type RMSPropBackend,
  type SlotRequest,
  type SlotUpdate,
} from '@rmsprop/core';
import { CPU_BACKEND_NAME } from './cpu-backend-name.js';
import { JsLoopSlot } from './js-loop-slot.js';


/** Why the JS loops run on one thread when two were asked for (`createCpuBackend({ threads: 2 })`). */
export const JS_THREADS_REASON = 'the JS loops run on one thread: helper threads run the WebAssembly SIMD kernel only';

/** `capabilities.details` of the CPU backend's JS loops ({@link JsLoopBackend}). */
export type JsLoopBackendDetails = {
  /** Which kernel runs: the JS loops. */
  readonly kernel: 'js';
  /** The threads that run a step: the JS loops run on one. */
  readonly threads: 1;
  readonly description: string;
  /** Why the WebAssembly SIMD kernel does not run, where `createCpuBackend()` fell back to the JS loops. */
  readonly fallbackReason?: string;
  /** Why one thread runs where two were asked for (`createCpuBackend({ threads: 2 })`). */
  readonly threadsReason?: string;
  /** Absent: the WebAssembly kernel's (so that `CpuBackendDetails` reads it without narrowing). */
  readonly memory?: undefined;
  /** Absent: the WebAssembly kernel's. */
  readonly arenaCapacityBytes?: undefined;
};

/** The JS loops' capabilities: slots always have host views (`hostVisible: true`). */
export type JsLoopBackendCapabilities = BackendCapabilities<JsLoopBackendDetails, true>;

function capabilities(fallbackReason: string | undefined, threadsReason: string | undefined): JsLoopBackendCapabilities {
  return Object.freeze({
    dtypes: DTYPES,
    bufferLocation: 'js-heap',
    hostVisible: true,
    hostArrays: 'adopted',
    details: Object.freeze({
      kernel: 'js',
      threads: 1,
      description: 'fused single-pass loops over typed arrays, one per variant, float64 arithmetic',
      ...(fallbackReason === undefined ? {} : { fallbackReason }),
      ...(threadsReason === undefined ? {} : { threadsReason }),
    }),
  });
}

/**
 * RMSProp on the CPU, in plain JavaScript: every parameter's θ, v (and m, b) are typed arrays on the JS
 * heap, and a step runs one fused loop per parameter, picked from 36 specialised loops by the config's
 * switches (see select-kernel.ts), with nothing allocated per step.
 *
 * Arithmetic is float64 whatever the dtype; float32 buffers round each stored value to nearest. In
 * float64 the result is bit-identical to `referenceStep`; in float32 one step is bit-identical to the
 * reference run on the same float32 inputs and rounded (README: "Precision").
 *
 * The fallback of `createCpuBackend()` where WebAssembly SIMD is missing, and what `{ kernel: 'js' }`
 * forces; it never fails to initialise.
 */
export class JsLoopBackend implements RMSPropBackend<JsLoopBackendCapabilities> {
  readonly specVersion = SPEC_VERSION;
  readonly name = CPU_BACKEND_NAME;
  readonly capabilities: JsLoopBackendCapabilities;
  readonly #slots = new Set<JsLoopSlot>();
  readonly #constants = createKernelConstants();
  #disposed = false;

  /**
   * `fallbackReason`: why the WebAssembly SIMD kernel is not used, when `createCpuBackend` fell back to
   * this one (shown in `capabilities.details.fallbackReason`). `threadsReason`: why it runs on one thread
   * when two were asked for (`capabilities.details.threadsReason`).
   */
  constructor(fallbackReason?: string, threadsReason?: string) {
    this.capabilities = capabilities(fallbackReason, threadsReason);
  }

  /** Allocates the slot's buffers (adopting `request.values` when `request.adopt` and the dtype matches). */
  createSlot(request: SlotRequest): BackendSlot {
    this.#checkNotDisposed('createSlot');
    checkSlotRequest(request, DTYPES);
    const slot = new JsLoopSlot(request, this, (s) => this.#slots.delete(s));
    this.#slots.add(slot);
    return slot;
  }

  /**
   * One step for each update, in order. Every update is checked (the slot is this backend's and live, the
   * gradient's dtype and length, the state buffers the config needs, η and t) before any buffer is
   * written, so a bad update leaves every slot as it was.
   */
  step(updates: readonly SlotUpdate[]): void {
    this.#checkNotDisposed('step');
    checkSlotUpdates(updates, this, 'cpu');
    const k = this.#constants;
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i];
      setKernelConstants(k, update.hyper);
      (update.slot as JsLoopSlot).run(update.grads, k, update.hyper.config);
    }
  }

  /** Disposes every live slot. Later calls throw {@link DisposedError}; disposing twice is a no-op. */
  dispose(): void {
    if (this.#disposed) return;
    for (const slot of [...this.#slots]) slot.dispose();
    this.#disposed = true;
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('cpu backend', operation);
  }
}
