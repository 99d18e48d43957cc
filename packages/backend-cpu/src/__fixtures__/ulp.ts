/**
 * Distances in units in the last place, by bit reinterpretation.
 *
 * A float's bits, read as a sign-magnitude integer and mapped onto a line (negative values mirrored below
 * zero), are ordered like the floats themselves, and neighbouring floats differ by 1. The distance between
 * two floats in ulps is then the difference of their positions: 0 for equal values (and for +0 vs −0),
 * 1 for neighbours, and it counts correctly across binade boundaries and across zero.
 */

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);

/** The position of `x`, rounded to float32, on the ordered line of float32 values (±0 → 0). */
export function float32Ordinal(x: number): number {
  f32[0] = x;
  const bits = i32[0];
  return bits < 0 ? 0 - (bits & 0x7fffffff) : bits; // 0 − 0 is +0, so −0 maps to 0
}

/**
 * How many float32 values apart `a` and `b` are after rounding each to float32: 0 when equal (+0 and −0
 * count as equal), 0 when both are NaN, Infinity when exactly one is NaN. ±Infinity are the ends of the
 * line, one step beyond the largest finite value.
 */
export function ulpDistance32(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : Infinity;
  return Math.abs(float32Ordinal(a) - float32Ordinal(b));
}

/** The position of `x` on the ordered line of float64 values (±0 → 0), as a bigint. */
export function float64Ordinal(x: number): bigint {
  f64[0] = x;
  const bits = i64[0];
  return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
}

/** Like {@link ulpDistance32} for float64 values (the result is a number; exact up to 2⁵³). */
export function ulpDistance64(a: number, b: number): number {
  const aNaN = Number.isNaN(a);
  const bNaN = Number.isNaN(b);
  if (aNaN || bNaN) return aNaN && bNaN ? 0 : Infinity;
  const d = float64Ordinal(a) - float64Ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** The largest {@link ulpDistance32} over two equally long arrays (0 for empty ones). */
export function maxUlp32(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, ulpDistance32(actual[i], expected[i]));
  return max;
}

/** The largest {@link ulpDistance64} over two equally long arrays (0 for empty ones). */
export function maxUlp64(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`lengths differ: ${actual.length} vs ${expected.length}`);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, ulpDistance64(actual[i], expected[i]));
  return max;
}
