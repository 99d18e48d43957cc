import { describe, expect, it } from 'vitest';
import { findNonFinite } from './find-non-finite.js';

describe('findNonFinite', () => {
  it('is −1 for finite values, zeros of both signs and the extremes included', () => {
    expect(findNonFinite(new Float64Array(0))).toBe(-1);
    expect(findNonFinite(Float64Array.of(-0, 0, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, 1))).toBe(-1);
    expect(findNonFinite(Float32Array.of(3.4e38, -3.4e38, 1e-45, -0, 7))).toBe(-1);
  });

  it('finds the first NaN, +∞ or −∞ at every position of arrays of every length up to 13', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      for (let n = 1; n <= 13; n++) {
        for (let at = 0; at < n; at++) {
          const g = Float64Array.from({ length: n }, (_, i) => i + 0.5);
          g[at] = bad;
          if (at + 2 < n) g[at + 2] = Number.NaN; // a later one must not be reported
          expect(findNonFinite(g), `n ${n}, at ${at}, ${bad}`).toBe(at);
        }
      }
    }
  });
});
