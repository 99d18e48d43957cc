/**
 * Built-in schedules at chosen t. Values are worked out here: powers of two keep step/exponential/warm-up
 * exact (`toBe`); cosine values use cos(0) = 1, cos(π) = −1 (exact in float64) and cos(π/4) = √2/2, cos(π/2)
 * ≈ 6e-17 (compared to 15 decimals: the float64 π is not exactly π).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, RMSPropError } from './errors.js';
import {
  constantSchedule,
  cosineSchedule,
  exponentialSchedule,
  linearWarmupSchedule,
  stepSchedule,
} from './learning-rate-schedule.js';

function argumentError(fn: () => unknown, field: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `${field}: expected an ArgumentError`).toBeInstanceOf(ArgumentError);
  const error = caught as ArgumentError;
  expect(error).toBeInstanceOf(RMSPropError);
  expect(error.code).toBe('INVALID_ARGUMENT');
  expect(error.field).toBe(field);
  expect(error.message).toMatch(message);
}

describe('constantSchedule', () => {
  it('returns the value at every t', () => {
    const s = constantSchedule(0.01);
    expect([1, 2, 1000].map(s)).toEqual([0.01, 0.01, 0.01]);
    expect(constantSchedule(0)(5)).toBe(0);
  });

  it('rejects negative, non-finite and non-number values', () => {
    for (const [value, shown] of [
      [-1, '-1'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      ['0.1', '"0.1"'],
    ] as const) {
      argumentError(
        () => constantSchedule(value as number),
        'constantSchedule value',
        new RegExp(`^constantSchedule value = ${shown.replace(/[.]/g, '\\.')} is not allowed; expected a finite number ≥ 0$`),
      );
    }
  });
});

describe('stepSchedule', () => {
  it('η(t) = initial·gamma^⌊(t−1)/stepSize⌋', () => {
    const s = stepSchedule({ initial: 1, stepSize: 2, gamma: 0.5 });
    // t = 1, 2 → 1; 3, 4 → 0.5; 5 → 0.25; 9 → 1/16.
    expect([1, 2, 3, 4, 5, 9].map(s)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.0625]);
    const every = stepSchedule({ initial: 3, stepSize: 1, gamma: 2 });
    expect([1, 2, 3].map(every)).toEqual([3, 6, 12]);
  });

  it('validates initial, stepSize and gamma', () => {
    argumentError(() => stepSchedule({ initial: -1, stepSize: 1, gamma: 0.5 }), 'stepSchedule initial', /^stepSchedule initial = -1 is not allowed; expected a finite number ≥ 0$/);
    argumentError(() => stepSchedule({ initial: NaN, stepSize: 1, gamma: 0.5 }), 'stepSchedule initial', /= NaN is not allowed/);
    for (const [bad, shown] of [
      [0, '0'],
      [1.5, '1.5'],
      [-2, '-2'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
    ] as const) {
      argumentError(
        () => stepSchedule({ initial: 1, stepSize: bad, gamma: 0.5 }),
        'stepSchedule stepSize',
        new RegExp(`^stepSchedule stepSize = ${shown.replace('.', '\\.')} is not allowed; expected an integer ≥ 1$`),
      );
    }
    argumentError(() => stepSchedule({ initial: 1, stepSize: 1, gamma: -0.5 }), 'stepSchedule gamma', /^stepSchedule gamma = -0\.5 is not allowed; expected a finite number ≥ 0$/);
    argumentError(() => stepSchedule({ initial: 1, stepSize: 1, gamma: Infinity }), 'stepSchedule gamma', /= Infinity is not allowed/);
  });
});

describe('exponentialSchedule', () => {
  it('η(t) = initial·gamma^(t−1)', () => {
    const s = exponentialSchedule({ initial: 8, gamma: 0.5 });
    expect([1, 2, 3, 4, 5].map(s)).toEqual([8, 4, 2, 1, 0.5]);
    expect(exponentialSchedule({ initial: 0.1, gamma: 1 })(100)).toBe(0.1);
    // gamma = 0: η = initial at t = 1 (0⁰ = 1), 0 after.
    const zero = exponentialSchedule({ initial: 0.1, gamma: 0 });
    expect([zero(1), zero(2)]).toEqual([0.1, 0]);
  });

  it('validates initial and gamma', () => {
    argumentError(() => exponentialSchedule({ initial: Infinity, gamma: 0.5 }), 'exponentialSchedule initial', /^exponentialSchedule initial = Infinity is not allowed; expected a finite number ≥ 0$/);
    argumentError(() => exponentialSchedule({ initial: 1, gamma: NaN }), 'exponentialSchedule gamma', /^exponentialSchedule gamma = NaN is not allowed; expected a finite number ≥ 0$/);
  });
});

describe('cosineSchedule', () => {
  it('anneals from initial at t = 1 to minimum at t = totalSteps + 1, then holds', () => {
    const s = cosineSchedule({ initial: 1, totalSteps: 4, minimum: 0.2 });
    expect(s(1)).toBe(1); // cos 0 = 1: 0.2 + 0.8·2/2
    // t = 2: progress 1/4, cos(π/4) = √2/2 → 0.2 + 0.4·(1 + √2/2) = 0.6 + 0.2·√2.
    expect(s(2)).toBeCloseTo(0.6 + 0.2 * Math.SQRT2, 15);
    expect(s(3)).toBeCloseTo(0.6, 15); // cos(π/2) ≈ 0: halfway
    expect(s(5)).toBe(0.2); // cos π = −1 exactly
    expect(s(6)).toBe(0.2);
    expect(s(1000)).toBe(0.2);
  });

  it('minimum defaults to 0', () => {
    const s = cosineSchedule({ initial: 0.5, totalSteps: 2 });
    expect(s(1)).toBe(0.5);
    expect(s(2)).toBeCloseTo(0.25, 15);
    expect(s(3)).toBe(0);
  });

  it('validates initial, totalSteps and minimum', () => {
    argumentError(() => cosineSchedule({ initial: -1, totalSteps: 4 }), 'cosineSchedule initial', /^cosineSchedule initial = -1 is not allowed; expected a finite number ≥ 0$/);
    argumentError(() => cosineSchedule({ initial: 1, totalSteps: 0 }), 'cosineSchedule totalSteps', /^cosineSchedule totalSteps = 0 is not allowed; expected an integer ≥ 1$/);
    argumentError(() => cosineSchedule({ initial: 1, totalSteps: 2.5 }), 'cosineSchedule totalSteps', /= 2\.5 is not allowed; expected an integer ≥ 1$/);
    argumentError(() => cosineSchedule({ initial: 1, totalSteps: 4, minimum: -0.1 }), 'cosineSchedule minimum', /^cosineSchedule minimum = -0\.1 is not allowed; expected a finite number ≥ 0$/);
    argumentError(() => cosineSchedule({ initial: 1, totalSteps: 4, minimum: NaN }), 'cosineSchedule minimum', /= NaN is not allowed/);
  });
});

describe('linearWarmupSchedule', () => {
  it('η(t) = peak·t/warmupSteps up to warmupSteps, then peak', () => {
    const s = linearWarmupSchedule({ peak: 1, warmupSteps: 4 });
    expect([1, 2, 3, 4, 5, 100].map(s)).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
  });

  it('hands over to `after`, counted from the end of the warm-up (after(1) at t = warmupSteps + 1)', () => {
    const seen: number[] = [];
    const after = (t: number) => {
      seen.push(t);
      return 8 / 2 ** t;
    };
    const s = linearWarmupSchedule({ peak: 4, warmupSteps: 2, after });
    expect([1, 2, 3, 4, 5].map(s)).toEqual([2, 4, 4, 2, 1]);
    expect(seen).toEqual([1, 2, 3]);
    const decay = linearWarmupSchedule({ peak: 2, warmupSteps: 2, after: exponentialSchedule({ initial: 2, gamma: 0.5 }) });
    expect([1, 2, 3, 4].map(decay)).toEqual([1, 2, 2, 1]);
  });

  it('validates peak, warmupSteps and after', () => {
    argumentError(() => linearWarmupSchedule({ peak: -1, warmupSteps: 2 }), 'linearWarmupSchedule peak', /^linearWarmupSchedule peak = -1 is not allowed; expected a finite number ≥ 0$/);
    argumentError(() => linearWarmupSchedule({ peak: 1, warmupSteps: 0 }), 'linearWarmupSchedule warmupSteps', /^linearWarmupSchedule warmupSteps = 0 is not allowed; expected an integer ≥ 1$/);
    argumentError(
      () => linearWarmupSchedule({ peak: 1, warmupSteps: 2, after: 0.5 as unknown as (t: number) => number }),
      'linearWarmupSchedule after',
      /^linearWarmupSchedule after = 0\.5 is not allowed; expected a schedule function$/,
    );
  });
});
