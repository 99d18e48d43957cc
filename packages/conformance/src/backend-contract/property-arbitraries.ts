/**
 * What the property-based contract draws from (fast-check arbitraries): valid configs with every switch
 * drawn and values up to the dtype's limits, well-conditioned configs for comparisons with the reference,
 * arrays of finite values including huge, subnormal and signed zeros, and the runs' seed and count.
 */
import { LARGEST_FINITE, resolveConfig, type DType, type FloatArray, type RMSPropConfig } from '@rmsprop/core';
import fc from 'fast-check';

/** The smallest positive (subnormal) value of each dtype. */
export const SMALLEST_SUBNORMAL: { readonly [D in DType]: number } = { float32: 2 ** -149, float64: Number.MIN_VALUE };

/** The smallest normal value of each dtype: ε's lower bound where the arithmetic flushes subnormals to zero. */
export const SMALLEST_NORMAL: { readonly [D in DType]: number } = { float32: 2 ** -126, float64: 2 ** -1022 };

/** The largest ρ and μ drawn: 1 − 2⁻²³, the largest float32 below 1 (1 − 2⁻²⁴ rounds to 1 in float32). */
export const LARGEST_DECAY = 1 - 2 ** -23;

/** How many inputs each property tries, and from which seed: `RMSPROP_PROPERTY_RUNS` and `RMSPROP_PROPERTY_SEED` override. */
export interface PropertyRuns {
  readonly numRuns: number;
  readonly seed: number;
}

/**
 * The runs of a property: `defaultRuns` inputs from seed 13 (so every `pnpm test` tries the same inputs),
 * unless the environment sets `RMSPROP_PROPERTY_RUNS` (a positive integer: more inputs) or
 * `RMSPROP_PROPERTY_SEED` (an integer: replay the seed a failure printed). A malformed value throws.
 */
export function propertyRuns(defaultRuns: number): PropertyRuns {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const read = (key: string, fallback: number, ok: (n: number) => boolean): number => {
    const text = env[key];
    if (text === undefined || text === '') return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || !ok(n)) throw new Error(`${key}=${JSON.stringify(text)} is not allowed; expected ${key.endsWith('RUNS') ? 'an integer ≥ 1' : 'an integer'}`);
    return n;
  };
  return { numRuns: read('RMSPROP_PROPERTY_RUNS', defaultRuns, (n) => n >= 1), seed: read('RMSPROP_PROPERTY_SEED', 13, () => true) };
}

/** A number in [min, max]: either bound, a value spread over every magnitude in between (fast-check's doubles), or one of `also` that lies inside. */
function spanning(min: number, max: number, also: readonly number[] = []): fc.Arbitrary<number> {
  const inside = also.filter((x) => x >= min && x <= max);
  return fc.oneof(fc.constantFrom(min, max, ...inside), fc.double({ min, max, noNaN: true }));
}

/**
 * Valid configs (from `resolveConfig`) with every switch drawn and values up to the limits `dtype` can
 * represent: η from 0 to the largest finite value, ε down to the smallest subnormal (the smallest normal
 * where the backend flushes subnormals to zero), ρ and μ up to 1 − 2⁻²³, weightDecay up to the largest
 * finite (with η·wd at most a quarter of it), initialMeanSquare up to the largest finite.
 */
export function anyConfig(dtype: DType, flushesSubnormals = false): fc.Arbitrary<Readonly<RMSPropConfig>> {
  const max = LARGEST_FINITE[dtype];
  const tiny = (flushesSubnormals ? SMALLEST_NORMAL : SMALLEST_SUBNORMAL)[dtype];
  return fc
    .record({
      learningRate: spanning(0, max, [1e-3, 0.1, 1]),
      rho: spanning(0, LARGEST_DECAY, [0.5, 0.9, 0.99]),
      epsilon: spanning(tiny, max, [1e-8, 1e-3, 1]),
      epsilonPlacement: fc.constantFrom('outside' as const, 'inside' as const),
      momentum: fc.oneof(fc.constant(0), spanning(0, LARGEST_DECAY, [0.5, 0.9])),
      nesterov: fc.boolean(),
      learningRateInMomentum: fc.boolean(),
      centered: fc.boolean(),
      weightDecay: fc.oneof(fc.constant(0), spanning(0, max, [1e-4, 0.01, 1])),
      decoupledWeightDecay: fc.boolean(),
      maximize: fc.boolean(),
      initialMeanSquare: fc.oneof(fc.constant(0), spanning(0, max, [0.1, 1])),
      biasCorrection: fc.boolean(),
    })
    .map((c) => {
      // η·wd representable: at most a quarter of the largest finite value, with η shrunk where needed.
      const learningRate = c.weightDecay > 0 && c.learningRate * c.weightDecay > max / 4 ? max / 4 / c.weightDecay : c.learningRate;
      return resolveConfig({ ...c, learningRate, nesterov: c.nesterov && c.momentum > 0 });
    });
}

/**
 * Config fields (valid for `resolveConfig`, so finite) that float32 cannot hold: ε in (0, 2⁻¹⁵⁰] (rounds to
 * 0; where the backend flushes subnormals, every ε below 2⁻¹²⁶), η or wd at or above the midpoint between
 * float32's largest finite value and 2¹²⁸ (rounds to ∞), or decoupled decay with η·wd there while each
 * alone is finite in float32.
 */
export function unrepresentableFloat32(flushesSubnormals = false): fc.Arbitrary<Partial<RMSPropConfig>> {
  const max = LARGEST_FINITE.float32;
  const overflow = max + 2 ** 103; // the midpoint: rounds to ∞ (ties to even)
  const huge = spanning(overflow, Number.MAX_VALUE);
  return fc.oneof(
    spanning(Number.MIN_VALUE, flushesSubnormals ? 2 ** -126 - 2 ** -149 : 2 ** -150).map((epsilon) => ({ epsilon })),
    huge.map((learningRate) => ({ learningRate })),
    huge.map((weightDecay) => ({ weightDecay })),
    fc.double({ min: 2, max, noNaN: true }).map((learningRate) => ({ learningRate, weightDecay: (overflow / learningRate) * 1.5, decoupledWeightDecay: true })),
  );
}

/**
 * Well-conditioned configs, for comparing a backend with the float64 reference: moderate η, ρ, ε and μ,
 * wd small enough that coupled decay cannot cancel an ordinary gradient, and no centered bias correction (at t = 1 it gives v̂ − m̂² = 0 exactly, where a float32 rounding of
 * either term decides the step), so rounding differences stay rounding-sized.
 */
export function wellConditionedConfig(): fc.Arbitrary<Readonly<RMSPropConfig>> {
  return fc
    .record({
      learningRate: fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
      rho: fc.double({ min: 0.5, max: 0.95, noNaN: true }),
      epsilon: fc.double({ min: 1e-8, max: 1e-3, noNaN: true }),
      epsilonPlacement: fc.constantFrom('outside' as const, 'inside' as const),
      momentum: fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 0.9, noNaN: true })),
      nesterov: fc.boolean(),
      learningRateInMomentum: fc.boolean(),
      centered: fc.boolean(),
      // wd·|θ| ≤ 2·10⁻⁴ < |g|/2 for ordinary values: coupled decay never cancels the gradient.
      weightDecay: fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1e-4, noNaN: true })),
      decoupledWeightDecay: fc.boolean(),
      maximize: fc.boolean(),
      initialMeanSquare: fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })),
      biasCorrection: fc.boolean(),
    })
    .map((c) => resolveConfig({ ...c, nesterov: c.nesterov && c.momentum > 0, biasCorrection: c.biasCorrection && !c.centered }));
}

/**
 * One finite value of `dtype`: ordinary (|x| ≤ 4), any finite value (every magnitude), near the largest
 * finite, around √(largest finite) where squares overflow, subnormal, or ±0.
 */
export function finiteValue(dtype: DType): fc.Arbitrary<number> {
  const max = LARGEST_FINITE[dtype];
  const tiny = SMALLEST_SUBNORMAL[dtype];
  const root = Math.sqrt(max);
  const any = dtype === 'float32' ? fc.float({ noNaN: true, noDefaultInfinity: true }) : fc.double({ noNaN: true, noDefaultInfinity: true });
  const signed = (a: fc.Arbitrary<number>) => fc.tuple(a, fc.boolean()).map(([x, negative]) => (negative ? -x : x));
  return fc.oneof(
    { arbitrary: fc.double({ min: -4, max: 4, noNaN: true }), weight: 4 },
    { arbitrary: any, weight: 2 },
    { arbitrary: signed(fc.double({ min: max / 2, max, noNaN: true })), weight: 1 },
    { arbitrary: signed(fc.double({ min: root / 2, max: root * 4, noNaN: true })), weight: 1 },
    { arbitrary: signed(fc.integer({ min: 1, max: 1000 }).map((k) => k * tiny)), weight: 1 },
    { arbitrary: fc.constantFrom(0, -0), weight: 1 },
  );
}

/**
 * Ordinary values: 0 or 10⁻³ ≤ |x| ≤ 2 (no overflow, and none so small that float32 arithmetic underflows
 * where the float64 reference does not), for gradients and parameters in reference comparisons.
 */
export function ordinaryValue(): fc.Arbitrary<number> {
  const magnitude = fc.double({ min: 1e-3, max: 2, noNaN: true });
  return fc.oneof({ arbitrary: fc.tuple(magnitude, fc.boolean()).map(([x, negative]) => (negative ? -x : x)), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 });
}

/** An array of `dtype` with `length` values from `value` (rounded to float32 for float32; finite stays finite). */
export function arrayOf(dtype: DType, length: number, value: fc.Arbitrary<number>): fc.Arbitrary<FloatArray> {
  const max = LARGEST_FINITE[dtype];
  return fc
    .array(value, { minLength: length, maxLength: length })
    .map((values) => (dtype === 'float32' ? Float32Array.from(values, (x) => Math.max(-max, Math.min(max, x))) : Float64Array.from(values)));
}

/**
 * A run of a slot: a length in 0..40, θ, and `steps` gradients (1..`maxSteps` of them), every value from
 * `value`.
 */
export function slotRun(dtype: DType, value: fc.Arbitrary<number>, maxSteps: number): fc.Arbitrary<{ params: FloatArray; grads: FloatArray[] }> {
  return fc
    .tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: maxSteps }))
    .chain(([n, steps]) => fc.record({ params: arrayOf(dtype, n, value), grads: fc.array(arrayOf(dtype, n, value), { minLength: steps, maxLength: steps }) }));
}

/**
 * Runs `property` with `runs` (fast-check's `check`), throws fast-check's report (with the seed and the
 * shrunk counterexample) where it fails, and returns how many inputs were tried.
 */
export async function checkProperty<T>(property: fc.IAsyncProperty<T> | fc.IProperty<T>, runs: PropertyRuns): Promise<number> {
  const details = await fc.check(property as fc.IAsyncProperty<T>, { numRuns: runs.numRuns, seed: runs.seed });
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new Error(`${fc.defaultReportMessage(details) ?? `property failed (seed ${runs.seed})`}\nThe counterexample's failure: ${cause}`);
  }
  return details.numRuns;
}
