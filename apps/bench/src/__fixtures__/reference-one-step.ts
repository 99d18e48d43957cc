import { createReferenceState, referenceStep, resolveConfig, STATE_BUFFER_NAMES, type RMSPropConfig, type StateArrays } from '@rmsprop/core';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, variantSettings, type Variant } from '../bench-case.js';

type Floats = Float32Array | Float64Array;

/** The spec's config for a bench variant. */
export function benchConfig(variant: Variant): Readonly<RMSPropConfig> {
  return resolveConfig({ learningRate: BENCH_LEARNING_RATE, rho: BENCH_RHO, epsilon: BENCH_EPSILON, ...variantSettings(variant) });
}

/** One element's state: θ and the state buffers, as the bench kernels lay them out (their own fixed buffers). */
export interface StepState {
  params: Floats;
  meanSquare: Floats;
  meanGrad: Floats | null;
  momentum: Floats | null;
}

/**
 * One step of the float64 reference (`referenceStep`, the executable spec) from `state` (read as float64)
 * with gradient `grads`: the new θ, v, m and b, in float64.
 */
export function referenceFrom(variant: Variant, state: StepState, grads: ArrayLike<number>): { params: Float64Array } & StateArrays<Float64Array> {
  const config = benchConfig(variant);
  const params = Float64Array.from(state.params);
  const ref = createReferenceState(config, params.length);
  // Every state buffer the variant's config keeps starts from `state`'s (by name, STATE_BUFFER_NAMES).
  for (const name of STATE_BUFFER_NAMES) ref[name]?.set(state[name]!);
  referenceStep(config, params, grads, ref);
  const { step: _step, ...buffers } = ref;
  return { params, ...buffers };
}

/** The spacing of float32 numbers at |x| (2⁻¹⁴⁹ for subnormals and zero). */
export function float32Ulp(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** The largest distance of `actual` from fround(`expected`), in float32 ulps of the expected value. */
export function maxFloat32Ulps(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.fround(expected[i]);
    worst = Math.max(worst, Math.abs(actual[i] - e) / float32Ulp(e));
  }
  return worst;
}

/** max |actual − expected| in float32 ulps of the largest |expected| (a normwise bound, for results that may cancel to near zero). */
export function normwiseFloat32Ulps(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let worst = 0;
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
    largest = Math.max(largest, Math.abs(expected[i]));
  }
  return largest === 0 ? (worst === 0 ? 0 : Infinity) : worst / float32Ulp(largest);
}
