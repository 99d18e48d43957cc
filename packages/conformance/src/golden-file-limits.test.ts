import { ArgumentError } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { GOLDEN_FILE_LIMITS, resolveGoldenFileLimits } from './golden-file-limits.js';
import { committedVectorFiles, readGoldenFile } from './load-golden-files.js';
import { readFileSync } from 'node:fs';

describe('GOLDEN_FILE_LIMITS', () => {
  it('has generous headroom over the largest committed file (at least 20×)', () => {
    let bytes = 0;
    let cases = 0;
    let steps = 0;
    let numbers = 0;
    for (const path of committedVectorFiles()) {
      const parsed = readGoldenFile(path);
      bytes = Math.max(bytes, readFileSync(path).length);
      cases = Math.max(cases, parsed.length);
      steps = Math.max(steps, parsed.reduce((sum, c) => sum + c.grads.length, 0));
      const caseNumbers = (c: (typeof parsed)[number]): number =>
        c.params.length * (1 + c.grads.length + c.expected.length + Object.keys(c.finalState ?? {}).length) + (c.learningRateSchedule?.length ?? 0);
      numbers = Math.max(numbers, parsed.reduce((sum, c) => sum + caseNumbers(c), 0));
    }
    expect(GOLDEN_FILE_LIMITS.maxBytes).toBeGreaterThanOrEqual(20 * bytes);
    expect(GOLDEN_FILE_LIMITS.maxCases).toBeGreaterThanOrEqual(20 * cases);
    expect(GOLDEN_FILE_LIMITS.maxSteps).toBeGreaterThanOrEqual(20 * steps);
    expect(GOLDEN_FILE_LIMITS.maxNumbers).toBeGreaterThanOrEqual(20 * numbers);
    expect(Object.isFrozen(GOLDEN_FILE_LIMITS)).toBe(true);
  });
});

describe('resolveGoldenFileLimits', () => {
  it('fills in the defaults and keeps what is given', () => {
    expect(resolveGoldenFileLimits()).toEqual(GOLDEN_FILE_LIMITS);
    expect(resolveGoldenFileLimits({})).toEqual(GOLDEN_FILE_LIMITS);
    expect(resolveGoldenFileLimits({ maxSteps: 5, maxBytes: Number.MAX_SAFE_INTEGER })).toEqual({
      ...GOLDEN_FILE_LIMITS,
      maxSteps: 5,
      maxBytes: Number.MAX_SAFE_INTEGER,
    });
  });

  it('refuses a limit that is not a positive integer, or an unknown one, naming it', () => {
    const bad: [unknown, string, string][] = [
      [{ maxSteps: 0 }, 'limits.maxSteps', '0'],
      [{ maxCases: -1 }, 'limits.maxCases', '-1'],
      [{ maxBytes: 1.5 }, 'limits.maxBytes', '1.5'],
      [{ maxNumbers: Number.POSITIVE_INFINITY }, 'limits.maxNumbers', 'Infinity'],
      [{ maxSteps: '100' }, 'limits.maxSteps', '"100"'],
      [{ maxStep: 100 }, 'limits.maxStep', '100'],
      [42, 'limits', '42'],
    ];
    for (const [limits, field, shown] of bad) {
      let error: unknown;
      try {
        resolveGoldenFileLimits(limits as Record<string, number>);
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).field).toBe(field);
      expect((error as ArgumentError).message).toContain(`${field} = ${shown} is not allowed`);
    }
  });
});
