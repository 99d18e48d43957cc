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
  mapStateBuffers,
  referenceStep,
  SPEC_VERSION,
  STATE_BUFFER_NAMES,
  type BackendFactory,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropBackend,
  type SlotRequest,
  type SlotState,
  type SlotUpdate,
  type StateArrays,
  type StateRecord,
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
  /** Each state buffer, by name; null where the slot keeps none. */
  readonly state: StateRecord<FloatArray | null>;
  readonly #onDispose: () => void;

  constructor(request: SlotRequest, onDispose: () => void) {
    this.name = request.name;
    this.dtype = request.dtype;
    this.length = request.length;
    this.params = allocateFloatArray(request.dtype, request.length);
    this.params.set(request.values);
    this.grads = allocateFloatArray(request.dtype, request.length);
    this.state = mapStateBuffers(({ name }) => {
      const initial = request.state[name];
      return initial === null ? null : allocateFloatArray(request.dtype, request.length).fill(initial);
    });
    this.#onDispose = onDispose;
  }

  readParams(): FloatArray {
    return this.params.slice();
  }

  writeParams(values: ArrayLike<number>): void {
    this.params.set(values);
  }

  readState(): SlotState {
    return mapStateBuffers(({ name }) => this.state[name]?.slice() ?? null) as SlotState;
  }

  writeState(state: StateArrays<ArrayLike<number>>): void {
    for (const name of STATE_BUFFER_NAMES) {
      const values = state[name];
      if (values !== null) this.state[name]?.set(values);
    }
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
    capabilities: { dtypes, bufferLocation: 'js-heap', hostVisible: true, hostArrays: 'copied', details: { kernel: 'referenceStep' } },
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
        for (const name of STATE_BUFFER_NAMES) {
          const values = slot.state[name];
          if (values !== null) state[name]?.set(values);
        }
        state.step = hyper.step - 1;
        const params = Float64Array.from(slot.params);
        referenceStep(hyper.config, params, grads, state, hyper.learningRate);
        // A Float32Array rounds each stored double to nearest (Math.fround).
        slot.params.set(params);
        for (const name of STATE_BUFFER_NAMES) {
          const values = state[name];
          if (values !== null) slot.state[name]?.set(values);
        }
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
