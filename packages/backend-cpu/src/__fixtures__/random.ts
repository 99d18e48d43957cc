/**
 * A small seeded PRNG for tests: mulberry32 (32-bit state, period 2³²), plus the draws the tests need.
 * Same seed, same sequence, on every platform: failures reproduce from the seed in the test name.
 */

/** mulberry32: a function returning uniform doubles in [0, 1) (32 random bits each). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws built on {@link mulberry32}. */
export class Rng {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.#next();
  }

  /** Log-uniform in [lo, hi) (lo > 0): every decade equally likely. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.uniform(Math.log(lo), Math.log(hi)));
  }

  /** An integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.#next() * (hi - lo + 1));
  }

  /** True with probability p (default ½). */
  bool(p = 0.5): boolean {
    return this.#next() < p;
  }

  /** One element of `items`, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)];
  }

  /** A standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.#next(); // (0, 1]
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.#next());
  }

  /** A Float64Array of `length` normal draws times `scale`. */
  normals64(length: number, scale = 1): Float64Array {
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) out[i] = scale * this.normal();
    return out;
  }

  /** A Float32Array of `length` normal draws times `scale`, each rounded to float32. */
  normals32(length: number, scale = 1): Float32Array {
    const out = new Float32Array(length);
    for (let i = 0; i < length; i++) out[i] = scale * this.normal();
    return out;
  }
}
