import { describe, expect, it } from 'vitest';
import { goldenFile } from './__fixtures__/golden-json.js';
import type { ConformanceImplementation } from './conformance-implementation.js';
import type { GoldenCase } from './golden-case.js';
import { parseGoldenFile } from './parse-golden-file.js';
import { runCell, toleranceFor } from './run-conformance.js';
import { describeTolerance, withinTolerance, type AppliedTolerance, type BackendTolerance } from './tolerance.js';
import { stateArrays } from './state-arrays.js';
import type { Trajectory } from './trajectory.js';

const backend = (t: Omit<BackendTolerance, 'reason'>): AppliedTolerance => ({ kind: 'backend', tolerance: { ...t, reason: 'test' } });
const caseTol = (rel: number, abs: number): AppliedTolerance => ({ kind: 'case', tolerance: { rel, abs } });
const ULP1 = 2 ** -52;

describe('withinTolerance', () => {
  it('equal values pass under any tolerance, ±0 and infinities included', () => {
    const exact = backend({});
    expect(withinTolerance(1.25, 1.25, 1.25, 'float64', exact)).toBe(true);
    expect(withinTolerance(-0, 0, 0, 'float64', exact)).toBe(true);
    expect(withinTolerance(Infinity, Infinity, 0, 'float32', caseTol(0, 0))).toBe(true);
    expect(withinTolerance(Number.NaN, Number.NaN, 0, 'float64', caseTol(0, 0))).toBe(true);
  });

  it('NaN against a number, or a differing infinity, fails under any tolerance', () => {
    const huge = backend({ ulps: 1e300, rel: 1e300, abs: 1e300 });
    expect(withinTolerance(Number.NaN, 1, 1, 'float64', huge)).toBe(false);
    expect(withinTolerance(1, Number.NaN, 1, 'float64', huge)).toBe(false);
    expect(withinTolerance(-Infinity, Infinity, 1, 'float64', huge)).toBe(false);
    expect(withinTolerance(1e300, Infinity, 1, 'float64', huge)).toBe(false);
    expect(withinTolerance(Infinity, 1e300, 1, 'float64', caseTol(1e300, 1e300))).toBe(false);
  });

  it('a backend tolerance in ulps, measured at the given scale', () => {
    expect(withinTolerance(1 + 2 * ULP1, 1, 1, 'float64', backend({ ulps: 2 }))).toBe(true);
    expect(withinTolerance(1 + 3 * ULP1, 1, 1, 'float64', backend({ ulps: 2 }))).toBe(false);
    // The same absolute error at scale 4 is 0.75 ulp.
    expect(withinTolerance(1 + 3 * ULP1, 1, 4, 'float64', backend({ ulps: 1 }))).toBe(true);
    // float32 ulps are 2²⁹ times wider.
    expect(withinTolerance(1 + 2 ** -23, 1, 1, 'float32', backend({ ulps: 1 }))).toBe(true);
    expect(withinTolerance(1 + 2 ** -23, 1, 1, 'float64', backend({ ulps: 1 }))).toBe(false);
  });

  it('a backend tolerance passes an element within its ulps or within abs + rel·|expected|', () => {
    const t = backend({ ulps: 1, rel: 1e-3, abs: 1e-6 });
    expect(withinTolerance(1.0009, 1, 1, 'float64', t)).toBe(true); // 9e-4 ≤ 1e-6 + 1e-3
    expect(withinTolerance(1.002, 1, 1, 'float64', t)).toBe(false);
    expect(withinTolerance(5e-7, 0, 0, 'float64', backend({ abs: 1e-6 }))).toBe(true);
    expect(withinTolerance(2e-6, 0, 0, 'float64', backend({ abs: 1e-6 }))).toBe(false);
  });

  it('a backend tolerance without bounds only accepts equal values', () => {
    expect(withinTolerance(1 + ULP1, 1, 1, 'float64', backend({}))).toBe(false);
  });

  it('a case tolerance is abs + rel·|expected| only (no ulps), boundary included', () => {
    expect(withinTolerance(2.5, 2, 2, 'float64', caseTol(0.25, 0))).toBe(true); // 0.5 ≤ 0.25·2
    expect(withinTolerance(2.5 + 4 * ULP1, 2, 2, 'float64', caseTol(0.25, 0))).toBe(false);
    expect(withinTolerance(1.5, 1, 1, 'float64', caseTol(0.25, 0.25))).toBe(true);
    expect(withinTolerance(1 + ULP1, 1, 1, 'float64', caseTol(0, 0))).toBe(false);
    expect(withinTolerance(-1.1, -1, 1, 'float64', caseTol(0.1 + 1e-12, 0))).toBe(true);
  });
});

describe('describeTolerance', () => {
  it('names the bounds, and marks a case tolerance', () => {
    expect(describeTolerance(backend({ ulps: 8 }))).toBe('8 ulp');
    expect(describeTolerance(backend({ ulps: 4, rel: 1e-3, abs: 1e-9 }))).toBe('4 ulp or rel 0.001 or abs 1e-9');
    expect(describeTolerance(backend({}))).toBe('exact');
    expect(describeTolerance(caseTol(1e-6, 0))).toBe('rel 0.000001 (case)');
    expect(describeTolerance(caseTol(0, 0))).toBe('exact (case)');
  });
});

describe('the case tolerance takes precedence over the backend tolerance', () => {
  const json = (tolerance?: unknown): GoldenCase =>
    parseGoldenFile(
      goldenFile({ name: 't', source: 'test', dtype: 'float64', params: [1], grads: [[0]], expected: [[1]], ...(tolerance ? { tolerance } : {}) }),
      'test.json',
    )[0];
  /** An implementation that returns θ = `value` whatever the case. */
  const impl = (value: number, tolerance: BackendTolerance | undefined): ConformanceImplementation => ({
    name: 'fake',
    dtypes: ['float64'],
    tolerance: tolerance ? { float64: tolerance } : {},
    skips: [],
    run: (): Trajectory => ({ params: [Float64Array.of(value)], finalState: stateArrays(({ switchedBy }) => (switchedBy === null ? Float64Array.of(0) : null)) }),
  });

  it('toleranceFor picks the case tolerance when the case has one', () => {
    const strict: BackendTolerance = { ulps: 0, reason: 'strict' };
    expect(toleranceFor(impl(1, strict), json())).toEqual({ kind: 'backend', tolerance: strict });
    expect(toleranceFor(impl(1, strict), json({ rel: 1e-3 }))).toEqual({ kind: 'case', tolerance: { rel: 1e-3, abs: 0 } });
    expect(toleranceFor(impl(1, undefined), json())).toBeUndefined();
  });

  it('a looser case tolerance passes what the backend tolerance fails', () => {
    const strict: BackendTolerance = { ulps: 0, reason: 'strict' };
    expect(runCell(impl(1.0001, strict), json()).status).toBe('fail');
    expect(runCell(impl(1.0001, strict), json({ rel: 1e-3, abs: 0 })).status).toBe('pass');
  });

  it('a stricter case tolerance fails what the backend tolerance passes', () => {
    const loose: BackendTolerance = { ulps: 1e6, reason: 'loose' };
    expect(runCell(impl(1 + ULP1, loose), json()).status).toBe('pass');
    const cell = runCell(impl(1 + ULP1, loose), json({ rel: 0, abs: 0 }));
    expect(cell.status).toBe('fail');
    if (cell.status === 'fail') expect(cell.tolerance.kind).toBe('case');
  });

  it('without a case tolerance, an implementation with no tolerance for the dtype is an error', () => {
    const cell = runCell(impl(1, undefined), json());
    expect(cell).toEqual({ status: 'error', error: 'fake states no float64 tolerance' });
    // … but a case tolerance is enough to run it.
    expect(runCell(impl(1, undefined), json({ rel: 0, abs: 0 })).status).toBe('pass');
  });
});
