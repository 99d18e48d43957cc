import { createReferenceState, referenceStep, resolveConfig, type RMSPropConfig } from '@rmsprop/core';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, variantSettings, type Variant } from '../bench-case.js';

type Floats = Float32Array | Float64Array;

/** The spec's config for a bench variant. */
export function benchConfig(variant: Variant): Readonly<RMSPropConfig> {
  return resolveConfig({ learningRate: BENCH_LEARNING_RATE, rho: BENCH_RHO, epsilon: BENCH_EPSILON, ...variantSettings(variant) });
}

/** One element's state. */
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
export function referenceFrom(variant: Variant, state: StepState, grads: ArrayLike<number>): { params: Float64Array; meanSquare: Float64Array; meanGrad: Float64Array | null; momentum: Float64Array | null } {
  const config = benchConfig(variant);
  const params = Float64Array.from(state.params);
  const ref = createReferenceState(config, params.length);
  ref.meanSquare.set(state.meanSquare);
  if (ref.meanGrad !== null) ref.meanGrad.set(state.meanGrad!);
  if (ref.momentum !== null) ref.momentum.set(state.momentum!);
  referenceStep(config, params, grads, ref);
  return { params, meanSquare: ref.meanSquare, meanGrad: ref.meanGrad, momentum: ref.momentum };
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
