/**
 * A test-only RMSPropBackend for this package's own tests (the real backends devDepend on this package, so
 * it cannot depend on them). Each step runs the float64 reference (`referenceStep`) on Float64Array copies
 * of the slot's buffers and writes the results back into the slot's typed arrays, so a float32 slot rounds
 * every stored value to nearest once per step: the same semantics as `runCaseOnReference`. It records the
 * η and t of every step it is asked to take, and how often it and its slots were disposed.
 */
import {
  allocateFloatArray,
  createReferenceState,
  referenceStep,
  SPEC_VERSION,
  type BackendFactory,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropBackend,
  type SlotRequest,
  type SlotState,
  type SlotUpdate,
} from '@rmsprop/core';

export interface FixtureBackend extends RMSPropBackend {
  /** η and t of each step, per call to `step` (one parameter per case, so one entry per call). */
  readonly steps: { learningRate: number; step: number }[];
  readonly disposed: { backend: number; slots: number };
}

class FixtureSlot implements BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  readonly params: FloatArray;
  readonly grads: FloatArray;
  meanSquare: FloatArray;
  meanGrad: FloatArray | null;
  momentum: FloatArray | null;
  readonly #onDispose: () => void;

  constructor(request: SlotRequest, onDispose: () => void) {
    this.name = request.name;
    this.dtype = request.dtype;
    this.length = request.length;
    this.params = allocateFloatArray(request.dtype, request.length);
    this.params.set(request.values);
    this.grads = allocateFloatArray(request.dtype, request.length);
    this.meanSquare = allocateFloatArray(request.dtype, request.length).fill(request.state.initialMeanSquare);
    this.meanGrad = request.state.meanGrad ? allocateFloatArray(request.dtype, request.length) : null;
    this.momentum = request.state.momentum ? allocateFloatArray(request.dtype, request.length) : null;
    this.#onDispose = onDispose;
  }

  readParams(): FloatArray {
    return this.params.slice();
  }

  writeParams(values: ArrayLike<number>): void {
    this.params.set(values);
  }

  readState(): SlotState {
    return { meanSquare: this.meanSquare.slice(), meanGrad: this.meanGrad?.slice() ?? null, momentum: this.momentum?.slice() ?? null };
  }

  writeState(state: { meanSquare: ArrayLike<number>; meanGrad: ArrayLike<number> | null; momentum: ArrayLike<number> | null }): void {
    this.meanSquare.set(state.meanSquare);
    if (this.meanGrad !== null && state.meanGrad !== null) this.meanGrad.set(state.meanGrad);
    if (this.momentum !== null && state.momentum !== null) this.momentum.set(state.momentum);
  }

  dispose(): void {
    this.#onDispose();
  }
}

/** A backend computing with `referenceStep`, for the given dtypes (default float64 only). */
export function createFixtureBackend(dtypes: readonly DType[] = ['float64']): FixtureBackend {
  const steps: { learningRate: number; step: number }[] = [];
  const disposed = { backend: 0, slots: 0 };
  return {
    specVersion: SPEC_VERSION,
    name: 'fixture-reference',
    capabilities: { dtypes, bufferLocation: 'js-heap', hostVisible: true, adoptsHostArrays: false, details: { kernel: 'referenceStep' } },
    steps,
    disposed,
    createSlot(request: SlotRequest): BackendSlot {
      return new FixtureSlot(request, () => {
        disposed.slots += 1;
      });
    },
    step(updates: readonly SlotUpdate[]): void {
      for (const { slot: s, grads, hyper } of updates) {
        const slot = s as FixtureSlot;
        steps.push({ learningRate: hyper.learningRate, step: hyper.step });
        const state = createReferenceState(hyper.config, slot.length);
        state.meanSquare.set(slot.meanSquare);
        if (state.meanGrad !== null && slot.meanGrad !== null) state.meanGrad.set(slot.meanGrad);
        if (state.momentum !== null && slot.momentum !== null) state.momentum.set(slot.momentum);
        state.step = hyper.step - 1;
        const params = Float64Array.from(slot.params);
        referenceStep(hyper.config, params, grads, state, hyper.learningRate);
        // A Float32Array rounds each stored double to nearest (Math.fround).
        slot.params.set(params);
        slot.meanSquare.set(state.meanSquare);
        if (slot.meanGrad !== null && state.meanGrad !== null) slot.meanGrad.set(state.meanGrad);
        if (slot.momentum !== null && state.momentum !== null) slot.momentum.set(state.momentum);
      }
    },
    dispose(): void {
      disposed.backend += 1;
    },
  };
}

/** A factory for {@link createFixtureBackend} (what `defineConformanceSuite` takes). */
export function fixtureBackendFactory(dtypes: readonly DType[] = ['float64']): BackendFactory {
  return async () => createFixtureBackend(dtypes);
}
