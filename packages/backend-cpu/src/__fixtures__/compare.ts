/** Exact comparisons for tests: bit-identical arrays and byte snapshots. */
import type { FloatArray } from '@rmsprop/core';

/**
 * Null when `actual` and `expected` hold the same values element by element under `Object.is` (so +0 and
 * −0 differ, and NaN equals NaN), else a message naming the first differing index and both values.
 */
export function firstMismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, what = 'values'): string | null {
  if (actual.length !== expected.length) return `${what}: length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      return `${what}[${i}] = ${Object.is(actual[i], -0) ? '-0' : actual[i]}, expected ${Object.is(expected[i], -0) ? '-0' : expected[i]}`;
    }
  }
  return null;
}

/** A copy of the bytes behind a typed array (null stays null). */
export function bytesOf(values: FloatArray | null): Uint8Array | null {
  if (values === null) return null;
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
}

/** Float64 copies of the values rounded with `Math.fround` (what a Float32Array store does). */
export function fround64(values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.fround(values[i]);
  return out;
}
