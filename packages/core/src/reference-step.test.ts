/**
 * The float64 reference against hand-worked values, one test (or more) per switch of the spec.
 *
 * Expected values are derived here from the formula, never copied from the implementation. Most cases use
 * numbers that keep every operation exact in binary floating point (ρ = 0.5 or 0.75, ε = 2, g = 2 or 4,
 * η = 0.5 …), so they are asserted with `toBe` (which also tells +0 from −0). Where a square root of a
 * non-square or a decimal constant such as 0.9 is involved, the expected value is written by an
 * algebraically different route (closed forms, rationalised fractions) and compared with a relative
 * error ≤ 1e-15 (a few ulp: the two routes round differently, and a float64 ulp is ≈ 1.1e-16 relative).
 */
import { describe, expect, it } from 'vitest';
import { createReferenceState, referenceStep, type ReferenceState } from './reference-step.js';
import type { RMSPropConfig } from './rmsprop-config.js';
import { resolveConfig } from './validate-config.js';

/** |actual − expected| ≤ tol·|expected| (or ≤ tol when expected is 0). */
function expectRel(actual: number, expected: number, tol = 1e-15): void {
  const scale = expected === 0 ? 1 : Math.abs(expected);
  const error = Math.abs(actual - expected) / scale;
  expect(error, `actual ${actual}, expected ${expected}, relative error ${error}`).toBeLessThanOrEqual(tol);
}

interface Run {
  config: Readonly<RMSPropConfig>;
  params: Float64Array;
  state: ReferenceState;
  /** θ after each step. */
  history: number[][];
}

/** Run `grads.length` steps from `theta0`; `learningRates[i]` (if given) is η for step i + 1. */
function run(overrides: Partial<RMSPropConfig>, theta0: number[], grads: number[][], learningRates?: number[]): Run {
  const config = resolveConfig(overrides);
  const params = Float64Array.from(theta0);
  const state = createReferenceState(config, params.length);
  const history: number[][] = [];
  grads.forEach((g, i) => {
    if (learningRates === undefined) referenceStep(config, params, g, state);
    else referenceStep(config, params, g, state, learningRates[i]);
    history.push(Array.from(params));
  });
  return { config, params, state, history };
}

/**
 * The "exact" setting used by many tests: ρ = 0.75, ε = 2 (outside), η = 0.5. With g = 4 from v = 0:
 * v = 0.25·16 = 4, √v = 2, d = 2 + 2 = 4, u = 4/4 = 1, θ ← θ − 0.5. Every operation is exact.
 */
const EXACT: Partial<RMSPropConfig> = { rho: 0.75, epsilon: 2, learningRate: 0.5 };

describe('createReferenceState', () => {
  it('allocates v at initialMeanSquare, m only when centered, b only with momentum, t = 0', () => {
    const plain = createReferenceState(resolveConfig(), 3);
    expect(Array.from(plain.meanSquare)).toEqual([0, 0, 0]);
    expect(plain.meanSquare).toBeInstanceOf(Float64Array);
    expect(plain.meanGrad).toBeNull();
    expect(plain.momentum).toBeNull();
    expect(plain.step).toBe(0);

    const full = createReferenceState(resolveConfig({ centered: true, momentum: 0.5, initialMeanSquare: 1 }), 2);
    expect(Array.from(full.meanSquare)).toEqual([1, 1]);
    expect(Array.from(full.meanGrad!)).toEqual([0, 0]);
    expect(Array.from(full.momentum!)).toEqual([0, 0]);
  });

  it('handles length 0', () => {
    const state = createReferenceState(resolveConfig({ centered: true, momentum: 0.5 }), 0);
    expect(state.meanSquare.length).toBe(0);
    const params = new Float64Array(0);
    referenceStep(resolveConfig({ centered: true, momentum: 0.5 }), params, [], state);
    expect(state.step).toBe(1);
  });
});

describe('referenceStep: the spec defaults (η = 0.001, ρ = 0.9, ε = 1e-8 outside)', () => {
  it('one step: v = 0.1·g², θ ← θ − η·g/(√v + ε), per element', () => {
    const theta0 = [1, -2, 0.5];
    const g = [2, -1, 0];
    const r = run({}, theta0, [g]);
    for (let i = 0; i < 3; i++) {
      // v = (1 − 0.9)·g² = g²/10; compare against g²/10 written as a division (a different rounding).
      expectRel(r.state.meanSquare[i], (g[i] * g[i]) / 10);
      // √v = |g|·√(1/10); u = g / (|g|/√10 + ε) — a different route from g/(√(0.1·g²) + ε).
      const u = g[i] === 0 ? 0 : g[i] / (Math.abs(g[i]) / Math.sqrt(10) + 1e-8);
      expectRel(r.params[i], theta0[i] - 0.001 * u);
    }
    // A zero gradient leaves θ and v exactly as they were.
    expect(r.params[2]).toBe(0.5);
    expect(r.state.meanSquare[2]).toBe(0);
    expect(r.state.step).toBe(1);
  });

  it('the step is about η·sign(g)/√(1 − ρ) on the first step, whatever the scale of g', () => {
    // u = g/(|g|·√0.1 + ε) ≈ sign(g)·√10 for |g| ≫ ε: the scale invariance RMSProp is known for.
    for (const g of [1e-3, 1, 1e3]) {
      const r = run({}, [0], [[g]]);
      // ε/(|g|·√0.1) ≤ 3.2e-5 relative, i.e. ≤ 1e-4 absolute on √10: 3 decimals.
      expect(-r.params[0] / 0.001).toBeCloseTo(Math.sqrt(10), 3);
    }
  });

  it('constant gradient, 3 steps: v_t = (1 − 0.9ᵗ)·g² (closed form)', () => {
    const g = 3;
    const r = run({}, [0], [[g], [g], [g]]);
    let theta = 0;
    for (let t = 1; t <= 3; t++) {
      const v = (1 - Math.pow(0.9, t)) * g * g;
      theta -= (0.001 * g) / (Math.sqrt(v) + 1e-8);
      // θ accumulates three rounded terms: allow a little more than one step's error.
      expectRel(r.history[t - 1][0], theta, 4e-15);
    }
    expectRel(r.state.meanSquare[0], (1 - 0.729) * 9);
    expect(r.state.step).toBe(3);
  });

  it('uses the learningRate argument instead of config.learningRate when given', () => {
    const withConfig = run(EXACT, [1], [[4]]);
    expect(withConfig.params[0]).toBe(0.5); // 1 − 0.5·1
    const withArg = run(EXACT, [1], [[4]], [0.25]);
    expect(withArg.params[0]).toBe(0.75); // 1 − 0.25·1
    const zero = run(EXACT, [1], [[4]], [0]);
    expect(zero.params[0]).toBe(1);
    expect(zero.state.meanSquare[0]).toBe(4); // state still advances with η = 0
  });

  it('exact setting: v = 4, d = 4, u = 1', () => {
    const r = run(EXACT, [1, 3], [[4, -4]]);
    expect(Array.from(r.state.meanSquare)).toEqual([4, 4]);
    expect(Array.from(r.params)).toEqual([0.5, 3.5]);
  });
});

describe('maximize', () => {
  it('negates the gradient before anything else', () => {
    const up = run({ ...EXACT, maximize: true }, [1, 1], [[4, -4]]);
    expect(Array.from(up.params)).toEqual([1.5, 0.5]); // θ ← θ + η·1 and θ − η·1
    expect(Array.from(up.state.meanSquare)).toEqual([4, 4]); // g² is unchanged by the sign
    const down = run(EXACT, [1, 1], [[4, -4]]);
    expect(Array.from(down.params)).toEqual([0.5, 1.5]);
  });

  it('negates before coupled weight decay: g ← −g + wd·θ', () => {
    // θ = 2, g = −2, wd = 1: −(−2) + 1·2 = 4 → u = 1 → θ = 2 − 0.5 = 1.5.
    const r = run({ ...EXACT, maximize: true, weightDecay: 1 }, [2], [[-2]]);
    expect(r.params[0]).toBe(1.5);
    expect(r.state.meanSquare[0]).toBe(4);
  });

  it('in centered mode m accumulates −g', () => {
    // ρ = 0.5, g = 2, maximize: g' = −2, v = 2, m = −1, s = 2 − 1 = 1, ε = 1: d = 2, u = −1, θ = 1 + 0.5.
    const r = run({ rho: 0.5, epsilon: 1, learningRate: 0.5, centered: true, maximize: true }, [1], [[2]]);
    expect(r.state.meanGrad![0]).toBe(-1);
    expect(r.params[0]).toBe(1.5);
  });
});

describe('weight decay', () => {
  it('coupled (L2): g ← g + wd·θ enters v and u', () => {
    // θ = 2, g = 2, wd = 1: g' = 4 → v = 4, d = 4, u = 1, θ = 2 − 0.5·1 = 1.5.
    const r = run({ ...EXACT, weightDecay: 1 }, [2], [[2]]);
    expect(r.state.meanSquare[0]).toBe(4);
    expect(r.params[0]).toBe(1.5);
    // Without weight decay: v = 0.25·4 = 1, d = 1 + 2 = 3, u = 2/3.
    const plain = run(EXACT, [2], [[2]]);
    expect(plain.state.meanSquare[0]).toBe(1);
    expectRel(plain.params[0], 2 - 1 / 3);
  });

  it('coupled with a zero gradient still moves θ towards 0', () => {
    // θ = 8, g = 0, wd = 0.5: g' = 4 → u = 1, θ = 7.5.
    const r = run({ ...EXACT, weightDecay: 0.5 }, [8], [[0]]);
    expect(r.params[0]).toBe(7.5);
  });

  it('decoupled: θ ← θ − η·wd·θ before the update, v sees the raw gradient', () => {
    // θ = 2, wd = 0.5, η = 0.5: θ' = 2 − 0.5·0.5·2 = 1.5; g = 4 → u = 1 → θ = 1.5 − 0.5 = 1.
    const r = run({ ...EXACT, weightDecay: 0.5, decoupledWeightDecay: true }, [2], [[4]]);
    expect(r.params[0]).toBe(1);
    expect(r.state.meanSquare[0]).toBe(4); // not (4 + 0.5·2)²·0.25
    // Had the decay been applied after the update it would be 1.5 − 0.5·0.5·1.5 = 1.125.
    expect(r.params[0]).not.toBe(1.125);
  });

  it('decoupled decay scales with this step\'s η (the learningRate argument)', () => {
    // η = 0.25: θ' = 2 − 0.25·0.5·2 = 1.75, then θ = 1.75 − 0.25·1 = 1.5.
    const r = run({ ...EXACT, weightDecay: 0.5, decoupledWeightDecay: true }, [2], [[4]], [0.25]);
    expect(r.params[0]).toBe(1.5);
    // η = 0: no decay at all (coupled decay would still have changed v).
    const frozen = run({ ...EXACT, weightDecay: 0.5, decoupledWeightDecay: true }, [2], [[4]], [0]);
    expect(frozen.params[0]).toBe(2);
    expect(frozen.state.meanSquare[0]).toBe(4);
  });

  it('decoupledWeightDecay without weightDecay changes nothing', () => {
    const a = run({ ...EXACT, decoupledWeightDecay: true }, [2], [[4]]);
    expect(a.params[0]).toBe(1.5);
  });
});

describe('centered', () => {
  it('divides by √(v − m²) + ε', () => {
    // ρ = 0.5, g = 2: v = 2, m = 1, s = 2 − 1 = 1, ε = 1 outside: d = 2, u = 1, θ = 1 − 0.5 = 0.5.
    const r = run({ rho: 0.5, epsilon: 1, learningRate: 0.5, centered: true }, [1], [[2]]);
    expect(r.state.meanSquare[0]).toBe(2);
    expect(r.state.meanGrad![0]).toBe(1);
    expect(r.params[0]).toBe(0.5);
    // Not centered: d = √2 + 1, u = 2/(√2 + 1) = 2(√2 − 1) (rationalised).
    const plain = run({ rho: 0.5, epsilon: 1, learningRate: 0.5 }, [1], [[2]]);
    expectRel(plain.params[0], 1 - 0.5 * 2 * (Math.SQRT2 - 1));
  });

  it('two steps with different gradients', () => {
    // ρ = 0.5, g = 2 then 4: v2 = 0.5·2 + 0.5·16 = 9, m2 = 0.5·1 + 0.5·4 = 2.5, s = 9 − 6.25 = 2.75 = 11/4.
    const r = run({ rho: 0.5, epsilon: 1, learningRate: 0.5, centered: true }, [1], [[2], [4]]);
    expect(r.state.meanSquare[0]).toBe(9);
    expect(r.state.meanGrad![0]).toBe(2.5);
    // θ2 = 0.5 − 0.5·4/(√11/2 + 1) = 0.5 − 4/(√11 + 2)
    expectRel(r.params[0], 0.5 - 4 / (Math.sqrt(11) + 2));
  });

  it('clamp: constant gradient with ρ = 0 gives v = g², m = g, s = max(0, 0) = 0, a finite step', () => {
    // Outside: d = 0 + ε = 1 → u = g = 3 → θ = 1 − 0.5·3 = −0.5.
    const outside = run({ rho: 0, epsilon: 1, learningRate: 0.5, centered: true }, [1], [[3]]);
    expect(outside.state.meanSquare[0]).toBe(9);
    expect(outside.state.meanGrad![0]).toBe(3);
    expect(outside.params[0]).toBe(-0.5);
    // Inside: d = √(0 + 4) = 2 → u = 1.5 → θ = 1 − 0.75 = 0.25.
    const inside = run({ rho: 0, epsilon: 4, learningRate: 0.5, centered: true, epsilonPlacement: 'inside' }, [1], [[3]]);
    expect(inside.params[0]).toBe(0.25);
  });

  it('clamp: where rounding makes v̂ − m̂² negative, s is 0 and θ stays finite (no NaN)', () => {
    // With bias correction and a constant gradient, v̂ = g² and m̂ = g in exact arithmetic, so v̂ − m̂² = 0;
    // in floating point it can round below zero. Find such a case by the formula itself, then check the
    // reference clamps it: u = g/(0 + ε) exactly.
    const rho = 0.9;
    let found: { g: number; t: number } | undefined;
    search: for (let k = 1; k < 2000; k++) {
      const g = 1 + k / 1024 + k * 1e-7;
      let v = 0;
      let m = 0;
      for (let t = 1; t <= 3; t++) {
        v = rho * v + (1 - rho) * g * g;
        m = rho * m + (1 - rho) * g;
        const c = 1 - Math.pow(rho, t);
        if (v / c - (m / c) * (m / c) < 0) {
          found = { g, t };
          break search;
        }
      }
    }
    expect(found, 'a gradient where v̂ − m̂² rounds below 0').toBeDefined();
    const { g, t } = found!;
    const eps = 0.25;
    const r = run({ rho, epsilon: eps, learningRate: 1, centered: true, biasCorrection: true }, [0], Array.from({ length: t }, () => [g]));
    // Step t alone moves θ by exactly −g/ε (s clamped to 0); the earlier steps are finite too.
    for (const row of r.history) expect(Number.isFinite(row[0])).toBe(true);
    const before = t === 1 ? 0 : r.history[t - 2][0];
    expect(r.params[0]).toBe(before - g / eps);
  });

  it('a zero gradient from a fresh state leaves θ unchanged (no NaN, unlike tfjs-core 4.22)', () => {
    for (const epsilonPlacement of ['outside', 'inside'] as const) {
      const r = run({ centered: true, epsilonPlacement, epsilon: 1e-7, learningRate: 0.01 }, [1, 2], [[0, 0]]);
      expect(Array.from(r.params)).toEqual([1, 2]);
      expect(Array.from(r.state.meanGrad!)).toEqual([0, 0]);
    }
  });
});

describe('bias correction', () => {
  it('constant gradient: v̂ = (1 − ρᵗ)g²/(1 − ρᵗ) = g² at every t, so u = g/(|g| + ε)', () => {
    // ρ = 0.5, g = 2, ε = 2, η = 0.5: u = 2/4 = 0.5 at every step, θ_t = 1 − 0.25·t. All exact.
    const r = run({ rho: 0.5, epsilon: 2, learningRate: 0.5, biasCorrection: true }, [1], [[2], [2], [2]]);
    expect(r.history.map((h) => h[0])).toEqual([0.75, 0.5, 0.25]);
    // The stored v is the uncorrected one: (1 − 0.5³)·4 = 3.5.
    expect(r.state.meanSquare[0]).toBe(3.5);
    // Without correction v is underestimated early, so the first step is larger:
    // v1 = 2, u1 = 2/(√2 + 2) = 1/(√½ + 1) ≈ 0.586 > 0.5.
    const plain = run({ rho: 0.5, epsilon: 2, learningRate: 0.5 }, [1], [[2]]);
    expectRel(plain.params[0], 1 - 0.5 / (Math.SQRT1_2 + 1));
    expect(plain.params[0]).toBeLessThan(0.75);
  });

  it('depends on t: step 2 divides by 1 − ρ² (g = 2 then 4, ρ = 0.5)', () => {
    // v1 = 2, v̂1 = 2/0.5 = 4, d1 = 2 + 2 = 4, u1 = 0.5, θ1 = 0.75.
    // v2 = 1 + 8 = 9, v̂2 = 9/0.75 = 12, d2 = 2√3 + 2, u2 = 4/(2√3 + 2) = 2/(√3 + 1) = √3 − 1.
    const r = run({ rho: 0.5, epsilon: 2, learningRate: 0.5, biasCorrection: true }, [1], [[2], [4]]);
    expect(r.history[0][0]).toBe(0.75);
    expect(r.state.meanSquare[0]).toBe(9);
    expectRel(r.params[0], 0.75 - 0.5 * (Math.sqrt(3) - 1));
  });

  it('uses state.step + 1 as t', () => {
    // The same v and g at t = 1 and at t = 2 give different results: v = 2 (from v0 = 0 or preset).
    const config = resolveConfig({ rho: 0.5, epsilon: 2, learningRate: 0.5, biasCorrection: true });
    const atT1 = createReferenceState(config, 1);
    const p1 = Float64Array.of(1);
    referenceStep(config, p1, [2], atT1); // v = 2, v̂ = 4 → u = 0.5
    expect(p1[0]).toBe(0.75);
    const atT2 = createReferenceState(config, 1);
    atT2.step = 1; // as if one step had been taken with v = 0 left behind
    const p2 = Float64Array.of(1);
    referenceStep(config, p2, [2], atT2); // v = 2, v̂ = 2/0.75 = 8/3 → d = √(8/3) + 2
    expectRel(p2[0], 1 - 0.5 * (2 / (2 * Math.sqrt(2 / 3) + 2)));
    expect(atT2.step).toBe(2);
  });

  it('centered: m̂ = m/(1 − ρᵗ) too, so a constant gradient gives s = 0', () => {
    // ρ = 0.5, g = 2: v̂ = 4, m̂ = 2, s = 0, ε = 1 outside: u = 2, θ = 1 − 0.5·2 = 0 (each step).
    const r = run({ rho: 0.5, epsilon: 1, learningRate: 0.5, centered: true, biasCorrection: true }, [1], [[2], [2]]);
    expect(r.history.map((h) => h[0])).toEqual([0, -1]);
    expect(r.state.meanGrad![0]).toBe(1.5); // uncorrected m: 0.5·1 + 0.5·2
  });

  it('with ρ = 0 the correction 1 − 0ᵗ is 1: identical to no correction', () => {
    const a = run({ rho: 0, epsilon: 2, learningRate: 0.5, biasCorrection: true }, [1, -1], [[2, 3], [4, -1]]);
    const b = run({ rho: 0, epsilon: 2, learningRate: 0.5 }, [1, -1], [[2, 3], [4, -1]]);
    expect(Array.from(a.params)).toEqual(Array.from(b.params));
  });

  it('applies to v̂ from initialMeanSquare too (as optax does)', () => {
    // v0 = 4, ρ = 0.5, g = 2: v1 = 2 + 2 = 4, v̂ = 4/0.5 = 8, d = 2√2 + 2, u = 2/(2√2 + 2) = √2 − 1.
    const r = run({ rho: 0.5, epsilon: 2, learningRate: 0.5, biasCorrection: true, initialMeanSquare: 4 }, [1], [[2]]);
    expectRel(r.params[0], 1 - 0.5 * (Math.SQRT2 - 1));
  });
});

describe('epsilon placement', () => {
  it('outside gives √s + ε, inside gives √(s + ε)', () => {
    // ρ = 0.5, g = 2: v = 2, ε = 2. Inside: d = √4 = 2, u = 1, θ = 1 − 0.5 = 0.5 (exact).
    const inside = run({ rho: 0.5, epsilon: 2, learningRate: 0.5, epsilonPlacement: 'inside' }, [1], [[2]]);
    expect(inside.params[0]).toBe(0.5);
    // Outside: d = √2 + 2, u = 2/(2 + √2) = 2 − √2 (rationalised).
    const outside = run({ rho: 0.5, epsilon: 2, learningRate: 0.5, epsilonPlacement: 'outside' }, [1], [[2]]);
    expectRel(outside.params[0], 1 - 0.5 * (2 - Math.SQRT2));
  });

  it('inside with a zero gradient divides 0 by √ε: θ unchanged', () => {
    const r = run({ epsilonPlacement: 'inside', epsilon: 1e-10 }, [3], [[0]]);
    expect(r.params[0]).toBe(3);
  });

  it('with tiny ε they agree to about ε/√s relative (ε matters only near s = 0)', () => {
    const a = run({ epsilonPlacement: 'inside' }, [1], [[2]]);
    const b = run({ epsilonPlacement: 'outside' }, [1], [[2]]);
    expect(a.params[0]).toBeCloseTo(b.params[0], 10);
    // Near s = 0 they differ a lot: g = 1e-6 gives √s ≈ 3.2e-7, ε = 1e-8 vs √(1e-8) = 1e-4.
    const c = run({ epsilonPlacement: 'inside' }, [0], [[1e-6]]);
    const d = run({ epsilonPlacement: 'outside' }, [0], [[1e-6]]);
    expect(Math.abs(c.params[0])).toBeLessThan(Math.abs(d.params[0]) / 100);
  });
});

describe('momentum: η outside the buffer (PyTorch) vs inside (TensorFlow)', () => {
  // ρ = 0 and g = 2 at every step: v = 4, d = 2 + ε = 4 (ε = 2), u = 0.5. μ = 0.5.
  const base = { rho: 0, epsilon: 2, momentum: 0.5 } as const;

  it('η outside: b ← μ·b + u, θ ← θ − η·b', () => {
    // b1 = 0.5, θ1 = 1 − 0.5·0.5 = 0.75; b2 = 0.25 + 0.5 = 0.75, θ2 = 0.75 − 0.5·0.75 = 0.375.
    const r = run({ ...base, learningRate: 0.5 }, [1], [[2], [2]]);
    expect(r.history.map((h) => h[0])).toEqual([0.75, 0.375]);
    expect(r.state.momentum![0]).toBe(0.75); // in units of u
  });

  it('η inside: b ← μ·b + η·u, θ ← θ − b', () => {
    // b1 = 0.25, θ1 = 0.75; b2 = 0.125 + 0.25 = 0.375, θ2 = 0.375.
    const r = run({ ...base, learningRate: 0.5, learningRateInMomentum: true }, [1], [[2], [2]]);
    expect(r.history.map((h) => h[0])).toEqual([0.75, 0.375]);
    expect(r.state.momentum![0]).toBe(0.375); // in units of θ
  });

  it('agree while η is constant, differ once η changes between steps', () => {
    const outside = run(base, [1], [[2], [2]], [0.5, 0.25]);
    const inside = run({ ...base, learningRateInMomentum: true }, [1], [[2], [2]], [0.5, 0.25]);
    // Outside: b2 = 0.75, θ2 = 0.75 − 0.25·0.75 = 0.5625 (the new η rescales the whole history).
    expect(outside.params[0]).toBe(0.5625);
    // Inside: b2 = 0.5·0.25 + 0.25·0.5 = 0.25, θ2 = 0.75 − 0.25 = 0.5 (past steps keep their η).
    expect(inside.params[0]).toBe(0.5);
    // Constant η: identical.
    const o = run(base, [1], [[2], [2], [2]], [0.5, 0.5, 0.5]);
    const i = run({ ...base, learningRateInMomentum: true }, [1], [[2], [2], [2]], [0.5, 0.5, 0.5]);
    expect(Array.from(o.params)).toEqual(Array.from(i.params));
  });

  it('momentum keeps moving θ after the gradient drops to zero', () => {
    // Step 2 has g = 0: u = 0, b2 = μ·b1. Outside: b1 = 0.5, b2 = 0.25: θ = 1 − 0.25 − 0.125 = 0.625.
    const r = run({ ...base, learningRate: 0.5 }, [1], [[2], [0]]);
    expect(r.params[0]).toBe(0.625);
    expect(r.state.meanSquare[0]).toBe(0); // ρ = 0: v forgets the first gradient
  });
});

describe('nesterov', () => {
  const base = { rho: 0, epsilon: 2, momentum: 0.5, nesterov: true } as const; // u = 0.5 for g = 2

  it('η outside: θ ← θ − η·(u + μ·b)', () => {
    // b1 = 0.5, θ1 = 1 − 0.5·(0.5 + 0.25) = 0.625; b2 = 0.75, θ2 = 0.625 − 0.5·(0.5 + 0.375) = 0.1875.
    const r = run({ ...base, learningRate: 0.5 }, [1], [[2], [2]]);
    expect(r.history.map((h) => h[0])).toEqual([0.625, 0.1875]);
    expect(r.state.momentum![0]).toBe(0.75);
  });

  it('η inside: θ ← θ − (η·u + μ·b)', () => {
    // b1 = 0.25, θ1 = 1 − (0.25 + 0.125) = 0.625; b2 = 0.375, θ2 = 0.625 − (0.25 + 0.1875) = 0.1875.
    const r = run({ ...base, learningRate: 0.5, learningRateInMomentum: true }, [1], [[2], [2]]);
    expect(r.history.map((h) => h[0])).toEqual([0.625, 0.1875]);
    expect(r.state.momentum![0]).toBe(0.375);
  });

  it('the two placements differ once η changes (0.5 then 0.25)', () => {
    // Outside: θ2 = 0.625 − 0.25·(0.5 + 0.375) = 0.40625. Inside: b2 = 0.125 + 0.125 = 0.25,
    // θ2 = 0.625 − (0.125 + 0.125) = 0.375.
    expect(run(base, [1], [[2], [2]], [0.5, 0.25]).params[0]).toBe(0.40625);
    expect(run({ ...base, learningRateInMomentum: true }, [1], [[2], [2]], [0.5, 0.25]).params[0]).toBe(0.375);
  });

  it('differs from plain momentum (which gives 0.75 then 0.375)', () => {
    const plain = run({ ...base, nesterov: false, learningRate: 0.5 }, [1], [[2]]);
    expect(plain.params[0]).toBe(0.75);
  });
});

describe('initialMeanSquare', () => {
  it('v starts at the given value (TF1: 1, optax: initial_scale)', () => {
    // v0 = 4, ρ = 0.5, g = 2: v1 = 2 + 2 = 4, d = 2 + 2 = 4, u = 0.5, θ = 1 − 0.25.
    const r = run({ rho: 0.5, epsilon: 2, learningRate: 0.5, initialMeanSquare: 4 }, [1], [[2]]);
    expect(r.state.meanSquare[0]).toBe(4);
    expect(r.params[0]).toBe(0.75);
    // From v0 = 0 instead: v1 = 2, a different step.
    expect(run({ rho: 0.5, epsilon: 2, learningRate: 0.5 }, [1], [[2]]).state.meanSquare[0]).toBe(2);
  });

  it('TF1 style v0 = 1 damps the first steps: |Δθ| = η·|g|/√(ρ + (1−ρ)g²) ≪ η for small g', () => {
    // ρ = 0.5, g = 0.5, v1 = 0.5 + 0.5·0.25 = 0.625 = 5/8, d ≈ √(5/8), Δθ = −0.1·0.5/√(5/8).
    const r = run({ rho: 0.5, initialMeanSquare: 1, learningRate: 0.1, epsilon: 1e-10, epsilonPlacement: 'inside' }, [0], [[0.5]]);
    expect(r.state.meanSquare[0]).toBe(0.625);
    expectRel(r.params[0], -0.05 * Math.sqrt(8 / 5), 1e-9); // ε = 1e-10 inside perturbs the 10th digit
  });

  it('decays towards 0 under zero gradients: v_t = ρᵗ·v0', () => {
    const r = run({ rho: 0.5, initialMeanSquare: 1 }, [1], [[0], [0], [0]]);
    expect(r.state.meanSquare[0]).toBe(0.125);
    expect(r.params[0]).toBe(1);
  });
});

describe('rho = 0', () => {
  it('v = g² of the current step only', () => {
    // Step 1 g = 100, step 2 g = 2: v2 = 4 (no trace of 10000), d = 2 + 2, u = 0.5.
    const r = run({ rho: 0, epsilon: 2, learningRate: 0.5 }, [1], [[100], [2]]);
    expect(r.state.meanSquare[0]).toBe(4);
    // θ1 = 1 − 0.5·100/102; θ2 = θ1 − 0.25.
    expect(r.params[0]).toBe(1 - (0.5 * 100) / 102 - 0.25);
  });
});

describe('zero and −0 gradients', () => {
  it('all-zero gradients leave θ unchanged and every state buffer at +0', () => {
    const configs: Partial<RMSPropConfig>[] = [
      {},
      { epsilonPlacement: 'inside' },
      { centered: true },
      { momentum: 0.9, nesterov: true },
      { momentum: 0.9, learningRateInMomentum: true },
      { biasCorrection: true, centered: true },
    ];
    for (const c of configs) {
      const r = run(c, [1, -2, 0.5], [[0, 0, 0], [0, 0, 0]]);
      expect(Array.from(r.params), JSON.stringify(c)).toEqual([1, -2, 0.5]);
      for (const buf of [r.state.meanSquare, r.state.meanGrad, r.state.momentum]) {
        if (buf !== null) for (const x of buf) expect(Object.is(x, 0), JSON.stringify(c)).toBe(true);
      }
    }
  });

  it('−0 gradients behave as 0: θ unchanged, v = +0 (g² = +0), no NaN', () => {
    const configs: Partial<RMSPropConfig>[] = [{}, { maximize: true }, { centered: true, epsilonPlacement: 'inside' }, { momentum: 0.5 }];
    for (const c of configs) {
      const r = run(c, [1, -2, 0.5], [[-0, -0, -0]]);
      expect(Array.from(r.params), JSON.stringify(c)).toEqual([1, -2, 0.5]);
      for (const x of r.state.meanSquare) expect(Object.is(x, 0)).toBe(true);
      for (const buf of [r.state.meanGrad, r.state.momentum]) if (buf !== null) for (const x of buf) expect(x).toBe(0);
    }
  });

  it('with coupled weight decay a zero gradient is g = wd·θ', () => {
    // θ = 4, wd = 1: g' = 4 (EXACT) → u = 1, θ = 3.5 — the same for +0 and −0.
    expect(run({ ...EXACT, weightDecay: 1 }, [4], [[0]]).params[0]).toBe(3.5);
    expect(run({ ...EXACT, weightDecay: 1 }, [4], [[-0]]).params[0]).toBe(3.5);
  });
});

describe('elements and state', () => {
  it('elements are independent: a 3-element step equals three 1-element steps', () => {
    const c = { rho: 0.5, momentum: 0.5, centered: true };
    const together = run(c, [1, 2, 3], [[0.5, -1, 2], [1, 1, -3]]);
    for (let i = 0; i < 3; i++) {
      const alone = run(c, [[1, 2, 3][i]], [[[0.5, -1, 2][i]], [[1, 1, -3][i]]]);
      expect(together.params[i]).toBe(alone.params[0]);
      expect(together.state.meanSquare[i]).toBe(alone.state.meanSquare[0]);
    }
  });

  it('reads gradients from any ArrayLike and does not modify them', () => {
    const grads = Float32Array.of(4, -4);
    const config = resolveConfig(EXACT);
    const params = Float64Array.of(1, 1);
    referenceStep(config, params, grads, createReferenceState(config, 2));
    expect(Array.from(params)).toEqual([0.5, 1.5]);
    expect(Array.from(grads)).toEqual([4, -4]);
  });

  it('NaN and Infinity gradients propagate (the optimizer decides whether to allow them)', () => {
    const r = run({}, [1, 1], [[NaN, Infinity]]);
    expect(Number.isNaN(r.params[0])).toBe(true);
    expect(Number.isNaN(r.params[1])).toBe(true); // ∞/(∞ + ε) = NaN
    expect(Number.isNaN(r.state.meanSquare[0])).toBe(true);
    expect(r.state.meanSquare[1]).toBe(Infinity);
  });
});
