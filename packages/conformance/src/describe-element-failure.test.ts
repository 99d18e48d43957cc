import { describe, expect, it } from 'vitest';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { compareTrajectory } from './compare-trajectory.js';
import { describeElementFailure } from './describe-element-failure.js';
import { parseGoldenFile } from './parse-golden-file.js';

describe('describeElementFailure', () => {
  it('names the implementation\'s value "got" and the file\'s "expected"', () => {
    expect(describeElementFailure({ field: 'expected[1][0]', actual: 1.5, expected: 1.25 })).toBe('expected[1][0]: got 1.5, expected 1.25');
    expect(describeElementFailure({ field: 'finalState.momentum[2]', actual: 0.1 + 0.2, expected: 0.3 })).toBe('finalState.momentum[2]: got 0.30000000000000004, expected 0.3');
  });

  it('shows -0, NaN and infinities as such', () => {
    expect(describeElementFailure({ field: 'expected[0][0]', actual: Number.NaN, expected: -0 })).toBe('expected[0][0]: got NaN, expected -0');
    expect(describeElementFailure({ field: 'expected[0][0]', actual: -Infinity, expected: 1 })).toBe('expected[0][0]: got -Infinity, expected 1');
  });

  it('a step of the wrong length is its field alone (compareTrajectory reports it with two NaNs)', () => {
    const [goldenCase] = parseGoldenFile(goldenFile(handComputedPlainCase()), 'mine.json');
    const params = goldenCase.expected.map((step) => Float64Array.from(step));
    params[1] = params[1].subarray(0, 1);
    const finalState = { meanSquare: Float64Array.from(goldenCase.finalState!.meanSquare!), meanGrad: null, momentum: null };
    const { firstFailure } = compareTrajectory(goldenCase, { params, finalState }, { kind: 'backend', tolerance: { ulps: 8, reason: 'r' } });
    expect(describeElementFailure(firstFailure!)).toBe('expected[1] (length 1, expected 3)');
  });
});
