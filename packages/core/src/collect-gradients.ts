import { dtypeOf, type DType, type FloatArray } from './dtype.js';
import { ArgumentError, describeNames, describeValue, ParameterNameError, ShapeError } from './errors.js';

/** Gradients by parameter name, as `RMSPropOptimizer.step` takes them. */
export type GradientMap = Readonly<Record<string, FloatArray>> | ReadonlyMap<string, FloatArray>;

/** A parameter a gradient is collected for: its name, and the dtype and length the gradient must have. */
export interface GradientTarget {
  readonly name: string;
  readonly backendSlot: { readonly dtype: DType; readonly length: number };
}

/**
 * Look up each target's gradient in `grads` and write it to `out[i]` (for `targets[i]`), checking that
 * `grads` names no unknown parameter (a key `known` lacks) and misses none, and that each gradient has
 * its parameter's dtype and length. Throws `ArgumentError`, `ParameterNameError` (UNKNOWN_PARAMETER is
 * reported before MISSING_PARAMETER) or `ShapeError`. Allocates nothing: it runs at every step.
 *
 * A Map with one entry per parameter, each found, has no unknown name: its keys are counted in O(1). An
 * object's keys are enumerated (about 35 ns each).
 */
export function collectGradients(grads: GradientMap, targets: readonly GradientTarget[], known: ReadonlyMap<string, unknown>, out: FloatArray[]): void {
  if (grads === null || typeof grads !== 'object') {
    throw new ArgumentError('grads', grads, 'an object or Map mapping each parameter name to its gradient');
  }
  const map = grads instanceof Map ? (grads as ReadonlyMap<string, FloatArray>) : null;
  const record = grads as Readonly<Record<string, FloatArray>>;
  if (map === null || map.size > targets.length) checkNoUnknownNames(map ?? record, targets, known);
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i];
    let g = map === null ? record[target.name] : map.get(target.name);
    // A name like "constructor" or "__proto__" finds Object.prototype's member where the object has no
    // entry of its own: that is a missing gradient, not one of the wrong type. (Checked only here, where the
    // value is already wrong: a typed array is never inherited from Object.prototype.)
    if (map === null && g !== undefined && dtypeOf(g) === undefined && !Object.hasOwn(record, target.name)) g = undefined;
    out[i] = g!;
    if (g === undefined) {
      // An unknown name (a typo) explains a missing one best: report it first.
      if (map !== null) checkNoUnknownNames(map, targets, known);
      throw new ParameterNameError('MISSING_PARAMETER', target.name, `no gradient given for parameter ${describeValue(target.name)}; every parameter needs one each step`);
    }
    const dtype = dtypeOf(g);
    if (dtype !== target.backendSlot.dtype) {
      throw new ShapeError(
        'DTYPE_MISMATCH',
        target.name,
        `gradient of ${describeValue(target.name)} is ${dtype ?? describeValue(g)}; expected ${target.backendSlot.dtype} (the parameter's dtype)`,
      );
    }
    if (g.length !== target.backendSlot.length) {
      throw new ShapeError('LENGTH_MISMATCH', target.name, `gradient of ${describeValue(target.name)} has length ${g.length}; expected ${target.backendSlot.length}`);
    }
  }
}

/** Throws UNKNOWN_PARAMETER for the first key of `grads` that `known` lacks. */
function checkNoUnknownNames(grads: GradientMap, targets: readonly GradientTarget[], known: ReadonlyMap<string, unknown>): void {
  if (grads instanceof Map) {
    for (const key of grads.keys()) if (typeof key !== 'string' || !known.has(key)) throwUnknownName(key, targets);
  } else {
    for (const key in grads) if (!known.has(key)) throwUnknownName(key, targets);
  }
}

function throwUnknownName(key: unknown, targets: readonly GradientTarget[]): never {
  // A Map's key may be anything: a number is named (and quoted) as its digits, anything else by describeValue.
  const named = typeof key === 'string' || typeof key === 'number';
  const name = named ? String(key) : describeValue(key);
  const shown = named ? describeValue(name) : name;
  throw new ParameterNameError(
    'UNKNOWN_PARAMETER',
    name,
    `gradient given for unknown parameter ${shown}; known parameters: ${describeNames(targets.map((t) => t.name))}`,
  );
}
