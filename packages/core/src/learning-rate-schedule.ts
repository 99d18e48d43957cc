import { ArgumentError } from './errors.js';

/**
 * A learning-rate schedule: η as a function of the step t (1-based, the step about to be taken). Any
 * function of this shape works; the built-ins below cover the common ones.
 */
export type LearningRateSchedule = (step: number) => number;

function finiteAtLeast(field: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ArgumentError(field, value, `a finite number ≥ ${min}`);
  }
}

function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new ArgumentError(field, value, 'an integer ≥ 1');
}

/** η(t) = value. */
export function constantSchedule(value: number): LearningRateSchedule {
  finiteAtLeast('constantSchedule value', value, 0);
  return () => value;
}

/** η(t) = initial · gamma^⌊(t−1)/stepSize⌋ (PyTorch's StepLR, counted from step 1). */
export function stepSchedule(options: { initial: number; stepSize: number; gamma: number }): LearningRateSchedule {
  const { initial, stepSize, gamma } = options;
  finiteAtLeast('stepSchedule initial', initial, 0);
  positiveInteger('stepSchedule stepSize', stepSize);
  finiteAtLeast('stepSchedule gamma', gamma, 0);
  return (t) => initial * Math.pow(gamma, Math.floor((t - 1) / stepSize));
}

/** η(t) = initial · gamma^(t−1). */
export function exponentialSchedule(options: { initial: number; gamma: number }): LearningRateSchedule {
  const { initial, gamma } = options;
  finiteAtLeast('exponentialSchedule initial', initial, 0);
  finiteAtLeast('exponentialSchedule gamma', gamma, 0);
  return (t) => initial * Math.pow(gamma, t - 1);
}

/**
 * Cosine annealing from `initial` at t = 1 to `minimum` at t = totalSteps + 1, then held at `minimum`:
 * η(t) = minimum + (initial − minimum)·(1 + cos(π·(t−1)/totalSteps))/2.
 */
export function cosineSchedule(options: { initial: number; totalSteps: number; minimum?: number }): LearningRateSchedule {
  const { initial, totalSteps } = options;
  const minimum = options.minimum ?? 0;
  finiteAtLeast('cosineSchedule initial', initial, 0);
  positiveInteger('cosineSchedule totalSteps', totalSteps);
  finiteAtLeast('cosineSchedule minimum', minimum, 0);
  return (t) => {
    const progress = Math.min(t - 1, totalSteps) / totalSteps;
    return minimum + ((initial - minimum) * (1 + Math.cos(Math.PI * progress))) / 2;
  };
}

/**
 * Linear warm-up: η(t) = peak·t/warmupSteps for t ≤ warmupSteps, then `after(t − warmupSteps)` (a
 * schedule counted from the end of the warm-up) or `peak` when none is given.
 */
export function linearWarmupSchedule(options: {
  peak: number;
  warmupSteps: number;
  after?: LearningRateSchedule;
}): LearningRateSchedule {
  const { peak, warmupSteps, after } = options;
  finiteAtLeast('linearWarmupSchedule peak', peak, 0);
  positiveInteger('linearWarmupSchedule warmupSteps', warmupSteps);
  if (after !== undefined && typeof after !== 'function') {
    throw new ArgumentError('linearWarmupSchedule after', after, 'a schedule function');
  }
  return (t) => (t <= warmupSteps ? (peak * t) / warmupSteps : after === undefined ? peak : after(t - warmupSteps));
}
