import { describe, expect, it } from 'vitest';
import { scaledUlpDistance, ulpDistance, ulpOf } from './ulp-distance.js';

// nextafter by bit twiddling, independent of the code under test.
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The next float32 above x (x a float32 value, finite). */
function nextUp32(x: number): number {
  if (x === 0) return 2 ** -149;
  f32[0] = x;
  u32[0] = x > 0 ? u32[0] + 1 : u32[0] - 1;
  return f32[0];
}

/** The next float32 below x. */
function nextDown32(x: number): number {
  return -nextUp32(-x);
}

/** The next float64 above x (x finite). */
function nextUp64(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  u64[0] = x > 0 ? u64[0] + 1n : u64[0] - 1n;
  return f64[0];
}

function nextDown64(x: number): number {
  return -nextUp64(-x);
}

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Positive finite float32 values with random bit patterns, over every exponent (subnormals included). */
function randomFloat32s(n: number, seed: number): number[] {
  const rnd = random(seed);
  const out: number[] = [];
  while (out.length < n) {
    u32[0] = Math.floor(rnd() * 0x7f800000); // below the bit pattern of +Infinity
    if (f32[0] !== 0 && f32[0] < 3.4028234663852886e38) out.push(f32[0]);
  }
  return out;
}

/** Positive finite float64 values with random bit patterns, over every exponent. */
function randomFloat64s(n: number, seed: number): number[] {
  const rnd = random(seed);
  const out: number[] = [];
  while (out.length < n) {
    const hi = BigInt(Math.floor(rnd() * 0x7ff00000));
    const lo = BigInt(Math.floor(rnd() * 2 ** 32));
    u64[0] = (hi << 32n) | lo;
    if (f64[0] !== 0 && f64[0] < Number.MAX_VALUE) out.push(f64[0]);
  }
  return out;
}

const F32_MIN_SUBNORMAL = 2 ** -149;
const F32_MIN_NORMAL = 2 ** -126;
const F32_MAX = 3.4028234663852886e38;

describe('ulpDistance', () => {
  const float32Samples = [1, -1, Math.fround(0.1), -3.5, 2 ** 20, Math.fround(1e-40), -F32_MIN_NORMAL, Math.fround(123456.789), nextDown32(F32_MAX)];
  const float64Samples = [1, -1, 0.1, -3.5, 2 ** 60, 1e-310, -(2 ** -1022), 123456.789, nextDown64(Number.MAX_VALUE)];

  it('float32 neighbours are 1 apart; k steps are k apart', () => {
    for (const x of float32Samples) {
      expect(ulpDistance(x, nextUp32(x), 'float32')).toBe(1);
      expect(ulpDistance(nextDown32(x), x, 'float32')).toBe(1);
      let y = x;
      for (let k = 0; k < 37; k++) y = nextDown32(y);
      expect(ulpDistance(x, y, 'float32')).toBe(37);
      expect(ulpDistance(y, x, 'float32')).toBe(37);
    }
  });

  it('float32 neighbours made with Math.fround', () => {
    const a = Math.fround(1 + 2 ** -23);
    expect(ulpDistance(1, a, 'float32')).toBe(1);
    expect(ulpDistance(Math.fround(0.1), Math.fround(0.1 + 0.1 * 2 ** -23), 'float32')).toBe(1);
    // Across a power of two the spacing halves below it: 1 − 2⁻²⁴ is the float32 just below 1.
    expect(ulpDistance(1 - 2 ** -24, 1, 'float32')).toBe(1);
    expect(ulpDistance(1 - 2 ** -24, 1 + 2 ** -23, 'float32')).toBe(2);
  });

  it('float64 neighbours are 1 apart; k steps are k apart', () => {
    for (const x of float64Samples) {
      expect(ulpDistance(x, nextUp64(x), 'float64')).toBe(1);
      expect(ulpDistance(nextDown64(x), x, 'float64')).toBe(1);
      let y = x;
      for (let k = 0; k < 41; k++) y = nextDown64(y);
      expect(ulpDistance(x, y, 'float64')).toBe(41);
    }
    expect(ulpDistance(1, 1 + Number.EPSILON, 'float64')).toBe(1);
    expect(ulpDistance(1, 1 - Number.EPSILON / 2, 'float64')).toBe(1);
  });

  it('float32 and float64 count different grids', () => {
    // 1 and 1 + 2⁻²³ are float32 neighbours but 2²⁹ float64 steps apart.
    expect(ulpDistance(1, 1 + 2 ** -23, 'float64')).toBe(2 ** 29);
    expect(ulpDistance(1, 1 + 2 ** -23, 'float32')).toBe(1);
  });

  it('±0 are equal; across zero counts both sides', () => {
    expect(ulpDistance(0, -0, 'float32')).toBe(0);
    expect(ulpDistance(-0, 0, 'float64')).toBe(0);
    expect(ulpDistance(0, F32_MIN_SUBNORMAL, 'float32')).toBe(1);
    expect(ulpDistance(-0, F32_MIN_SUBNORMAL, 'float32')).toBe(1);
    expect(ulpDistance(-F32_MIN_SUBNORMAL, F32_MIN_SUBNORMAL, 'float32')).toBe(2);
    expect(ulpDistance(-Number.MIN_VALUE, Number.MIN_VALUE, 'float64')).toBe(2);
    expect(ulpDistance(-Number.MIN_VALUE, -0, 'float64')).toBe(1);
    // 1.0f is bit pattern 0x3f800000: that many float32 values from 0 to 1, so twice that from −1 to 1.
    expect(ulpDistance(-1, 1, 'float32')).toBe(2 * 0x3f800000);
    expect(ulpDistance(0, 1, 'float32')).toBe(0x3f800000);
    expect(ulpDistance(0, 1, 'float64')).toBe(Number(0x3ff0000000000000n));
  });

  it('NaN and infinities', () => {
    expect(ulpDistance(Number.NaN, Number.NaN, 'float32')).toBe(0);
    expect(ulpDistance(Number.NaN, Number.NaN, 'float64')).toBe(0);
    expect(ulpDistance(Number.NaN, 1, 'float64')).toBe(Infinity);
    expect(ulpDistance(0, Number.NaN, 'float32')).toBe(Infinity);
    expect(ulpDistance(Number.NaN, Infinity, 'float64')).toBe(Infinity);
    expect(ulpDistance(Infinity, Infinity, 'float32')).toBe(0);
    expect(ulpDistance(-Infinity, -Infinity, 'float64')).toBe(0);
    expect(ulpDistance(Infinity, -Infinity, 'float64')).toBe(Infinity);
    expect(ulpDistance(Infinity, F32_MAX, 'float32')).toBe(Infinity);
    expect(ulpDistance(Number.MAX_VALUE, Infinity, 'float64')).toBe(Infinity);
  });

  it('float32 distance of non-float32 numbers is measured after rounding them to float32', () => {
    expect(ulpDistance(0.1, Math.fround(0.1), 'float32')).toBe(0);
    expect(ulpDistance(0.1, nextUp32(Math.fround(0.1)), 'float32')).toBe(1);
  });
});

describe('ulpOf', () => {
  it('at powers of two and just below them', () => {
    expect(ulpOf(1, 'float32')).toBe(2 ** -23);
    expect(ulpOf(1, 'float64')).toBe(2 ** -52);
    expect(ulpOf(-1, 'float64')).toBe(2 ** -52);
    expect(ulpOf(2, 'float32')).toBe(2 ** -22);
    expect(ulpOf(nextDown32(2), 'float32')).toBe(2 ** -23);
    expect(ulpOf(nextDown32(1), 'float32')).toBe(2 ** -24);
    expect(ulpOf(nextDown64(1), 'float64')).toBe(2 ** -53);
    expect(ulpOf(1.5, 'float64')).toBe(2 ** -52);
    for (let e = -120; e <= 120; e += 7) {
      expect(ulpOf(2 ** e, 'float32')).toBe(2 ** (e - 23));
      expect(ulpOf(nextDown32(2 ** e), 'float32')).toBe(2 ** (e - 24));
      expect(ulpOf(-(2 ** e), 'float64')).toBe(2 ** (e - 52));
      expect(ulpOf(nextDown64(2 ** e), 'float64')).toBe(2 ** (e - 53));
    }
    for (let e = -1000; e <= 1023; e += 31) {
      expect(ulpOf(2 ** e, 'float64')).toBe(2 ** (e - 52));
      expect(ulpOf(nextDown64(2 ** e), 'float64')).toBe(2 ** (e - 53));
    }
  });

  it('in the subnormal range and at 0: the smallest subnormal', () => {
    expect(ulpOf(0, 'float32')).toBe(F32_MIN_SUBNORMAL);
    expect(ulpOf(-0, 'float64')).toBe(Number.MIN_VALUE);
    expect(ulpOf(F32_MIN_SUBNORMAL, 'float32')).toBe(F32_MIN_SUBNORMAL);
    expect(ulpOf(Math.fround(1e-40), 'float32')).toBe(F32_MIN_SUBNORMAL);
    expect(ulpOf(nextDown32(F32_MIN_NORMAL), 'float32')).toBe(F32_MIN_SUBNORMAL);
    expect(ulpOf(F32_MIN_NORMAL, 'float32')).toBe(F32_MIN_SUBNORMAL);
    expect(ulpOf(2 * F32_MIN_NORMAL, 'float32')).toBe(2 * F32_MIN_SUBNORMAL);
    expect(ulpOf(1e-310, 'float64')).toBe(Number.MIN_VALUE);
    expect(ulpOf(2 ** -1022, 'float64')).toBe(Number.MIN_VALUE);
    expect(ulpOf(2 ** -1021, 'float64')).toBe(2 * Number.MIN_VALUE);
  });

  it('float32 vs float64 at the same magnitude differ by 2²⁹', () => {
    for (const x of [1e-3, 0.7, 3, 1e6, 1e30]) expect(ulpOf(x, 'float32') / ulpOf(x, 'float64')).toBe(2 ** 29);
  });

  it('is the gap to the next value up, for random float32 values of every exponent', () => {
    for (const x of randomFloat32s(5000, 1)) {
      const gap = nextUp32(x) - x;
      if (ulpOf(x, 'float32') !== gap) expect.fail(`ulpOf(${x}, float32) = ${ulpOf(x, 'float32')}, expected ${gap}`);
      if (ulpOf(-x, 'float32') !== gap) expect.fail(`ulpOf(${-x}, float32) = ${ulpOf(-x, 'float32')}, expected ${gap}`);
    }
  });

  it('is the gap to the next value up, for random float64 values of every exponent', () => {
    for (const x of randomFloat64s(5000, 2)) {
      const gap = nextUp64(x) - x;
      if (ulpOf(x, 'float64') !== gap) expect.fail(`ulpOf(${x}, float64) = ${ulpOf(x, 'float64')}, expected ${gap}`);
    }
  });

  it('is Infinity for non-finite values', () => {
    expect(ulpOf(Infinity, 'float32')).toBe(Infinity);
    expect(ulpOf(-Infinity, 'float64')).toBe(Infinity);
  });
});

describe('scaledUlpDistance', () => {
  it('without a larger scale, is the distance in ulps of the expected value', () => {
    expect(scaledUlpDistance(1 + 3 * 2 ** -52, 1, 0, 'float64')).toBe(3);
    expect(scaledUlpDistance(nextUp32(1), 1, 0, 'float32')).toBe(1);
    expect(scaledUlpDistance(1, 1, 0, 'float32')).toBe(0);
  });

  it('measures the error in ulps of max(|scale|, |expected|)', () => {
    // 3 ulps of 1 are 0.75 ulps of 4.
    expect(scaledUlpDistance(1 + 3 * 2 ** -52, 1, 4, 'float64')).toBe(0.75);
    expect(scaledUlpDistance(1 + 3 * 2 ** -52, 1, -4, 'float64')).toBe(0.75);
    // A smaller scale does not shrink the unit below the expected value's own ulp.
    expect(scaledUlpDistance(1 + 3 * 2 ** -52, 1, 0.01, 'float64')).toBe(3);
    // An error of 1 ulp of 1 carried into a value near 0: 1 ulp at scale 1, ~2⁵¹ ulps without it.
    expect(scaledUlpDistance(2 ** -52 + 1e-20, 1e-20, 1, 'float64')).toBe(1);
    expect(scaledUlpDistance(2 ** -52 + 1e-20, 1e-20, 0, 'float64')).toBeGreaterThan(1e6);
    expect(scaledUlpDistance(2 ** -23, 0, 1, 'float32')).toBe(1);
  });

  it('NaN and infinities', () => {
    expect(scaledUlpDistance(Number.NaN, Number.NaN, 1, 'float64')).toBe(0);
    expect(scaledUlpDistance(Number.NaN, 1, 1, 'float64')).toBe(Infinity);
    expect(scaledUlpDistance(1, Number.NaN, 1, 'float32')).toBe(Infinity);
    expect(scaledUlpDistance(Infinity, Infinity, 1, 'float64')).toBe(0);
    expect(scaledUlpDistance(-Infinity, Infinity, 1, 'float64')).toBe(Infinity);
    expect(scaledUlpDistance(1e300, Infinity, 1, 'float64')).toBe(Infinity);
  });
});
