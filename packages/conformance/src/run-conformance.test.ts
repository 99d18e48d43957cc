import { describe, expect, it } from 'vitest';
import { goldenFile } from './__fixtures__/golden-json.js';
import { skipReason, type ConformanceImplementation } from './conformance-implementation.js';
import { formatMatrix, matrixJson, summaryLine } from './format-matrix.js';
import type { GoldenCase } from './golden-case.js';
import { parseGoldenFile } from './parse-golden-file.js';
import { runConformance } from './run-conformance.js';
import { stateArrays } from './state-arrays.js';
import type { Trajectory } from './trajectory.js';

const cases: GoldenCase[] = parseGoldenFile(
  goldenFile(
    { name: 'demo/float64/a', source: 'test', dtype: 'float64', params: [1, 2], grads: [[0, 0]], expected: [[1, 2]] },
    { name: 'demo/float32/b', source: 'test', dtype: 'float32', params: [1], grads: [[0]], expected: [[1]] },
    { name: 'demo/float64/skip-me', source: 'test', dtype: 'float64', params: [3], grads: [[0]], expected: [[3]] },
  ),
  'demo.json',
);

/** An implementation returning θ = expected + `offset` at every element. */
function offsetImpl(name: string, offset: number, extra: Partial<ConformanceImplementation> = {}): ConformanceImplementation {
  return {
    name,
    dtypes: ['float32', 'float64'],
    tolerance: { float64: { ulps: 2, reason: `${name} float64 reason` }, float32: { ulps: 2, reason: `${name} float32 reason` } },
    skips: [],
    run: (c): Trajectory => ({
      params: c.expected.map((row) => row.map((x) => x + offset)),
      finalState: stateArrays(({ switchedBy }) => (switchedBy === null ? new Float64Array(c.params.length) : null)),
    }),
    ...extra,
  };
}

const exact = offsetImpl('exact', 0, { skips: [{ case: /skip-me$/, reason: 'not for this one' }] });
const off = offsetImpl('off', 1e-3, { dtypes: ['float64'] });
const throwing = offsetImpl('throws', 0, {
  run: () => {
    throw new TypeError('no kernel');
  },
});

describe('skipReason', () => {
  it('skips cases of dtypes the implementation does not run, then those its skips match (string or RegExp)', () => {
    expect(skipReason(off, cases[1])).toBe('off does not run float32');
    expect(skipReason(exact, cases[2])).toBe('not for this one');
    expect(skipReason(exact, cases[0])).toBeUndefined();
    expect(skipReason({ ...exact, skips: [{ case: 'demo/float64/a', reason: 'by name' }] }, cases[0])).toBe('by name');
    // A string skip matches the whole name only.
    expect(skipReason({ ...exact, skips: [{ case: 'demo/float64', reason: 'prefix' }] }, cases[0])).toBeUndefined();
  });
});

describe('runConformance', () => {
  const run = runConformance([exact, off, throwing], cases);

  it('has a row per case and a cell per implementation, counting errors as failures', () => {
    expect(run.implementations).toEqual(['exact', 'off', 'throws']);
    expect(run.rows.map((r) => r.goldenCase.name)).toEqual(cases.map((c) => c.name));
    expect(run.rows.map((r) => r.cells.map((c) => c.status))).toEqual([
      ['pass', 'fail', 'error'],
      ['pass', 'skip', 'error'],
      ['skip', 'fail', 'error'],
    ]);
    expect({ passed: run.passed, failed: run.failed, skipped: run.skipped }).toEqual({ passed: 2, failed: 5, skipped: 2 });
    const error = run.rows[0].cells[2];
    expect(error).toEqual({ status: 'error', error: 'TypeError: no kernel' });
  });

  it('formatMatrix: header, one line per case, failures with their first bad element, skips, tolerances, summary', () => {
    const text = formatMatrix(run);
    const lines = text.split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^case +dtype +exact +off +throws$/));
    expect(lines).toContainEqual(expect.stringMatching(/^demo\/float64\/a +float64 +pass 0 0 +FAIL 1\.0e-3 1\.0e-3 +ERROR$/));
    // float32 cells show the distance in ulps too.
    expect(lines).toContainEqual(expect.stringMatching(/^demo\/float32\/b +float32 +pass 0 0 0 ulp +skip +ERROR$/));
    expect(text).toContain('Failures:\n');
    expect(text).toContain('  demo/float64/a on off (demo.json): expected[0][0]: got 1.001, expected 1 (tolerance 2 ulp)');
    expect(text).toContain('  demo/float64/a on throws: TypeError: no kernel');
    expect(text).toContain('  exact: not for this one (1 case: demo/float64/skip-me)');
    expect(text).toContain('  off: off does not run float32 (1 case: demo/float32/b)');
    expect(text).toContain('  exact float64: 2 ulp — exact float64 reason');
    expect(text).toContain('  off float64: 2 ulp — off float64 reason');
    expect(text.trimEnd().split('\n').at(-1)).toBe('conformance: 2 passed, 5 failed, 2 skipped (3 cases × 3 implementations)');
    expect(summaryLine(run)).toBe('conformance: 2 passed, 5 failed, 2 skipped (3 cases × 3 implementations)');
  });

  it('formatMatrix lists at most four case names per skip reason', () => {
    const many = parseGoldenFile(
      goldenFile(...[1, 2, 3, 4, 5, 6].map((i) => ({ name: `m/float64/${i}`, source: 't', dtype: 'float64', params: [1], grads: [[0]], expected: [[1]] }))),
      'm.json',
    );
    const text = formatMatrix(runConformance([offsetImpl('x', 0, { skips: [{ case: /^m\//, reason: 'all' }] })], many));
    expect(text).toContain('  x: all (6 cases: m/float64/1, m/float64/2, m/float64/3, m/float64/4, …)');
    expect(text).not.toContain('Failures:');
  });

  it('matrixJson is JSON-safe: non-finite numbers become strings', () => {
    const nan = offsetImpl('nan', Number.NaN, { dtypes: ['float64'] });
    const json = matrixJson(runConformance([exact, nan], cases.slice(0, 1))) as {
      implementations: string[];
      summary: unknown;
      rows: { case: string; file: string; cells: Record<string, unknown>[] }[];
    };
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.implementations).toEqual(['exact', 'nan']);
    expect(json.summary).toEqual({ passed: 1, failed: 1, skipped: 0, cases: 1 });
    expect(json.rows[0]).toMatchObject({ case: 'demo/float64/a', file: 'demo.json' });
    expect(json.rows[0].cells[0]).toEqual({ implementation: 'exact', status: 'pass', maxAbs: 0, maxRel: 0, maxUlps: 0, tolerance: '2 ulp' });
    expect(json.rows[0].cells[1]).toMatchObject({
      implementation: 'nan',
      status: 'fail',
      maxUlps: 'Infinity',
      firstFailure: { field: 'expected[0][0]', actual: 'NaN', expected: 1 },
    });
  });
});
