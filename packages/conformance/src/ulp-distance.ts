import type { DType } from '@rmsprop/core';

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

function orderedFloat32(x: number): number {
  f32[0] = x;
  const bits = i32[0];
  // Map the sign-magnitude bit pattern onto a monotonic integer line (−0 and +0 both map to 0).
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

function orderedFloat64(x: number): bigint {
  f64[0] = x;
  const bits = i64[0];
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/**
 * How many representable values of `dtype` lie between `a` and `b` (0 when equal, ±0 counting as equal;
 * 1 for neighbours). Both must be values of that dtype (a float32 distance of non-float32 numbers is
 * measured after rounding them to float32). NaN against anything, or one infinity against a finite
 * value, is Infinity; equal infinities are 0.
 */
export function ulpDistance(a: number, b: number, dtype: DType): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  if (dtype === 'float32') return Math.abs(orderedFloat32(a) - orderedFloat32(b));
  const d = orderedFloat64(a) - orderedFloat64(b);
  return Number(d < 0n ? -d : d);
}

/**
 * The spacing of `dtype` values at magnitude `x` (ulp(x)): 2^(e − 23) for float32 and 2^(e − 52) for
 * float64, where 2^e ≤ |x| < 2^(e+1); the smallest subnormal spacing below the normal range.
 */
export function ulpOf(x: number, dtype: DType): number {
  const mantissaBits = dtype === 'float32' ? 23 : 52;
  const minExponent = dtype === 'float32' ? -126 : -1022;
  const ax = Math.abs(x);
  if (!Number.isFinite(ax)) return Infinity;
  const e = ax === 0 ? minExponent : Math.max(minExponent, Math.floor(Math.log2(ax)));
  // log2 can be off by one next to powers of two; correct it.
  const exponent = e > minExponent && 2 ** e > ax ? e - 1 : 2 ** (e + 1) <= ax ? e + 1 : e;
  return 2 ** (exponent - mantissaBits);
}

/**
 * |a − b| in ulps of max(|scale|, |b|) (see {@link ulpOf}). With the scale of the numbers a value was
 * computed from, an error made on that scale and carried into a value that cancelled towards zero is not
 * counted as a huge relative error. NaN against a number, or differing infinities,
 * is Infinity.
 */
export function scaledUlpDistance(a: number, b: number, scale: number, dtype: DType): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / ulpOf(Math.max(Math.abs(scale), Math.abs(b)), dtype);
}
