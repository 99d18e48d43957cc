import { describe, expect, it } from 'vitest';
import { AdaGrad } from './adagrad.js';

/**
 * AdaGrad as the file implements it: s ← s + g², θ ← θ − η·g/(√s + ε), with ε OUTSIDE the square root
 * (as in the spec's RMSProp default and PyTorch's Adagrad). The tests use ε = 1, large enough that the other
 * placement, √(s + ε), would give a visibly different result.
 */
describe('AdaGrad', () => {
  it('divides by √(sum of squared gradients) + ε, with ε outside the square root', () => {
    const ada = new AdaGrad([1, 0], { learningRate: 2, epsilon: 1 });
    ada.gradient.set([3, -6]);
    ada.step();
    // s = [9, 36];  θ0 = 1 − 2·3/(3 + 1) = −0.5;  θ1 = 0 − 2·(−6)/(6 + 1) = 12/7
    expect(Array.from(ada.sumOfSquares)).toEqual([9, 36]);
    expect(ada.params[0]).toBe(-0.5);
    expect(ada.params[1]).toBeCloseTo(12 / 7, 15);
    // ε inside the square root would have given 1 − 6/√10 ≈ −0.897 instead.
    expect(ada.params[0]).not.toBeCloseTo(1 - 6 / Math.sqrt(10), 3);

    ada.gradient.set([4, 8]);
    ada.step();
    // s = [9 + 16, 36 + 64] = [25, 100];  θ0 = −0.5 − 2·4/(5 + 1) = −11/6;  θ1 = 12/7 − 2·8/(10 + 1) = 12/7 − 16/11
    expect(Array.from(ada.sumOfSquares)).toEqual([25, 100]);
    expect(ada.params[0]).toBeCloseTo(-11 / 6, 15);
    expect(ada.params[1]).toBeCloseTo(12 / 7 - 16 / 11, 15);
  });

  it('uses ε = 1e-8 by default', () => {
    const ada = new AdaGrad([1], { learningRate: 0.5 });
    expect(ada.epsilon).toBe(1e-8);
    ada.gradient.set([4]);
    ada.step();
    // 1 − 0.5·4/(4 + 1e-8): just above 0.5
    expect(ada.params[0]).toBeCloseTo(1 - 2 / (4 + 1e-8), 15);
    expect(ada.params[0]).toBeGreaterThan(0.5);
  });

  it('stays finite on a zero gradient from a zero sum (ε keeps 0/0 away)', () => {
    const ada = new AdaGrad([1, 2], { learningRate: 1 });
    ada.step();
    expect(Array.from(ada.params)).toEqual([1, 2]);
  });

  it('reports η/√s as the effective learning rate, which can only shrink', () => {
    const ada = new AdaGrad([0, 0], { learningRate: 2, epsilon: 1 });
    // Before any gradient the rate (ignoring ε) is unbounded.
    expect(Array.from(ada.effectiveLearningRates())).toEqual([Infinity, Infinity]);
    ada.gradient.set([3, 4]);
    ada.step();
    expect(Array.from(ada.effectiveLearningRates())).toEqual([2 / 3, 2 / 4]);
    let previous = ada.effectiveLearningRates();
    for (const g of [[10, 0.001], [0.001, 0.001], [0, 5]]) {
      ada.gradient.set(g);
      ada.step();
      const now = ada.effectiveLearningRates();
      for (let j = 0; j < 2; j++) expect(now[j]).toBeLessThanOrEqual(previous[j]);
      previous = now;
    }
    // s0 = 9 + 100 + 1e-6 + 0;  the rate is η/√s0.
    expect(previous[0]).toBeCloseTo(2 / Math.sqrt(109 + 1e-6), 15);
  });

  it('rejects bad options', () => {
    expect(() => new AdaGrad([0], { learningRate: -1 })).toThrow(/learningRate/);
    expect(() => new AdaGrad([0], { learningRate: 1, epsilon: 0 })).toThrow(/epsilon/);
    expect(() => new AdaGrad([0], { learningRate: 1, epsilon: Number.NaN })).toThrow(RangeError);
  });
});
