import { describe, expect, it } from 'vitest';
import { Sgd } from './sgd.js';

// θ ← θ − η·g. The numbers are chosen so every product and difference is exact in binary floating point,
// so the hand-worked results are compared with toBe.
describe('Sgd', () => {
  it('takes θ − η·g per weight, one step after another', () => {
    const sgd = new Sgd([1, -2, 0.5], { learningRate: 0.25 });
    sgd.gradient.set([2, -4, 0.5]);
    sgd.step();
    // 1 − 0.25·2 = 0.5;  −2 − 0.25·(−4) = −1;  0.5 − 0.25·0.5 = 0.375
    expect(Array.from(sgd.params)).toEqual([0.5, -1, 0.375]);
    sgd.gradient.set([1, 1, -1]);
    sgd.step();
    // 0.5 − 0.25 = 0.25;  −1 − 0.25 = −1.25;  0.375 + 0.25 = 0.625
    expect(Array.from(sgd.params)).toEqual([0.25, -1.25, 0.625]);
  });

  it('copies the initial weights and works in float64', () => {
    const initial = [1, 2];
    const sgd = new Sgd(initial, { learningRate: 0.1 });
    expect(sgd.params).toBeInstanceOf(Float64Array);
    expect(sgd.gradient).toBeInstanceOf(Float64Array);
    expect(sgd.gradient.length).toBe(2);
    sgd.gradient.set([1, 1]);
    sgd.step();
    expect(initial).toEqual([1, 2]);
    // 0.1 is not exact in binary, but 1 − 0.1 is still the float64 nearest 0.9 (a value float32 would miss).
    expect(sgd.params[0]).toBe(0.9);
  });

  it('leaves the weights alone when η = 0 and reports η for every weight', () => {
    const sgd = new Sgd([3, 4, 5], { learningRate: 0 });
    sgd.gradient.set([10, 20, 30]);
    sgd.step();
    expect(Array.from(sgd.params)).toEqual([3, 4, 5]);
    expect(Array.from(new Sgd([0, 0, 0], { learningRate: 0.03 }).effectiveLearningRates())).toEqual([0.03, 0.03, 0.03]);
    expect(sgd.name).toBe('SGD');
  });

  it('rejects a negative or non-finite learning rate', () => {
    expect(() => new Sgd([0], { learningRate: -0.1 })).toThrow(RangeError);
    expect(() => new Sgd([0], { learningRate: Number.NaN })).toThrow(/learningRate/);
    expect(() => new Sgd([0], { learningRate: Infinity })).toThrow(RangeError);
  });
});
