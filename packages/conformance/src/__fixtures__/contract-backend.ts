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
  LARGEST_FINITE,
  mapStateBuffers,
  referenceStep,
  SPEC_VERSION,
  STATE_BUFFER_NAMES,
  STATE_BUFFERS,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropBackend,
  type SlotRequest,
  type ReferenceState,
  type SlotState,
  type SlotUpdate,
  type StateArrays,
  type StateRecord,
} from '@rmsprop/core';

/**
 * A contract point to break: reads that hand out the slot's own arrays; no duplicate check in step; state
 * buffers that start from 0 whatever the request's initial value (but those every slot keeps); or a
 * writeState that writes each good buffer before checking the next.
 */
export type ContractFlaw = 'aliasing-reads' | 'no-duplicate-check' | 'zero-initial-state' | 'partial-write-state';

export interface ContractBackend extends RMSPropBackend {
  /** Elements held by live slots (θ and each state buffer kept): the suite's `usage`. */
  readonly allocated: number;
}

class ContractSlot implements BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  readonly owner: object;
  /** Which state buffers the slot keeps (those its request gave an initial value). */
  readonly keeps: StateRecord<boolean>;
  readonly #params: FloatArray;
  /** Each state buffer, by name; null where the slot keeps none. */
  readonly #state: StateRecord<FloatArray | null>;
  readonly #flaw: ContractFlaw | undefined;
  readonly #onDispose: (slot: ContractSlot) => void;
  disposed = false;

  constructor(request: SlotRequest, owner: object, flaw: ContractFlaw | undefined, onDispose: (slot: ContractSlot) => void) {
    this.name = request.name;
    this.dtype = request.dtype;
    this.length = request.length;
    this.owner = owner;
    this.keeps = mapStateBuffers(({ name }) => request.state[name] !== null);
    this.#flaw = flaw;
    this.#onDispose = onDispose;
    const n = request.length;
    this.#params = allocateFloatArray(request.dtype, n);
    this.#params.set(request.values);
    this.#state = mapStateBuffers(({ name }) => {
      const initial = request.state[name];
      if (initial === null) return null;
      return allocateFloatArray(request.dtype, n).fill(flaw === 'zero-initial-state' && STATE_BUFFERS.find((b) => b.name === name)!.switchedBy !== null ? 0 : initial);
    });
  }

  get params(): null {
    return null;
  }
  get grads(): null {
    return null;
  }
  get elements(): number {
    return this.length * (1 + STATE_BUFFER_NAMES.filter((name) => this.keeps[name]).length);
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
    return mapStateBuffers(({ name }) => copy(this.#state[name])) as SlotState;
  }

  writeState(state: StateArrays<ArrayLike<number>>): void {
    this.live('writeState');
    if (this.#flaw === 'partial-write-state' && state !== null && typeof state === 'object') {
      for (const name of STATE_BUFFER_NAMES) {
        const values = state[name];
        if (!this.keeps[name] || values === null || values?.length !== this.length) break;
        this.#state[name]!.set(values);
      }
    }
    checkStateArrays(this, state, this.keeps);
    for (const name of STATE_BUFFER_NAMES) this.#state[name]?.set(state[name]!);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.#onDispose(this);
  }

  live(operation: string): void {
    if (this.disposed) throw new DisposedError(`fixture slot "${this.name}"`, operation);
  }

  /**
   * One reference step in float64, stored back in the slot's dtype. Stored θ, m and b saturate at the
   * dtype's largest finite value, as the spec's sat does in that dtype (a finite θ, m and b stay finite);
   * v may round to +∞ (an overflowing square).
   */
  run(update: SlotUpdate): void {
    const { config } = update.hyper;
    const params = Float64Array.from(this.#params);
    // The buffers the config needs (checkSlotUpdate made sure the slot keeps them), as float64 copies.
    const buffers = mapStateBuffers((buffer) => (buffer.neededBy(config) ? Float64Array.from(this.#state[buffer.name]!) : null));
    const state = { ...buffers, step: update.hyper.step - 1 } as ReferenceState;
    referenceStep(config, params, update.grads, state, update.hyper.learningRate);
    const M = LARGEST_FINITE[this.dtype];
    const sat = (values: Float64Array) => values.map((x) => (x > M ? M : x < -M ? -M : x));
    this.#params.set(sat(params));
    for (const buffer of STATE_BUFFERS) {
      const values = state[buffer.name];
      if (values !== null) this.#state[buffer.name]!.set(buffer.nonNegative ? values : sat(values));
    }
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
    capabilities: Object.freeze({ dtypes, bufferLocation: 'js-heap', hostVisible: false, hostArrays: 'copied', details: {} }),
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
