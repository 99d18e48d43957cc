import { describe, expect, it } from 'vitest';
import { SeededRandom, seededRandom } from './seeded-random.js';

const draws = (random: SeededRandom, n: number, draw: (r: SeededRandom) => number): number[] => Array.from({ length: n }, () => draw(random));

describe('SeededRandom', () => {
  it('gives the same sequence for the same seed, and a different one for another seed', () => {
    for (const draw of [(r: SeededRandom) => r.next(), (r: SeededRandom) => r.normal(), (r: SeededRandom) => r.uniform(-3, 5)]) {
      expect(draws(new SeededRandom(42), 100, draw)).toEqual(draws(new SeededRandom(42), 100, draw));
      expect(draws(new SeededRandom(42), 100, draw)).not.toEqual(draws(new SeededRandom(43), 100, draw));
    }
    // Seeds are taken modulo 2³².
    expect(draws(new SeededRandom(-1), 5, (r) => r.next())).toEqual(draws(new SeededRandom(2 ** 32 - 1), 5, (r) => r.next()));
  });

  it('draws next() uniformly in [0, 1)', () => {
    const values = draws(new SeededRandom(1), 20_000, (r) => r.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    // Each tenth of the interval gets about a tenth of the draws.
    const bins = new Array<number>(10).fill(0);
    for (const v of values) bins[Math.floor(v * 10)]++;
    for (const count of bins) expect(Math.abs(count - 2000)).toBeLessThan(200);
    expect(new Set(values).size).toBeGreaterThan(19_900);
  });

  it('draws uniform(low, high) in [low, high) and sign() as ±1', () => {
    const random = new SeededRandom(9);
    const values = draws(random, 5000, (r) => r.uniform(0.5, 1.5));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0.5);
    expect(Math.min(...values)).toBeLessThan(0.51);
    expect(Math.max(...values)).toBeLessThan(1.5);
    expect(Math.max(...values)).toBeGreaterThan(1.49);
    const signs = draws(random, 10_000, (r) => r.sign());
    expect(new Set(signs)).toEqual(new Set([1, -1]));
    const plus = signs.filter((s) => s === 1).length;
    expect(Math.abs(plus - 5000)).toBeLessThan(300);
  });

  it('draws normal() with mean 0 and variance 1', () => {
    const values = draws(new SeededRandom(5), 40_000, (r) => r.normal());
    expect(values.every(Number.isFinite)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    // About 68.3% within one standard deviation, 95.4% within two.
    expect(Math.abs(values.filter((v) => Math.abs(v) < 1).length / values.length - 0.6827)).toBeLessThan(0.01);
    expect(Math.abs(values.filter((v) => Math.abs(v) < 2).length / values.length - 0.9545)).toBeLessThan(0.005);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => new SeededRandom(1.5)).toThrow(RangeError);
    expect(() => new SeededRandom(Number.NaN)).toThrow(/seed/);
  });
});

describe('seededRandom', () => {
  it('draws the same sequence as SeededRandom.next()', () => {
    const random = seededRandom(42);
    expect(Array.from({ length: 100 }, () => random())).toEqual(draws(new SeededRandom(42), 100, (r) => r.next()));
  });

  it('is mulberry32: the first draws of seed 1 are pinned', () => {
    const random = seededRandom(1);
    expect([random(), random(), random()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => seededRandom(0.5)).toThrow(RangeError);
  });
});
