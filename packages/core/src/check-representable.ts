import type { StepHyperparameters } from './backend.js';
import { LARGEST_FINITE, type DType } from './dtype.js';
import { ConfigError } from './errors.js';

/** The smallest normal number of each dtype: 2⁻¹²⁶ and 2⁻¹⁰²². */
const SMALLEST_NORMAL: { readonly [D in DType]: number } = { float32: 1.1754943508222875e-38, float64: 2.2250738585072014e-308 };

/** A number as the dtype holds it: float32 rounds to nearest (`Math.fround`), float64 is itself. */
function inDtype(x: number, dtype: DType): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}

/**
 * The checks a step's hyperparameters need in the slot's dtype, beyond the config's own ranges
 * (`resolveConfig`): a kernel works with the per-call constants rounded to its dtype, and a value that
 * rounds to ∞ or to 0 there turns a finite step into NaN (ε = 0 gives 0/0 for a zero gradient; η or wd
 * rounding to ∞ gives ∞·0). So, in `dtype`:
 * - η, wd and, with decoupled decay, η·wd round to a finite value (≤ the dtype's largest finite value);
 *   for float64 that leaves η·wd, a product of two finite numbers that may overflow;
 * - ε rounds to a value > 0 (float32's smallest is 2⁻¹⁴⁹ ≈ 1.4e-45); where the arithmetic flushes
 *   subnormal numbers to zero (`flushesSubnormals`: GPU shaders may, and SwiftShader does), ε must be at
 *   least the smallest normal number (float32 2⁻¹²⁶ ≈ 1.18e-38), or ε reads as 0 there.
 * Throws a ConfigError naming the field, the value and the range the dtype represents; `where` names the
 * update or group for the message.
 */
export function checkRepresentable(hyper: StepHyperparameters, dtype: DType, where: string, flushesSubnormals = false): void {
  if (isRepresentable(hyper, dtype, flushesSubnormals)) return;
  const { config, learningRate } = hyper;
  const largest = LARGEST_FINITE[dtype];
  const range = `a value ${dtype} holds as a finite number (≤ ${largest}) for a ${dtype} parameter`;
  if (!Number.isFinite(inDtype(learningRate, dtype))) throw new ConfigError('learningRate', learningRate, range, where);
  if (!Number.isFinite(inDtype(config.weightDecay, dtype))) throw new ConfigError('weightDecay', config.weightDecay, range, where);
  if (config.decoupledWeightDecay && config.weightDecay > 0 && !Number.isFinite(inDtype(learningRate * config.weightDecay, dtype))) {
    throw new ConfigError(
      'learningRate × weightDecay',
      learningRate * config.weightDecay,
      `${range} (decoupled weight decay shrinks θ by η·wd; here η = ${learningRate}, wd = ${config.weightDecay})`,
      where,
    );
  }
  if (flushesSubnormals) {
    const smallestNormal = SMALLEST_NORMAL[dtype];
    if (!(inDtype(config.epsilon, dtype) >= smallestNormal)) {
      throw new ConfigError(
        'epsilon',
        config.epsilon,
        `a value ≥ ${smallestNormal}, the smallest normal ${dtype} (this backend's arithmetic flushes smaller numbers to zero)`,
        where,
      );
    }
  } else if (!(inDtype(config.epsilon, dtype) > 0)) {
    const smallest = dtype === 'float32' ? 1.401298464324817e-45 : Number.MIN_VALUE;
    throw new ConfigError('epsilon', config.epsilon, `a value ${dtype} holds as a number > 0 (≥ ${smallest}) for a ${dtype} parameter`, where);
  }
}

/**
 * Whether `checkRepresentable` would pass, without building anything: a step calls it for every run of
 * updates, and a message made there (the range's numbers formatted, the place named) would be an
 * allocation per step. `checkRepresentable` runs only where this says no, to say why.
 */
export function isRepresentable(hyper: StepHyperparameters, dtype: DType, flushesSubnormals = false): boolean {
  const { config, learningRate } = hyper;
  if (!Number.isFinite(inDtype(learningRate, dtype)) || !Number.isFinite(inDtype(config.weightDecay, dtype))) return false;
  if (config.decoupledWeightDecay && config.weightDecay > 0 && !Number.isFinite(inDtype(learningRate * config.weightDecay, dtype))) return false;
  return flushesSubnormals ? inDtype(config.epsilon, dtype) >= SMALLEST_NORMAL[dtype] : inDtype(config.epsilon, dtype) > 0;
}
