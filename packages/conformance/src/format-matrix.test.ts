import { describe, expect, it } from 'vitest';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { hasControlCharacters } from './escape-control-characters.js';
import { formatMatrix, matrixJson } from './format-matrix.js';
import { parseGoldenFile } from './parse-golden-file.js';
import { assembleRun } from './run-conformance.js';

describe('formatMatrix', () => {
  it('shows names, paths, reasons and errors with control characters escaped, the columns still aligned', () => {
    // A GoldenCase made by hand (the parser refuses such a name; formatMatrix takes any run).
    const [parsed] = parseGoldenFile(goldenFile(handComputedPlainCase()), 'mine.json');
    const goldenCase = { ...parsed, name: 'evil\x1b[2J\r999 passed', file: 'dir/\u202eevil.json' };
    const run = assembleRun(
      ['spec', 'odd\x9bname', 'third'],
      [[{ status: 'error', error: 'Error: \x1b]0;title\x07' }], [{ status: 'skip', reason: 'no \u2066float64' }], [{ status: 'error', error: 'x' }]],
      [goldenCase],
    );
    const text = formatMatrix(run);
    expect(hasControlCharacters(text.replaceAll('\n', ''))).toBe(false);
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('case '))!;
    const row = lines.find((l) => l.startsWith('evil'))!;
    expect(row.startsWith('evil\\x1b[2J\\r999 passed  float64  ERROR')).toBe(true);
    expect(header.indexOf('odd\\x9bname')).toBe(row.indexOf('skip'));
    expect(text).toContain('  evil\\x1b[2J\\r999 passed on spec: Error: \\x1b]0;title\\x07\n');
    expect(text).toContain('  odd\\x9bname: no \\u2066float64 (1 case: evil\\x1b[2J\\r999 passed)\n');
  });

  describe('a failing cell says which number is the implementation\'s and which the file\'s', () => {
    const [goldenCase] = parseGoldenFile(goldenFile(handComputedPlainCase()), 'mine.json');
    const comparison = { pass: false, maxAbs: 0.25, maxRel: 0.2, maxUlps: 1e15, compared: 9, firstFailure: { field: 'expected[1][0]', actual: 1.5, expected: 1.25 } };
    const tolerance = { kind: 'backend', tolerance: { ulps: 8, reason: 'r' } } as const;
    const run = assembleRun(['impl'], [[{ status: 'fail', tolerance, comparison }]], [goldenCase]);

    it('text: the failure reads "got <actual>, expected <expected>"; the legend names the cell numbers', () => {
      const text = formatMatrix(run);
      expect(text).toContain('  user/float64/plain-two-steps on impl (mine.json): expected[1][0]: got 1.5, expected 1.25 (tolerance 8 ulp)\n');
      expect(text).not.toContain('= 1.5');
      const lines = text.split('\n');
      expect(lines.find((l) => l.startsWith('user/'))).toMatch(/ FAIL 2\.5e-1 2\.0e-1$/);
      // The cell's two numbers are errors, not values: the legend says which is which.
      const legend = lines.slice(0, lines.findIndex((l) => l.startsWith('case '))).join('\n');
      expect(legend).toContain('pass|FAIL ABS REL');
      expect(legend).toContain('ABS the largest |actual − expected|');
      expect(legend).toContain('REL the largest |actual − expected| / |expected|');
      expect(legend).toContain("actual the implementation's value, expected the file's");
    });

    it('text: negative zero and non-finite values are shown as such', () => {
      const odd = assembleRun(['impl'], [[{ status: 'fail', tolerance, comparison: { ...comparison, firstFailure: { field: 'expected[0][2]', actual: Number.NaN, expected: -0 } } }]], [goldenCase]);
      expect(formatMatrix(odd)).toContain(': expected[0][2]: got NaN, expected -0 (tolerance 8 ulp)\n');
    });

    it('JSON: the first failure has named fields actual and expected', () => {
      const json = matrixJson(run) as { rows: { cells: { firstFailure: unknown }[] }[] };
      expect(json.rows[0].cells[0].firstFailure).toEqual({ field: 'expected[1][0]', actual: 1.5, expected: 1.25 });
    });
  });
});
