import { resolveConfig, STATE_BUFFERS } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { goldenFile } from './__fixtures__/golden-json.js';
import { compareTrajectory } from './compare-trajectory.js';
import type { GoldenCase } from './golden-case.js';
import { parseGoldenFile } from './parse-golden-file.js';
import { stateArrays } from './state-arrays.js';
import type { AppliedTolerance } from './tolerance.js';
import type { Trajectory } from './trajectory.js';

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);
/** The float64 `k` steps above x (x > 0). */
function up(x: number, k = 1): number {
  f64[0] = x;
  u64[0] += BigInt(k);
  return f64[0];
}

function ulps(n: number): AppliedTolerance {
  return { kind: 'backend', tolerance: { ulps: n, reason: 'test' } };
}

function makeCase(json: Record<string, unknown>): GoldenCase {
  const full: Record<string, unknown> = { name: 'test/case', source: 'test', dtype: 'float64', ...json };
  if (full.grads === undefined) full.grads = (full.expected as unknown[]).map(() => (full.params as unknown[]).map(() => 0));
  return parseGoldenFile(goldenFile(full), 'test.json')[0];
}

/** A trajectory equal to the case's expected values (copies), with the given final state. */
function exactTrajectory(c: GoldenCase, finalState: Partial<Trajectory['finalState']> = {}): { params: Float64Array[]; finalState: Trajectory['finalState'] } {
  return {
    params: c.expected.map((row) => Float64Array.from(row)),
    finalState: {
      ...stateArrays(({ name, switchedBy }) => c.finalState?.[name]?.slice() ?? (switchedBy === null ? new Float64Array(c.params.length) : null)),
      ...finalState,
    },
  };
}

describe('compareTrajectory', () => {
  const rising = makeCase({
    params: [1, -3],
    expected: [
      [1.5, -3.25],
      [1.75, -3.5],
    ],
    finalState: { meanSquare: [0.25, 0.5] },
  });

  it('an exact trajectory passes with 0 errors, counting every element compared', () => {
    const result = compareTrajectory(rising, exactTrajectory(rising), ulps(0));
    expect(result).toEqual({ pass: true, maxAbs: 0, maxRel: 0, maxUlps: 0, compared: 6 });
  });

  it('a 1-ulp perturbation passes a 1-ulp tolerance and fails a 0-ulp one', () => {
    const t = exactTrajectory(rising);
    t.params[1][0] = up(1.75);
    const loose = compareTrajectory(rising, t, ulps(1));
    expect(loose.pass).toBe(true);
    expect(loose.maxUlps).toBe(1);
    expect(loose.maxAbs).toBe(2 ** -52);
    expect(loose.maxRel).toBe(2 ** -52 / 1.75);
    expect(loose.firstFailure).toBeUndefined();

    const strict = compareTrajectory(rising, t, ulps(0));
    expect(strict.pass).toBe(false);
    expect(strict.firstFailure).toEqual({ field: 'expected[1][0]', actual: up(1.75), expected: 1.75 });
  });

  it('2 ulps fail a 1-ulp tolerance; the first failure is the earliest bad element', () => {
    const t = exactTrajectory(rising);
    t.params[0][1] = -up(3.25, 2);
    t.params[1][0] = up(1.75, 5);
    const result = compareTrajectory(rising, t, ulps(1));
    expect(result.pass).toBe(false);
    expect(result.firstFailure?.field).toBe('expected[0][1]');
    expect(result.maxUlps).toBe(5);
  });

  it('θ error is measured in ulps of the largest |θ| of the trajectory so far (initial value included)', () => {
    // θ falls from 1 towards 0: an error of 1 ulp of 1, carried to θ ≈ 2⁻³⁰, is 1 ulp at that scale.
    const falling = makeCase({ params: [1], expected: [[0.5], [2 ** -30]] });
    const t = exactTrajectory(falling);
    t.params[1][0] = 2 ** -30 + 2 ** -52;
    const result = compareTrajectory(falling, t, ulps(1));
    expect(result.pass).toBe(true);
    expect(result.maxUlps).toBe(1);
    // The same absolute error where θ was never larger than 2⁻³⁰ is 2³⁰ ulps.
    const small = makeCase({ params: [2 ** -30], expected: [[2 ** -31], [2 ** -30]] });
    const ts = exactTrajectory(small);
    ts.params[1][0] = 2 ** -30 + 2 ** -52;
    const smallResult = compareTrajectory(small, ts, ulps(1));
    expect(smallResult.pass).toBe(false);
    expect(smallResult.maxUlps).toBe(2 ** 30);
  });

  it('the scale is the trajectory so far: a later, larger θ does not loosen an earlier step', () => {
    const growing = makeCase({ params: [0.001], expected: [[0.002], [100]] });
    const t = exactTrajectory(growing);
    t.params[0][0] = 0.002 + 2 ** -46; // 1 ulp of 100, but 2¹⁹ ulps of 0.002's scale
    const result = compareTrajectory(growing, t, ulps(1));
    expect(result.pass).toBe(false);
    expect(result.firstFailure?.field).toBe('expected[0][0]');
  });

  it('the scale is per element: a large neighbour does not loosen a small element', () => {
    const c = makeCase({ params: [1000, 0.001], expected: [[1000, 0.001]] });
    const t = exactTrajectory(c);
    t.params[0][1] = 0.001 + 1000 * 2 ** -52;
    expect(compareTrajectory(c, t, ulps(1)).pass).toBe(false);
  });

  it('NaN matches NaN; NaN against a number fails either way; infinities must match', () => {
    const c = makeCase({ params: [1, 2, 3], expected: [['NaN', 'Infinity', 1]] });
    expect(compareTrajectory(c, exactTrajectory(c), ulps(0)).pass).toBe(true);

    const numberForNaN = exactTrajectory(c);
    numberForNaN.params[0][0] = 1;
    const r1 = compareTrajectory(c, numberForNaN, ulps(1e300));
    expect(r1.pass).toBe(false);
    expect(r1.firstFailure?.field).toBe('expected[0][0]');
    expect(r1.maxUlps).toBe(Infinity);

    const nanForNumber = exactTrajectory(c);
    nanForNumber.params[0][2] = Number.NaN;
    expect(compareTrajectory(c, nanForNumber, ulps(1e300)).firstFailure?.field).toBe('expected[0][2]');

    const wrongInfinity = exactTrajectory(c);
    wrongInfinity.params[0][1] = -Infinity;
    expect(compareTrajectory(c, wrongInfinity, ulps(1e300)).firstFailure?.field).toBe('expected[0][1]');

    const finiteForInfinity = exactTrajectory(c);
    finiteForInfinity.params[0][1] = Number.MAX_VALUE;
    expect(compareTrajectory(c, finiteForInfinity, { kind: 'case', tolerance: { rel: 1, abs: 1e308 } }).pass).toBe(false);
  });

  it('−0 matches +0', () => {
    const c = makeCase({ params: [0], expected: [[0]] });
    const t = exactTrajectory(c);
    t.params[0][0] = -0;
    expect(compareTrajectory(c, t, ulps(0)).pass).toBe(true);
  });

  it('a final state mismatch is reported as finalState.<buffer>[i]', () => {
    const c = makeCase({
      config: { momentum: 0.9, centered: true },
      params: [1, 2],
      expected: [[1, 2]],
      finalState: { meanSquare: [0.5, 0.25], meanGrad: [0.1, -0.2], momentum: [0.3, -0.4] },
    });
    expect(compareTrajectory(c, exactTrajectory(c), ulps(0)).compared).toBe(8);

    const t = exactTrajectory(c);
    t.finalState.momentum![1] = -0.4 * 1.001;
    const result = compareTrajectory(c, t, ulps(8));
    expect(result.pass).toBe(false);
    expect(result.firstFailure).toEqual({ field: 'finalState.momentum[1]', actual: -0.4 * 1.001, expected: -0.4 });

    const m = exactTrajectory(c);
    m.finalState.meanGrad![0] = 0.2;
    expect(compareTrajectory(c, m, ulps(8)).firstFailure?.field).toBe('finalState.meanGrad[0]');

    const v = exactTrajectory(c);
    v.finalState.meanSquare[0] = 0.75;
    expect(compareTrajectory(c, v, ulps(8)).firstFailure?.field).toBe('finalState.meanSquare[0]');
  });

  it('every state buffer (STATE_BUFFERS) a case gives is compared, and a mismatch in any is reported by its name', () => {
    const config = { centered: true, momentum: 0.5 };
    expect(STATE_BUFFERS.filter((b) => !b.neededBy(resolveConfig(config))).map((b) => b.name), 'buffers the test config does not keep').toEqual([]);
    const finalState = Object.fromEntries(STATE_BUFFERS.map((b, k) => [b.name, [0.25 * (k + 1), 0.5]]));
    const c = makeCase({ config, params: [1, 2], expected: [[1, 2]], finalState });
    expect(compareTrajectory(c, exactTrajectory(c), ulps(0)).compared).toBe(2 + 2 * STATE_BUFFERS.length);
    for (const { name } of STATE_BUFFERS) {
      const t = exactTrajectory(c);
      t.finalState[name]![1] = 0.75;
      expect(compareTrajectory(c, t, ulps(8)).firstFailure, name).toEqual({ field: `finalState.${name}[1]`, actual: 0.75, expected: 0.5 });
    }
  });

  it('a state buffer is measured in ulps of its largest |value|', () => {
    const c = makeCase({ config: { momentum: 0.5 }, params: [1, 1], expected: [[1, 1]], finalState: { momentum: [1, 1e-10] } });
    const t = exactTrajectory(c);
    t.finalState.momentum![1] = 1e-10 + 2 ** -52;
    expect(compareTrajectory(c, t, ulps(1)).pass).toBe(true);
    t.finalState.momentum![1] = 1e-10 + 2 ** -50;
    expect(compareTrajectory(c, t, ulps(1)).pass).toBe(false);
  });

  it('state buffers the case does not give are not compared', () => {
    const c = makeCase({ params: [1], expected: [[1]] });
    const t = exactTrajectory(c, { meanSquare: Float64Array.of(12345) });
    expect(compareTrajectory(c, t, ulps(0))).toMatchObject({ pass: true, compared: 1 });
  });

  it('a state buffer the implementation lacks fails, naming the buffer', () => {
    const c = makeCase({ config: { momentum: 0.5 }, params: [1], expected: [[1]], finalState: { momentum: [0.5] } });
    const result = compareTrajectory(c, exactTrajectory(c, { momentum: null }), ulps(1e300));
    expect(result.pass).toBe(false);
    expect(result.firstFailure?.field).toMatch(/^finalState\.momentum \(length missing/);
    expect(result.maxUlps).toBe(Infinity);
  });

  it('a missing step, or a step of the wrong length, fails naming the step', () => {
    const missing = exactTrajectory(rising);
    missing.params.pop();
    const r1 = compareTrajectory(rising, missing, ulps(1e300));
    expect(r1.pass).toBe(false);
    expect(r1.firstFailure?.field).toMatch(/^expected\[1\] \(length missing, expected 2\)/);
    expect(r1.maxUlps).toBe(Infinity);

    const short = exactTrajectory(rising);
    short.params[0] = Float64Array.of(1.5);
    const r2 = compareTrajectory(rising, short, ulps(1e300));
    expect(r2.pass).toBe(false);
    expect(r2.firstFailure?.field).toMatch(/^expected\[0\] \(length 1, expected 2\)/);
  });

  it('reports the largest absolute and relative errors over all elements', () => {
    const c = makeCase({ params: [10, 1], expected: [[10, 1], [8, 0.5]] });
    const t = exactTrajectory(c);
    t.params[0][0] = 10.5; // abs 0.5, rel 0.05
    t.params[1][1] = 0.6; // abs 0.1, rel 0.2
    const result = compareTrajectory(c, t, { kind: 'case', tolerance: { rel: 0, abs: 1 } });
    expect(result.pass).toBe(true);
    expect(result.maxAbs).toBe(0.5);
    expect(result.maxRel).toBeCloseTo(0.2, 12);
  });
});
