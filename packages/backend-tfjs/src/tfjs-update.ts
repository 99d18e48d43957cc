import {
  KERNEL_CONSTANT,
  LARGEST_FINITE,
  UPDATE_VARIANTS,
  createKernelConstants,
  interpretUpdateProgram,
  mapStateBuffers,
  setKernelConstants,
  updateProgram,
  variantIndexOf,
  type RMSPropConfig,
  type StateArrays,
  type UpdateProgram,
} from '@rmsprop/core';
import { add, div, isFinite, maximum, minimum, mul, neg, sqrt, sub, where, type Tensor } from '@tensorflow/tfjs-core';

/**
 * One parameter's tensors before a step: θ, the gradient, and the state buffers by name (`STATE_BUFFERS`:
 * v `meanSquare`, m `meanGrad`, b `momentum`); a buffer is required where the config stores it, null otherwise.
 */
export type UpdateInputs = { readonly param: Tensor; readonly grad: Tensor } & StateArrays<Tensor>;

/** The tensors after the step (new tensors; state the config does not store is passed through as given). */
export type UpdateOutputs = { readonly param: Tensor } & StateArrays<Tensor>;

/** The float32 update program of each variant (built on first use). */
const PROGRAMS: (UpdateProgram | undefined)[] = [];

/**
 * The spec's update as TensorFlow.js ops: @rmsprop/core's update program for `config`'s variant (the float32
 * one, decoupled decay folded into θ's last subtraction as the CPU backend's f32x4 kernel does), evaluated
 * one whole-tensor op per program operation, so each tfjs op rounds where the program's float32 arithmetic
 * rounds and nowhere else. The per-call constants (computed in float64, `setKernelConstants`) enter tfjs as
 * float32 scalars.
 *
 * Operations with a constant that are exact identities are skipped, so switches that are off cost nothing:
 * 1·x is x and −1·x is −x (maximize, the momentum scales), and x + 0 is x for the ε not in use (its operand
 * is never −0; see KERNEL_CONSTANTS). The plain variant is 13 elementwise ops (tf.train.rmsprop uses 11): the spec's
 * guards against NaN from finite input (docs/spec.md) cost 4 of them until fused kernels replace the chain.
 * The clamp max(x, 0) is `tf.maximum(x, 0)`: `tf.relu` on the wasm backend turns a NaN whose sign bit is
 * set (what ∞ − ∞ gives on x86) into 0, so a non-finite gradient under 'propagate' would leave an infinite
 * θ there where every other backend gives NaN. `saturate` is `tf.minimum(tf.maximum(x, −M), M)` and
 * `whereFinite` a `tf.where` on `tf.isFinite`; each keeps NaN (either sign) on cpu and wasm, where
 * `tf.clipByValue` does not on wasm.
 *
 * Centered with bias correction from v = 0 is ill-conditioned in float32: v̂ − m̂² is 0 in exact
 * arithmetic at the first steps, and float32 rounding leaves ~1e-7·g² there, more than a small ε (README,
 * "Precision").
 *
 * Call it inside `tf.tidy`: every intermediate is a new tensor. `learningRate` is η for this step and
 * `step` is t (1-based, for bias correction).
 */
export function rmspropUpdate(inputs: UpdateInputs, config: Readonly<RMSPropConfig>, learningRate: number, step: number): UpdateOutputs {
  const variant = variantIndexOf(config);
  const program = (PROGRAMS[variant] ??= updateProgram(UPDATE_VARIANTS[variant], { foldDecoupledDecay: true }));
  setKernelConstants(CONSTANTS, { config, learningRate, step });
  const out = interpretUpdateProgram<Value>(program, {
    load: (buffer) => {
      const tensor = inputs[buffer];
      if (tensor === null) throw new Error(`rmspropUpdate: the config needs the state buffer ${buffer}`);
      return tensor;
    },
    constant: (name) => CONSTANTS[KERNEL_CONSTANT[name]],
    add: (a, b) => (isZero(b) ? a : isZero(a) ? b : typeof a === 'number' ? add(tensor(b), a) : add(a, b)),
    sub: (a, b) => sub(tensor(a), b),
    mul: (a, b) => (typeof a === 'number' ? scale(b, a) : typeof b === 'number' ? scale(a, b) : mul(a, b)),
    div: (a, b) => div(tensor(a), b),
    sqrt: (a) => sqrt(tensor(a)),
    max0: (a) => maximum(tensor(a), 0),
    saturate: (a, nonNegative) => minimum(nonNegative ? tensor(a) : maximum(tensor(a), -LARGEST_FINITE.float32), LARGEST_FINITE.float32),
    whereFinite: (test, a, b) => where(isFinite(tensor(test)), tensor(a), tensor(b)),
  });
  const state = mapStateBuffers(({ name }) => {
    const value = out[name];
    return value === undefined ? inputs[name] : tensor(value);
  });
  // A buffer every config keeps is stored by every program, so it is never null here.
  return { param: tensor(out.param), ...(state as StateArrays<Tensor>) };
}

/** A value while the program is evaluated: a tensor, or a per-call constant not yet applied. */
type Value = Tensor | number;

/** The constants block, reused (the update runs on one thread). */
const CONSTANTS = createKernelConstants();

const isZero = (x: Value): boolean => x === 0;

/** x·c for a constant c: x itself for 1, −x for −1 (both exact). */
function scale(x: Value, c: number): Value {
  if (c === 1) return x;
  if (typeof x === 'number') throw new Error('rmspropUpdate: the update program multiplies two constants');
  return c === -1 ? neg(x) : mul(x, c);
}

function tensor(x: Value): Tensor {
  if (typeof x === 'number') throw new Error('rmspropUpdate: the update program gave a constant where a tensor was due');
  return x;
}
