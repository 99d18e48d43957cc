import type { SlotRequest, SlotUpdate } from './backend.js';
import { LARGEST_FINITE, dtypeOf, type DType } from './dtype.js';
import { ArgumentError, describeValue, DisposedError, ShapeError } from './errors.js';
import { STATE_BUFFER_NAMES, STATE_BUFFERS, type StateArrays, type StateRecord } from './state-buffers.js';
import { stateMaskOf } from './update-program.js';
import { checkRepresentable, isRepresentable } from './check-representable.js';

/** The buffers a slot may lack (those a config switches on), as a bit mask over `STATE_BUFFER_NAMES`. */
const OPTIONAL_STATE_MASK = STATE_BUFFERS.reduce((mask, buffer, b) => (buffer.switchedBy === null ? mask : mask | (1 << b)), 0);

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
    throw new ArgumentError('request.state', state, `an object with each state buffer's initial value or null (${STATE_BUFFER_NAMES.join(', ')})`);
  }
  for (const buffer of STATE_BUFFERS) {
    const value = state[buffer.name];
    if (value === null && buffer.switchedBy !== null) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || (buffer.nonNegative && value < 0)) {
      const number = buffer.nonNegative ? 'a finite number ≥ 0' : 'a finite number';
      throw new ArgumentError(`request.state.${buffer.name}`, value, buffer.switchedBy === null ? number : `${number}, or null for no ${buffer.name} buffer`);
    }
    if (request.dtype === 'float32' && !Number.isFinite(Math.fround(value))) {
      throw new ArgumentError(`request.state.${buffer.name}`, value, `a value float32 holds as a finite number (≤ ${LARGEST_FINITE.float32}) for a float32 slot`);
    }
  }
  if (request.adopt !== true && request.adopt !== false && request.adopt !== 'read-only') {
    throw new ArgumentError('request.adopt', request.adopt, "true, false or 'read-only'");
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
export type SlotStateArrays = StateArrays<ArrayLike<number>>;

/**
 * The checks a slot's `writeState` runs before writing anything: `state` is an object, and each state buffer
 * is given exactly where the slot keeps it (`keeps`), with the slot's length; null where it does not.
 */
export function checkStateArrays(slot: { readonly name: string; readonly length: number }, state: SlotStateArrays, keeps: StateRecord<boolean>): void {
  if (state === null || typeof state !== 'object') throw new ArgumentError('state', state, `an object { ${STATE_BUFFER_NAMES.join(', ')} }`);
  for (const name of STATE_BUFFER_NAMES) {
    const values = state[name];
    if (!keeps[name]) {
      if (values !== null) throw new ArgumentError(`state.${name}`, values, `null: slot "${slot.name}" has no ${name} buffer`);
      continue;
    }
    if (values === null) {
      throw new ArgumentError(`state.${name}`, values, `an array of ${slot.length} numbers: slot "${slot.name}" has a ${name} buffer`);
    }
    checkArrayLength(slot, `state.${name}`, values);
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
 * and ≥ 0, t an integer ≥ 1, the constants representable in the slot's dtype (`checkRepresentable`), the gradient of the slot's dtype and length, and the state buffers the config
 * needs present in the slot. The config's ranges are not checked again here: they are `resolveConfig`'s.
 * `index` is the update's position, for messages.
 */
export function checkSlotUpdate(update: SlotUpdate, index: number, slot: CheckedSlot): void {
  checkHyper(update, index);
  if (!isRepresentable(update.hyper, slot.dtype)) checkRepresentable(update.hyper, slot.dtype, `updates[${index}] (slot "${slot.name}")`);
  checkGradientAndState(update, index, slot, stateMaskOf(update.hyper.config));
}

/** A slot as the per-update checks see it. */
type CheckedSlot = { readonly name: string; readonly length: number; readonly dtype: DType; readonly keeps: StateRecord<boolean> };

/** `hyper` and `hyper.config` objects, η finite and ≥ 0, t an integer ≥ 1. */
function checkHyper(update: SlotUpdate, index: number): void {
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
}

/** The gradient of the slot's dtype and length, and the state buffers `needed` (a `stateMaskOf` mask) kept by the slot. */
function checkGradientAndState(update: SlotUpdate, index: number, slot: CheckedSlot, needed: number): void {
  const grads = update.grads;
  const dtype = dtypeOf(grads);
  if (dtype !== slot.dtype) {
    throw new ShapeError('DTYPE_MISMATCH', slot.name, `gradient of "${slot.name}" is ${dtype ?? describeValue(grads)}; expected ${slot.dtype} (the parameter's dtype)`);
  }
  if (grads.length !== slot.length) {
    throw new ShapeError('LENGTH_MISMATCH', slot.name, `gradient of "${slot.name}" has length ${grads.length}; expected ${slot.length}`);
  }
  // Buffers every slot keeps (checkSlotRequest) need no look-up: only the optional ones the config needs.
  const optional = needed & OPTIONAL_STATE_MASK;
  if (optional !== 0) {
    for (let b = 0; b < STATE_BUFFERS.length; b++) {
      const buffer = STATE_BUFFERS[b];
      if ((optional & (1 << b)) !== 0 && !slot.keeps[buffer.name]) {
        const config = update.hyper.config;
        const field = buffer.switchedBy!.field;
        throw new ArgumentError(`config.${field}`, config[field], `${buffer.switchedBy!.off} for slot "${slot.name}", which was created without a ${buffer.name} buffer`);
      }
    }
  }
}

/** What `checkSlotUpdates` needs of a backend's slots. */
export interface StepSlot {
  readonly name: string;
  readonly length: number;
  readonly dtype: DType;
  /** Which state buffers the slot keeps. */
  readonly keeps: StateRecord<boolean>;
  /** The backend that made the slot. */
  readonly owner: object;
  readonly disposed: boolean;
  /** The number of the last step that took the slot (`checkSlotUpdates` writes it). */
  stamp: number;
}

/** What a backend's arithmetic lacks, for `checkSlotUpdates`. */
export interface StepCheckOptions {
  /**
   * The arithmetic flushes subnormal numbers to zero (GPU shaders may): ε must then be a normal number of
   * the dtype (`checkRepresentable`).
   */
  readonly flushesSubnormals?: boolean;
}

const NO_OPTIONS: StepCheckOptions = {};

/** The last step number handed out (a double: it never wraps). */
let lastStamp = 0;

/**
 * The checks a backend's `step` runs on its whole input before computing anything: an array of updates,
 * each an object whose slot `owner` made, live, and not given twice (found in O(1) per update with a step
 * number written on the slot), then `checkSlotUpdate`'s checks, the hyperparameters once per run of updates
 * that share config, η and t (the optimizer gives a group's slots the same three), with the constants
 * the slot's dtype must hold (`checkRepresentable`; `options.flushesSubnormals` for GPU arithmetic). `what` names the backend in messages ("cpu",
 * "tfjs", "gpu.js"). Throws the typed error naming `updates[i]` and the field; writes nothing but the
 * slots' step numbers.
 */
export function checkSlotUpdates(updates: readonly SlotUpdate[], owner: object, what: string, options: StepCheckOptions = NO_OPTIONS): void {
  if (!Array.isArray(updates)) throw new ArgumentError('updates', updates, 'an array of slot updates');
  const stamp = ++lastStamp;
  // The optimizer gives every slot of a group the same config, η and t: checked once, they are not
  // checked again for the next update that has the same three (no NaN passes: NaN !== NaN).
  let config: object | null = null;
  let rate = 0;
  let step = 0;
  let needed = 0;
  let dtype: DType | null = null;
  for (let i = 0; i < updates.length; i++) {
    const update = updates[i];
    if (update === null || typeof update !== 'object') throw new ArgumentError(`updates[${i}]`, update, 'a slot update { slot, grads, hyper }');
    const slot = update.slot as unknown as StepSlot;
    if (slot === null || typeof slot !== 'object' || slot.owner !== owner) {
      throw new ArgumentError(`updates[${i}].slot`, slot, `a slot created by this ${what} backend`);
    }
    if (slot.stamp === stamp) throw new ArgumentError(`updates[${i}].slot`, slot.name, 'a slot not already updated in this step');
    slot.stamp = stamp;
    if (slot.disposed) throw new DisposedError(`${what} slot "${slot.name}"`, 'step');
    const hyper = update.hyper;
    if (hyper === null || typeof hyper !== 'object' || hyper.config !== config || hyper.learningRate !== rate || hyper.step !== step) {
      checkHyper(update, i);
      config = hyper.config;
      rate = hyper.learningRate;
      step = hyper.step;
      needed = stateMaskOf(hyper.config);
      dtype = null;
    }
    if (slot.dtype !== dtype) {
      const flushes = options.flushesSubnormals === true;
      // The message's place is built only on failure: a string made here would be an allocation per step.
      if (!isRepresentable(hyper, slot.dtype, flushes)) checkRepresentable(hyper, slot.dtype, `updates[${i}] (slot "${slot.name}")`, flushes);
      dtype = slot.dtype;
    }
    checkGradientAndState(update, i, slot, needed);
  }
}
