import { describe, expect, it } from 'vitest';
import { referenceFrom, maxFloat32Ulps, type StepState } from './__fixtures__/reference-one-step.js';
import { VARIANTS, type BenchCase } from './bench-case.js';
import { fillBenchValues } from './bench-data.js';
import { benchHyper, createJsLoopRun, createLoopBuffers, jsLoopStep } from './js-loop.js';

const STEPS = 6;

describe('js-loop', () => {
  for (const variant of VARIANTS) {
    it(`${variant}, float32: every step equals the float64 reference from the same float32 state, rounded to float32 (0 ulps)`, () => {
      const c: BenchCase = { variant, dtype: 'float32', n: 257, layout: 'single' };
      const b = createLoopBuffers(c, c.n, 0);
      for (let step = 0; step < STEPS; step++) {
        fillBenchValues(b.grads, 1000 + step); // a new gradient each step
        const want = referenceFrom(variant, b, b.grads);
        jsLoopStep(b, benchHyper(c));
        expect(maxFloat32Ulps(b.params, want.params)).toBe(0);
        expect(maxFloat32Ulps(b.meanSquare, want.meanSquare)).toBe(0);
        if (b.meanGrad !== null) expect(maxFloat32Ulps(b.meanGrad, want.meanGrad!)).toBe(0);
        if (b.momentum !== null) expect(maxFloat32Ulps(b.momentum, want.momentum!)).toBe(0);
      }
    });

    it(`${variant}, float64: bit-identical to the reference over ${STEPS} steps`, () => {
      const c: BenchCase = { variant, dtype: 'float64', n: 129, layout: 'single' };
      const b = createLoopBuffers(c, c.n, 0);
      let state: StepState = { params: Float64Array.from(b.params), meanSquare: Float64Array.from(b.meanSquare), meanGrad: b.meanGrad && Float64Array.from(b.meanGrad), momentum: b.momentum && Float64Array.from(b.momentum) };
      for (let step = 0; step < STEPS; step++) {
        fillBenchValues(b.grads, 2000 + step);
        state = referenceFrom(variant, state, b.grads);
        jsLoopStep(b, benchHyper(c));
      }
      expect(Array.from(b.params)).toEqual(Array.from(state.params));
      expect(Array.from(b.meanSquare)).toEqual(Array.from(state.meanSquare));
      if (b.momentum !== null) expect(Array.from(b.momentum)).toEqual(Array.from(state.momentum!));
      if (b.meanGrad !== null) expect(Array.from(b.meanGrad)).toEqual(Array.from(state.meanGrad!));
    });
  }

  it('runs the layout as 1,000 parameters with per-dtype copies of the same loops, giving the same numbers', () => {
    const c: BenchCase = { variant: 'centered+momentum', dtype: 'float32', n: 1e6, layout: '1000x1000' };
    const run = createJsLoopRun(c);
    expect(run.parts).toHaveLength(1000);
    const check = createLoopBuffers(c, 1000, 7);
    expect(run.parts[7].params).toEqual(check.params);
    run.step();
    run.step();
    jsLoopStep(check, benchHyper(c));
    jsLoopStep(check, benchHyper(c));
    expect(run.parts[7].params).toEqual(check.params);
    expect(run.parts[7].momentum).toEqual(check.momentum);
  });
});
