import type { SlotRequest, SlotUpdate } from './backend.js';
import { dtypeOf, type DType } from './dtype.js';
import { ArgumentError, describeValue, ShapeError } from './errors.js';

/**
 * The checks every backend's `createSlot` runs on a request before allocating anything: an object, a
 * dtype among `dtypes` (`dtypesNote` says why, e.g. "the tfjs backend runs float32 only"), an integer
 * length ≥ 0, a well-formed state request, and values of that length. Throws the typed error naming the
 * field; returns nothing.
 */
export function checkSlotRequest(request: SlotRequest, dtypes: readonly DType[], dtypesNote?: string): void {
  if (request === null || typeof request !== 'object') throw new ArgumentError('request', request, 'a slot request object');
  if (!dtypes.includes(request.dtype)) {
    const allowed = dtypes.length === 1 ? `'${dtypes[0]}'` : `one of ${dtypes.join(', ')}`;
    throw new ArgumentError('request.dtype', request.dtype, dtypesNote === undefined ? allowed : `${allowed} (${dtypesNote})`);
  }
  if (!Number.isInteger(request.length) || request.length < 0) {
    throw new ArgumentError('request.length', request.length, 'an integer ≥ 0');
  }
  const state = request.state;
  if (state === null || typeof state !== 'object') {
    throw new ArgumentError('request.state', state, 'an object { meanGrad, momentum, initialMeanSquare }');
  }
  if (typeof state.meanGrad !== 'boolean') throw new ArgumentError('request.state.meanGrad', state.meanGrad, 'true or false');
  if (typeof state.momentum !== 'boolean') throw new ArgumentError('request.state.momentum', state.momentum, 'true or false');
  if (typeof state.initialMeanSquare !== 'number' || !Number.isFinite(state.initialMeanSquare) || state.initialMeanSquare < 0) {
    throw new ArgumentError('request.state.initialMeanSquare', state.initialMeanSquare, 'a finite number ≥ 0');
  }
  if (request.values === null || typeof request.values !== 'object' || request.values.length !== request.length) {
    throw new ShapeError(
      'LENGTH_MISMATCH',
      request.name,
      `values for slot "${request.name}" have length ${describeValue(request.values?.length)}; expected ${request.length}`,
    );
  }
}

/** The state arrays `writeState` takes. */
export interface SlotStateArrays {
  readonly meanSquare: ArrayLike<number>;
  readonly meanGrad: ArrayLike<number> | null;
  readonly momentum: ArrayLike<number> | null;
}

/**
 * The checks a slot's `writeState` runs before writing anything: `state` is an object, v has the slot's length, and m and b are
 * given exactly where the slot has those buffers (`present`), with its length.
 */
export function checkStateArrays(
  slot: { readonly name: string; readonly length: number },
  state: SlotStateArrays,
  present: { readonly meanGrad: boolean; readonly momentum: boolean },
): void {
  if (state === null || typeof state !== 'object') throw new ArgumentError('state', state, 'an object { meanSquare, meanGrad, momentum }');
  checkArrayLength(slot, 'state.meanSquare', state.meanSquare);
  for (const field of ['meanGrad', 'momentum'] as const) {
    const values = state[field];
    if (!present[field]) {
      if (values !== null) throw new ArgumentError(`state.${field}`, values, `null: slot "${slot.name}" has no ${field} buffer`);
      continue;
    }
    if (values === null) {
      throw new ArgumentError(`state.${field}`, values, `an array of ${slot.length} numbers: slot "${slot.name}" has a ${field} buffer`);
    }
    checkArrayLength(slot, `state.${field}`, values);
  }
}

/** `values` has the slot's length, or a ShapeError names `field`. */
export function checkArrayLength(slot: { readonly name: string; readonly length: number }, field: string, values: ArrayLike<number>): void {
  if (values === null || typeof values !== 'object' || values.length !== slot.length) {
    throw new ShapeError(
      'LENGTH_MISMATCH',
      slot.name,
      `${field} for slot "${slot.name}" has length ${describeValue((values as ArrayLike<number> | null)?.length)}; expected ${slot.length}`,
    );
  }
}

/**
 * The checks of one update that a backend's `step` runs on every update before computing anything (after
 * its own: that the slot is its own, live, and not given twice): `hyper` and `hyper.config` objects, η finite
 * and ≥ 0, t an integer ≥ 1, the gradient of the slot's dtype and length, and the state buffers the config
 * needs present in the slot. The config's ranges are not checked again here: they are `resolveConfig`'s.
 * `index` is the update's position, for messages.
 */
export function checkSlotUpdate(
  update: SlotUpdate,
  index: number,
  slot: { readonly name: string; readonly length: number; readonly dtype: DType; readonly hasMeanGrad: boolean; readonly hasMomentum: boolean },
): void {
  const hyper = update.hyper;
  if (hyper === null || typeof hyper !== 'object') {
    throw new ArgumentError(`updates[${index}].hyper`, hyper, 'an object { config, learningRate, step }');
  }
  const { learningRate, step, config } = hyper;
  if (config === null || typeof config !== 'object') {
    throw new ArgumentError(`updates[${index}].hyper.config`, config, 'a resolved RMSProp config (resolveConfig)');
  }
  if (!Number.isFinite(learningRate) || learningRate < 0) {
    throw new ArgumentError(`updates[${index}].hyper.learningRate`, learningRate, 'a finite number ≥ 0');
  }
  if (!Number.isInteger(step) || step < 1) throw new ArgumentError(`updates[${index}].hyper.step`, step, 'an integer ≥ 1');
  const grads = update.grads;
  const dtype = dtypeOf(grads);
  if (dtype !== slot.dtype) {
    throw new ShapeError('DTYPE_MISMATCH', slot.name, `gradient of "${slot.name}" is ${dtype ?? describeValue(grads)}; expected ${slot.dtype} (the parameter's dtype)`);
  }
  if (grads.length !== slot.length) {
    throw new ShapeError('LENGTH_MISMATCH', slot.name, `gradient of "${slot.name}" has length ${grads.length}; expected ${slot.length}`);
  }
  if (config.centered && !slot.hasMeanGrad) {
    throw new ArgumentError('config.centered', true, `false for slot "${slot.name}", which was created without a meanGrad buffer`);
  }
  if (config.momentum > 0 && !slot.hasMomentum) {
    throw new ArgumentError('config.momentum', config.momentum, `0 for slot "${slot.name}", which was created without a momentum buffer`);
  }
}
