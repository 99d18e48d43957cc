/** The test helpers that the precision claims rest on: ulp distances and the seeded PRNG. */
import { describe, expect, it } from 'vitest';
import { mulberry32, Rng } from './random.js';
import { float32Ordinal, maxUlp32, ulpDistance32, ulpDistance64 } from './ulp.js';

describe('ulpDistance32', () => {
  const next32 = (x: number) => {
    const f = new Float32Array([x]);
    const i = new Int32Array(f.buffer);
    i[0] += x >= 0 ? 1 : -1;
    return f[0];
  };

  it('counts neighbouring float32 values as 1 apart, equal ones as 0', () => {
    expect(ulpDistance32(1, 1)).toBe(0);
    expect(ulpDistance32(1, 1 + 2 ** -23)).toBe(1);
    expect(ulpDistance32(1, 1 + 5 * 2 ** -23)).toBe(5);
    expect(ulpDistance32(-1, -(1 + 2 ** -23))).toBe(1);
    expect(ulpDistance32(0.1, next32(0.1))).toBe(1);
    expect(ulpDistance32(-0.1, next32(-0.1))).toBe(1);
  });

  it('rounds its inputs to float32 first', () => {
    expect(ulpDistance32(0.1, Math.fround(0.1))).toBe(0);
    expect(ulpDistance32(1, 1 + 2 ** -30)).toBe(0);
  });

  it('counts across a binade boundary and across zero', () => {
    // Below 1 the spacing is 2⁻²⁴, above it 2⁻²³.
    expect(ulpDistance32(1 - 2 ** -24, 1 + 2 ** -23)).toBe(2);
    const tiny = 2 ** -149; // the smallest float32 subnormal
    expect(ulpDistance32(tiny, -tiny)).toBe(2);
    expect(ulpDistance32(0, tiny)).toBe(1);
    expect(ulpDistance32(0, -0)).toBe(0);
    expect(float32Ordinal(-0)).toBe(0);
    expect(ulpDistance32(-1, 1)).toBe(2 * float32Ordinal(1));
  });

  it('treats NaN as equal only to NaN, and ±∞ as the ends of the line', () => {
    expect(ulpDistance32(NaN, NaN)).toBe(0);
    expect(ulpDistance32(NaN, 1)).toBe(Infinity);
    expect(ulpDistance32(1, NaN)).toBe(Infinity);
    const max32 = (2 - 2 ** -23) * 2 ** 127;
    expect(ulpDistance32(Infinity, max32)).toBe(1);
    expect(ulpDistance32(-Infinity, -max32)).toBe(1);
  });

  it('maxUlp32 is the largest elementwise distance', () => {
    expect(maxUlp32([1, 2, 3], [1, 2, 3])).toBe(0);
    expect(maxUlp32([1, 2 + 2 ** -21, 3], [1, 2, 3])).toBe(2);
    expect(maxUlp32([], [])).toBe(0);
    expect(() => maxUlp32([1], [])).toThrow();
  });
});

describe('ulpDistance64', () => {
  it('counts float64 neighbours, across zero, with NaN handled like ulpDistance32', () => {
    expect(ulpDistance64(1, 1 + Number.EPSILON)).toBe(1);
    expect(ulpDistance64(1 - Number.EPSILON / 2, 1 + Number.EPSILON)).toBe(2);
    expect(ulpDistance64(5e-324, -5e-324)).toBe(2);
    expect(ulpDistance64(0, -0)).toBe(0);
    expect(ulpDistance64(Number.MAX_VALUE, Infinity)).toBe(1);
    expect(ulpDistance64(NaN, NaN)).toBe(0);
    expect(ulpDistance64(NaN, 0)).toBe(Infinity);
  });
});

describe('Rng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(xs);
    expect([c(), c(), c()]).not.toEqual(xs);
    for (const x of xs) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('draws in the documented ranges', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
      const u = rng.uniform(-2, 2);
      expect(u >= -2 && u < 2).toBe(true);
      const l = rng.logUniform(1e-10, 1e-1);
      expect(l >= 1e-10 && l <= 1e-1).toBe(true);
    }
    const f = rng.normals32(100);
    expect(f).toBeInstanceOf(Float32Array);
    const mean = f.reduce((s, x) => s + x, 0) / f.length;
    expect(Math.abs(mean)).toBeLessThan(0.5);
  });
});
