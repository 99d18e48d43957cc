import { SeededRandom } from '@rmsprop/app-kit';
import { describe, expect, it } from 'vitest';
import { BadlyScaledRegression, REGRESSION_DEFAULTS } from './badly-scaled-regression.js';

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** ½·mean (x_i·w − y_i)², written out from the phase's public arrays. */
function lossByHand(problem: BadlyScaledRegression, phase: number, w: ArrayLike<number>): number {
  const { inputs, targets } = problem.phases[phase];
  const d = problem.features;
  let sum = 0;
  for (let i = 0; i < problem.examples; i++) {
    let prediction = 0;
    for (let j = 0; j < d; j++) prediction += inputs[i * d + j] * w[j];
    sum += (prediction - targets[i]) ** 2;
  }
  return sum / (2 * problem.examples);
}

function randomWeights(d: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length: d }, () => random.uniform(-2, 2));
}

describe('BadlyScaledRegression', () => {
  it('uses the documented defaults', () => {
    const problem = new BadlyScaledRegression();
    expect(problem.features).toBe(8);
    expect(problem.examples).toBe(256);
    expect(problem.phases).toHaveLength(4);
    expect(problem.options).toEqual(REGRESSION_DEFAULTS);
    const p = problem.phases[0];
    expect(p.inputs).toHaveLength(256 * 8);
    expect(p.targets).toHaveLength(256);
    expect(p.trueWeights).toHaveLength(8);
  });

  it('computes the loss as ½·mean squared residual', () => {
    const problem = new BadlyScaledRegression({ features: 5, examples: 40, phases: 2, seed: 11 });
    for (const phase of [0, 1]) {
      const w = randomWeights(5, 100 + phase);
      const expected = lossByHand(problem, phase, w);
      expect(Math.abs(problem.loss(phase, w) - expected)).toBeLessThanOrEqual(1e-12 * expected);
      // At w = 0 the loss is ½·mean y².
      const y = problem.phases[phase].targets;
      expect(problem.loss(phase, new Float64Array(5))).toBeCloseTo(Array.from(y).reduce((s, v) => s + v * v, 0) / (2 * y.length), 12);
    }
  });

  it('returns a gradient that agrees with central finite differences of the loss', () => {
    const problem = new BadlyScaledRegression({ features: 6, examples: 64, phases: 2, seed: 3 });
    for (const phase of [0, 1]) {
      const w = randomWeights(6, 7 + phase);
      const gradient = new Float64Array(6);
      const loss = problem.lossAndGradient(phase, w, gradient);
      expect(loss).toBe(problem.loss(phase, w));
      const h = 1e-4;
      const scale = maxAbs(gradient);
      for (let j = 0; j < 6; j++) {
        const plus = Float64Array.from(w);
        const minus = Float64Array.from(w);
        plus[j] += h;
        minus[j] -= h;
        // The loss is quadratic, so the central difference is exact up to rounding.
        const fd = (problem.loss(phase, plus) - problem.loss(phase, minus)) / (2 * h);
        expect(Math.abs(gradient[j] - fd), `weight ${j}: ${gradient[j]} vs ${fd}`).toBeLessThanOrEqual(1e-7 * scale);
      }
    }
  });

  it('writes a float32 gradient buffer as the rounded float64 gradient', () => {
    const problem = new BadlyScaledRegression({ features: 4, examples: 20, phases: 1 });
    const w = randomWeights(4, 1);
    const g64 = new Float64Array(4);
    const g32 = new Float32Array(4);
    problem.lossAndGradient(0, w, g64);
    problem.lossAndGradient(0, w, g32);
    expect(Array.from(g32)).toEqual(Array.from(g64, Math.fround));
  });

  it('has the Hessian XᵀX/n: the change of the gradient along each axis', () => {
    const problem = new BadlyScaledRegression({ features: 4, examples: 30, phases: 1, seed: 2 });
    const h = problem.hessian(0);
    const w = randomWeights(4, 5);
    const g0 = new Float64Array(4);
    problem.lossAndGradient(0, w, g0);
    for (let j = 0; j < 4; j++) {
      const moved = Float64Array.from(w);
      moved[j] += 1;
      const g1 = new Float64Array(4);
      problem.lossAndGradient(0, moved, g1);
      for (let i = 0; i < 4; i++) expect(g1[i] - g0[i]).toBeCloseTo(h[i * 4 + j], 9);
    }
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(h[i * 4 + j]).toBe(h[j * 4 + i]);
  });

  it('finds the least-squares optimum: near-zero gradient, lower loss than the true weights and than any nudge', () => {
    const problem = new BadlyScaledRegression();
    for (let phase = 0; phase < problem.phases.length; phase++) {
      const { weights, loss } = problem.bestFit(phase);
      const g = new Float64Array(problem.features);
      expect(problem.lossAndGradient(phase, weights, g)).toBe(loss);
      // Gradients at w = 0 are of order scale²·|w| ≈ 100; at the optimum they vanish to rounding.
      expect(maxAbs(g)).toBeLessThan(1e-10);
      const truth = problem.phases[phase].trueWeights;
      expect(loss).toBeLessThanOrEqual(problem.loss(phase, truth));
      for (let j = 0; j < problem.features; j++) {
        const nudged = Float64Array.from(weights);
        nudged[j] += 1e-3;
        expect(problem.loss(phase, nudged)).toBeGreaterThan(loss);
      }
      // Noise 0.01 on 256 examples: the fit is close to the true weights, even for a feature of scale 0.1.
      for (let j = 0; j < problem.features; j++) expect(Math.abs(weights[j] - truth[j])).toBeLessThan(0.05);
      // And the best loss is about ½·noise² = 5e-5.
      expect(loss).toBeGreaterThan(1e-5);
      expect(loss).toBeLessThan(1e-4);
    }
  });

  it('recovers the true weights exactly without noise', () => {
    const problem = new BadlyScaledRegression({ noise: 0, examples: 64 });
    const { weights, loss } = problem.bestFit(1);
    const truth = problem.phases[1].trueWeights;
    for (let j = 0; j < problem.features; j++) expect(weights[j]).toBeCloseTo(truth[j], 8);
    expect(loss).toBeLessThan(1e-20);
  });

  it('spaces the feature scales evenly in log from smallestScale to largestScale and reverses them each phase', () => {
    const problem = new BadlyScaledRegression();
    const d = problem.features;
    const base = problem.phases[0].scales;
    expect(base[0]).toBeCloseTo(0.1, 14);
    expect(base[d - 1]).toBeCloseTo(10, 12);
    const ratio = Math.pow(100, 1 / (d - 1));
    for (let j = 1; j < d; j++) expect(base[j] / base[j - 1]).toBeCloseTo(ratio, 12);
    for (let k = 1; k < problem.phases.length; k++) {
      const scales = problem.phases[k].scales;
      for (let j = 0; j < d; j++) expect(scales[j]).toBe(k % 2 === 0 ? base[j] : base[d - 1 - j]);
    }
    const custom = new BadlyScaledRegression({ features: 3, smallestScale: 1, largestScale: 100, phases: 1 });
    expect(Array.from(custom.phases[0].scales).map((s) => Number(s.toPrecision(12)))).toEqual([1, 10, 100]);
    expect(Array.from(new BadlyScaledRegression({ features: 1, phases: 1 }).phases[0].scales)).toEqual([0.1]);
  });

  it('draws inputs whose spread matches the scales, so the curvatures span scale² = 0.01…100', () => {
    const problem = new BadlyScaledRegression();
    const d = problem.features;
    const n = problem.examples;
    for (let k = 0; k < problem.phases.length; k++) {
      const { inputs, scales } = problem.phases[k];
      const h = problem.hessian(k);
      for (let j = 0; j < d; j++) {
        let sumSquares = 0;
        for (let i = 0; i < n; i++) sumSquares += inputs[i * d + j] ** 2;
        const rms = Math.sqrt(sumSquares / n);
        // 256 standard normal draws: the RMS is within a few percent of 1 (std. error ≈ 4.4%).
        expect(rms / scales[j]).toBeGreaterThan(0.8);
        expect(rms / scales[j]).toBeLessThan(1.2);
        expect(h[j * d + j]).toBeCloseTo(sumSquares / n, 10);
      }
      const { min, max } = problem.curvatureRange(k);
      expect(min).toBeGreaterThan(0.005);
      expect(min).toBeLessThan(0.02);
      expect(max).toBeGreaterThan(50);
      expect(max).toBeLessThan(200);
    }
  });

  it('draws true weights of size 0.5…1.5 with either sign', () => {
    const problem = new BadlyScaledRegression({ phases: 8 });
    const all = problem.phases.flatMap((p) => Array.from(p.trueWeights));
    for (const w of all) {
      expect(Math.abs(w)).toBeGreaterThanOrEqual(0.5);
      expect(Math.abs(w)).toBeLessThan(1.5);
    }
    expect(all.some((w) => w > 0)).toBe(true);
    expect(all.some((w) => w < 0)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = new BadlyScaledRegression();
    const b = new BadlyScaledRegression({ seed: REGRESSION_DEFAULTS.seed });
    const c = new BadlyScaledRegression({ seed: 7 });
    for (let k = 0; k < a.phases.length; k++) {
      expect(b.phases[k].inputs).toEqual(a.phases[k].inputs);
      expect(b.phases[k].targets).toEqual(a.phases[k].targets);
      expect(b.phases[k].trueWeights).toEqual(a.phases[k].trueWeights);
      expect(c.phases[k].inputs).not.toEqual(a.phases[k].inputs);
      expect(c.phases[k].trueWeights).not.toEqual(a.phases[k].trueWeights);
    }
  });

  it('rejects bad options, phases and lengths', () => {
    expect(() => new BadlyScaledRegression({ features: 0 })).toThrow(/features/);
    expect(() => new BadlyScaledRegression({ examples: 2.5 })).toThrow(/examples/);
    expect(() => new BadlyScaledRegression({ phases: 0 })).toThrow(/phases/);
    expect(() => new BadlyScaledRegression({ smallestScale: 0 })).toThrow(/smallestScale/);
    expect(() => new BadlyScaledRegression({ smallestScale: 2, largestScale: 1 })).toThrow(RangeError);
    expect(() => new BadlyScaledRegression({ largestScale: Infinity })).toThrow(RangeError);
    expect(() => new BadlyScaledRegression({ noise: -1 })).toThrow(/noise/);
    const problem = new BadlyScaledRegression({ features: 3, examples: 5, phases: 2 });
    expect(() => problem.loss(2, [0, 0, 0])).toThrow(/phase 2/);
    expect(() => problem.loss(0, [0, 0])).toThrow(/length 2/);
    expect(() => problem.lossAndGradient(0, [0, 0, 0], new Float64Array(4))).toThrow(/length 4/);
  });
});
