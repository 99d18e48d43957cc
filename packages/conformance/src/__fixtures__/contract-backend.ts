/**
 * A test-only RMSPropBackend that keeps the whole interface contract, for defineBackendContractSuite's own
 * tests (the real backends devDepend on this package, so it cannot depend on them): every check through
 * core's shared ones, then `referenceStep` on float64 copies, written back into the slot's typed arrays.
 * `flaw` breaks one contract point on purpose, so the tests can show the suite catches it.
 */
import {
  allocateFloatArray,
  ArgumentError,
  checkArrayLength,
  checkSlotRequest,
  checkSlotUpdate,
  checkStateArrays,
  DisposedError,
  referenceStep,
  SPEC_VERSION,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropBackend,
  type SlotRequest,
  type SlotState,
  type SlotUpdate,
} from '@rmsprop/core';

/** A contract point to break: reads that hand out the slot's own arrays, or no duplicate check in step. */
export type ContractFlaw = 'aliasing-reads' | 'no-duplicate-check';

export interface ContractBackend extends RMSPropBackend {
  /** Elements held by live slots (θ, v, m, b): the suite's `usage`. */
  readonly allocated: number;
}

class ContractSlot implements BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  readonly owner: object;
  readonly hasMeanGrad: boolean;
  readonly hasMomentum: boolean;
  readonly #params: FloatArray;
  readonly #state: { meanSquare: FloatArray; meanGrad: FloatArray | null; momentum: FloatArray | null };
  readonly #flaw: ContractFlaw | undefined;
  readonly #onDispose: (slot: ContractSlot) => void;
  disposed = false;

  constructor(request: SlotRequest, owner: object, flaw: ContractFlaw | undefined, onDispose: (slot: ContractSlot) => void) {
    this.name = request.name;
    this.dtype = request.dtype;
    this.length = request.length;
    this.owner = owner;
    this.hasMeanGrad = request.state.meanGrad;
    this.hasMomentum = request.state.momentum;
    this.#flaw = flaw;
    this.#onDispose = onDispose;
    const n = request.length;
    this.#params = allocateFloatArray(request.dtype, n);
    this.#params.set(request.values);
    this.#state = {
      meanSquare: allocateFloatArray(request.dtype, n).fill(request.state.initialMeanSquare),
      meanGrad: request.state.meanGrad ? allocateFloatArray(request.dtype, n) : null,
      momentum: request.state.momentum ? allocateFloatArray(request.dtype, n) : null,
    };
  }

  get params(): null {
    return null;
  }
  get grads(): null {
    return null;
  }
  get elements(): number {
    return this.length * (2 + (this.hasMeanGrad ? 1 : 0) + (this.hasMomentum ? 1 : 0));
  }

  readParams(): FloatArray {
    this.live('readParams');
    return this.#flaw === 'aliasing-reads' ? this.#params : this.#params.slice();
  }

  writeParams(values: ArrayLike<number>): void {
    this.live('writeParams');
    checkArrayLength(this, 'values', values);
    this.#params.set(values);
  }

  readState(): SlotState {
    this.live('readState');
    const copy = (a: FloatArray | null) => (a === null || this.#flaw === 'aliasing-reads' ? a : a.slice());
    return { meanSquare: copy(this.#state.meanSquare)!, meanGrad: copy(this.#state.meanGrad), momentum: copy(this.#state.momentum) };
  }

  writeState(state: { meanSquare: ArrayLike<number>; meanGrad: ArrayLike<number> | null; momentum: ArrayLike<number> | null }): void {
    this.live('writeState');
    checkStateArrays(this, state, { meanGrad: this.hasMeanGrad, momentum: this.hasMomentum });
    this.#state.meanSquare.set(state.meanSquare);
    this.#state.meanGrad?.set(state.meanGrad!);
    this.#state.momentum?.set(state.momentum!);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.#onDispose(this);
  }

  live(operation: string): void {
    if (this.disposed) throw new DisposedError(`fixture slot "${this.name}"`, operation);
  }

  /** One reference step in float64, stored back in the slot's dtype. */
  run(update: SlotUpdate): void {
    const params = Float64Array.from(this.#params);
    const s = this.#state;
    const state = {
      meanSquare: Float64Array.from(s.meanSquare),
      meanGrad: s.meanGrad === null ? null : Float64Array.from(s.meanGrad),
      momentum: s.momentum === null ? null : Float64Array.from(s.momentum),
      step: update.hyper.step - 1,
    };
    referenceStep(update.hyper.config, params, update.grads, state, update.hyper.learningRate);
    this.#params.set(params);
    s.meanSquare.set(state.meanSquare);
    if (s.meanGrad !== null && update.hyper.config.centered) s.meanGrad.set(state.meanGrad!);
    if (s.momentum !== null && update.hyper.config.momentum > 0) s.momentum.set(state.momentum!);
  }
}

/** A backend that keeps the contract (but for `flaw`), for `dtypes`. */
export function createContractBackend(dtypes: readonly DType[] = ['float32', 'float64'], flaw?: ContractFlaw): ContractBackend {
  const slots = new Set<ContractSlot>();
  let disposed = false;
  const live = (operation: string) => {
    if (disposed) throw new DisposedError('fixture backend', operation);
  };
  const backend: ContractBackend = {
    specVersion: SPEC_VERSION,
    name: 'fixture',
    capabilities: Object.freeze({ dtypes, bufferLocation: 'js-heap', hostVisible: false, adoptsHostArrays: false, details: {} }),
    get allocated() {
      let n = 0;
      for (const slot of slots) n += slot.elements;
      return n;
    },
    createSlot(request) {
      live('createSlot');
      checkSlotRequest(request, dtypes);
      const slot = new ContractSlot(request, backend, flaw, (s) => slots.delete(s));
      slots.add(slot);
      return slot;
    },
    createSlots(requests) {
      live('createSlots');
      if (!Array.isArray(requests)) throw new ArgumentError('requests', requests, 'an array of slot requests');
      for (const request of requests) checkSlotRequest(request, dtypes);
      return requests.map((request) => backend.createSlot(request));
    },
    step(updates) {
      live('step');
      if (!Array.isArray(updates)) throw new ArgumentError('updates', updates, 'an array of slot updates');
      const seen = new Set<BackendSlot>();
      updates.forEach((update: SlotUpdate, i) => {
        if (update === null || typeof update !== 'object') throw new ArgumentError(`updates[${i}]`, update, 'a slot update { slot, grads, hyper }');
        const slot = update.slot;
        if (!(slot instanceof ContractSlot) || slot.owner !== backend) throw new ArgumentError(`updates[${i}].slot`, slot, 'a slot created by this fixture backend');
        if (seen.has(slot) && flaw !== 'no-duplicate-check') throw new ArgumentError(`updates[${i}].slot`, slot.name, 'a slot not already updated in this step');
        seen.add(slot);
        slot.live('step');
        checkSlotUpdate(update, i, slot);
      });
      for (const update of updates) (update.slot as ContractSlot).run(update);
    },
    dispose() {
      for (const slot of [...slots]) slot.dispose();
      disposed = true;
    },
  };
  return backend;
}
