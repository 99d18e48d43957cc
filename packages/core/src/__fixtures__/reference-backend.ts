/**
 * A test-only RMSPropBackend that runs the float64 reference (`referenceStep`) on Float64Array copies of
 * each slot's buffers and writes the results back into the slot's own typed arrays (float32 slots round
 * to nearest on the write-back, which is `Math.fround`). It lets the optimizer be tested without any
 * compute package. It also records what the optimizer asked of it, so tests can check the calls.
 */
import type { BackendSlot, RMSPropBackend, SlotRequest, SlotUpdate, SlotState } from '../backend.js';
import { allocateFloatArray, type DType, type FloatArray } from '../dtype.js';
import { createReferenceState, referenceStep } from '../reference-step.js';
import { SPEC_VERSION } from '../rmsprop-config.js';
import { mapStateBuffers, STATE_BUFFER_NAMES, type StateArrays, type StateBufferName } from '../state-buffers.js';

export interface ReferenceBackendOptions {
  /** Backend name (default 'reference'). */
  readonly name?: string;
  /** The dtypes it claims (default both). */
  readonly dtypes?: readonly DType[];
  /** What it does with a caller's array given with `adopt: true` (default 'adopted'; 'mirrored' is not modelled). */
  readonly hostArrays?: 'adopted' | 'copied';
  /** Whether slots have host views `params`/`grads` (default true). False mimics a GPU backend. */
  readonly hostVisible?: boolean;
  /**
   * Reads only asynchronously (default false), as tfjs on WebGPU: `readParams`/`readState` throw, and
   * `readParamsAsync`/`readStateAsync` copy the values at the call and resolve a few microtasks later.
   */
  readonly asyncReadsOnly?: boolean;
}

/** One recorded `step` call: per update, the slot name, η, t and a copy of the gradient. */
export interface RecordedUpdate {
  readonly name: string;
  readonly learningRate: number;
  readonly step: number;
  readonly grads: number[];
}

export interface ReferenceBackend extends RMSPropBackend {
  /** Every `step` call, in order. */
  readonly calls: RecordedUpdate[][];
  /** Every `createSlot` request, in order. */
  readonly requests: SlotRequest[];
  /** Names of slots whose `dispose` was called, in order. */
  readonly disposedSlots: string[];
  /** How many times the backend's own `dispose` was called. */
  readonly disposeCount: number;
}

class ReferenceSlot implements BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  readonly #params: FloatArray;
  readonly #grads: FloatArray;
  readonly #hostVisible: boolean;
  readonly #onDispose: (name: string) => void;
  /** Each state buffer (null where the slot keeps none). */
  readonly state: Record<StateBufferName, FloatArray | null>;

  readonly #asyncReadsOnly: boolean;

  constructor(request: SlotRequest, adopts: boolean, hostVisible: boolean, onDispose: (name: string) => void, asyncReadsOnly = false) {
    this.#asyncReadsOnly = asyncReadsOnly;
    this.name = request.name;
    this.dtype = request.dtype;
    this.length = request.length;
    this.#hostVisible = hostVisible;
    this.#onDispose = onDispose;
    if (request.adopt && adopts && hostVisible) {
      this.#params = request.values;
    } else {
      this.#params = allocateFloatArray(request.dtype, request.length);
      this.#params.set(request.values);
    }
    this.#grads = allocateFloatArray(request.dtype, request.length);
    this.state = { ...mapStateBuffers(({ name }) => {
      const initial = request.state[name];
      return initial === null ? null : allocateFloatArray(request.dtype, request.length).fill(initial);
    }) };
  }

  get params(): FloatArray | null {
    return this.#hostVisible ? this.#params : null;
  }

  get grads(): FloatArray | null {
    return this.#hostVisible ? this.#grads : null;
  }

  /** The live parameter storage, for the backend's own use. */
  get storage(): FloatArray {
    return this.#params;
  }

  readParams(): FloatArray {
    if (this.#asyncReadsOnly) throw new Error('this slot reads asynchronously only');
    return this.#params.slice();
  }

  async readParamsAsync(): Promise<FloatArray> {
    const copy = this.#params.slice();
    await Promise.resolve();
    await Promise.resolve();
    return copy;
  }

  async readStateAsync(): Promise<SlotState> {
    const copy = this.#copyState();
    await Promise.resolve();
    await Promise.resolve();
    return copy;
  }

  writeParams(values: ArrayLike<number>): void {
    this.#params.set(values);
  }

  readState(): SlotState {
    if (this.#asyncReadsOnly) throw new Error('this slot reads asynchronously only');
    return this.#copyState();
  }

  #copyState(): SlotState {
    return mapStateBuffers(({ name }) => this.state[name]?.slice() ?? null) as SlotState;
  }

  writeState(state: StateArrays<ArrayLike<number>>): void {
    for (const name of STATE_BUFFER_NAMES) {
      const values = state[name];
      if (values !== null) this.state[name]?.set(values);
    }
  }

  dispose(): void {
    this.#onDispose(this.name);
  }
}

/** A backend that computes with `referenceStep`. */
export function createReferenceBackend(options: ReferenceBackendOptions = {}): ReferenceBackend {
  const calls: RecordedUpdate[][] = [];
  const requests: SlotRequest[] = [];
  const disposedSlots: string[] = [];
  const adopts = (options.hostArrays ?? 'adopted') === 'adopted';
  const hostVisible = options.hostVisible ?? true;
  let disposeCount = 0;
  return {
    specVersion: SPEC_VERSION,
    name: options.name ?? 'reference',
    capabilities: {
      dtypes: options.dtypes ?? ['float32', 'float64'],
      bufferLocation: hostVisible ? 'js-heap' : 'gpu-texture',
      hostVisible,
      hostArrays: adopts && hostVisible ? 'adopted' : 'copied',
      details: { kernel: 'referenceStep' },
    },
    calls,
    requests,
    disposedSlots,
    get disposeCount() {
      return disposeCount;
    },
    createSlot(request: SlotRequest): BackendSlot {
      requests.push(request);
      return new ReferenceSlot(request, adopts, hostVisible, (name) => disposedSlots.push(name), options.asyncReadsOnly ?? false);
    },
    step(updates: readonly SlotUpdate[]): void {
      calls.push(
        updates.map((u) => ({ name: u.slot.name, learningRate: u.hyper.learningRate, step: u.hyper.step, grads: Array.from(u.grads) })),
      );
      for (const update of updates) {
        const slot = update.slot as ReferenceSlot;
        const { config } = update.hyper;
        const state = createReferenceState(config, slot.length);
        for (const name of STATE_BUFFER_NAMES) {
          const values = slot.state[name];
          if (values !== null) state[name]?.set(values);
        }
        state.step = update.hyper.step - 1;
        const params = Float64Array.from(slot.storage);
        referenceStep(config, params, update.grads, state, update.hyper.learningRate);
        // Writing float64 values into a Float32Array rounds each to nearest (Math.fround).
        slot.storage.set(params);
        for (const name of STATE_BUFFER_NAMES) {
          const values = state[name];
          if (values !== null) slot.state[name]?.set(values);
        }
      }
    },
    dispose(): void {
      disposeCount += 1;
    },
  };
}
