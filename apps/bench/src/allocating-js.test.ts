import { describe, expect, it } from 'vitest';
import { maxFloat32Ulps, normwiseFloat32Ulps, referenceFrom, type StepState } from './__fixtures__/reference-one-step.js';
import { VARIANTS, type BenchCase } from './bench-case.js';
import { fillBenchValues } from './bench-data.js';
import { createAllocatingState, createAllocatingRun, allocatingHyper, allocatingStep } from './allocating-js.js';

/**
 * That code stores every intermediate in a Float32Array (v, m, the denominator d, b) and groups η·g/d
 * as (η·g)/d, so its float32 numbers differ from the float32-rounded reference by those roundings. Bounds
 * checked at each step, from the same float32 state: θ, v and m within 2 float32 ulps, element by element;
 * b (which can cancel to near zero when g changes sign) within 4 float32 ulps of its largest element.
 */
const FLOAT32_ULPS = 2;
const MOMENTUM_NORMWISE_ULPS = 4;

describe('allocating-js', () => {
  for (const variant of VARIANTS) {
    it(`${variant}, float32: each step is within the stated float32 bounds of the reference from the same state`, () => {
      const c: BenchCase = { variant, dtype: 'float32', n: 257, layout: 'single' };
      const s = createAllocatingState(c, c.n, 0);
      for (let step = 0; step < 6; step++) {
        fillBenchValues(s.grads, 3000 + step);
        const want = referenceFrom(variant, s, s.grads);
        const before = s.params;
        allocatingStep(s, allocatingHyper(c));
        expect(s.params).not.toBe(before); // a new array every step: the point of this peer
        expect(s.params).toBeInstanceOf(Float32Array);
        expect(maxFloat32Ulps(s.params, want.params)).toBeLessThanOrEqual(FLOAT32_ULPS);
        expect(maxFloat32Ulps(s.meanSquare, want.meanSquare)).toBeLessThanOrEqual(FLOAT32_ULPS);
        if (s.meanGrad !== null) expect(maxFloat32Ulps(s.meanGrad, want.meanGrad!)).toBeLessThanOrEqual(FLOAT32_ULPS);
        if (s.momentum !== null) expect(normwiseFloat32Ulps(s.momentum, want.momentum!)).toBeLessThanOrEqual(MOMENTUM_NORMWISE_ULPS);
      }
    });

    it(`${variant}, float64: within 1e-15 relative of the reference over 6 steps`, () => {
      const c: BenchCase = { variant, dtype: 'float64', n: 129, layout: 'single' };
      const s = createAllocatingState(c, c.n, 0);
      let state: StepState = { params: Float64Array.from(s.params), meanSquare: Float64Array.from(s.meanSquare), meanGrad: s.meanGrad && Float64Array.from(s.meanGrad), momentum: s.momentum && Float64Array.from(s.momentum) };
      for (let step = 0; step < 6; step++) {
        fillBenchValues(s.grads, 4000 + step);
        state = referenceFrom(variant, state, s.grads);
        allocatingStep(s, allocatingHyper(c));
      }
      s.params.forEach((x, i) => expect(Math.abs(x - state.params[i])).toBeLessThanOrEqual(1e-15 * Math.abs(state.params[i])));
    });
  }

  it('runs the layout as 1,000 parameters', () => {
    const run = createAllocatingRun({ variant: 'plain', dtype: 'float32', n: 1e6, layout: '1000x1000' });
    expect(run.parts).toHaveLength(1000);
    const before = run.parts[999].params;
    run.step();
    expect(run.parts[999].params).not.toBe(before);
  });
});
