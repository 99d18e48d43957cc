import type { TrainingRun } from './train.js';

/** η = 10^(k/perDecade) from `smallest` to `largest` (both included when on the grid). */
export function learningRateGrid(smallest = 1e-4, largest = 10, perDecade = 4): number[] {
  if (!(smallest > 0 && largest >= smallest && Number.isInteger(perDecade) && perDecade >= 1)) {
    throw new RangeError(`need 0 < smallest ≤ largest and an integer perDecade ≥ 1, got ${smallest}, ${largest}, ${perDecade}`);
  }
  const from = Math.ceil(Math.log10(smallest) * perDecade - 1e-9);
  const to = Math.floor(Math.log10(largest) * perDecade + 1e-9);
  const grid: number[] = [];
  // Round to 3 significant digits so the printed values are the values used.
  for (let k = from; k <= to; k++) grid.push(Number(Math.pow(10, k / perDecade).toPrecision(3)));
  return grid;
}

/**
 * The tuning criterion, the same for every optimizer: fewer steps spent above the target loss is better;
 * ties (for example, never reaching it) go to the lower mean log-loss; a diverged run loses to any other.
 * Negative when `a` is better.
 */
export function compareRuns(a: TrainingRun, b: TrainingRun): number {
  if (a.diverged !== b.diverged) return a.diverged ? 1 : -1;
  if (a.stepsAboveTarget !== b.stepsAboveTarget) return a.stepsAboveTarget - b.stepsAboveTarget;
  if (a.meanLogLoss !== b.meanLogLoss) return a.meanLogLoss < b.meanLogLoss ? -1 : 1;
  return a.learningRate - b.learningRate;
}

export interface TuningResult {
  /** The best run on the grid. */
  readonly best: TrainingRun;
  /** Every run, in grid order. */
  readonly runs: readonly TrainingRun[];
}

/** Run `trainWith(η)` for each η on the grid and keep the best run by {@link compareRuns}. */
export function tuneLearningRate(grid: readonly number[], trainWith: (learningRate: number, index: number) => TrainingRun): TuningResult {
  if (grid.length === 0) throw new RangeError('the learning-rate grid is empty');
  const runs = grid.map((learningRate, index) => trainWith(learningRate, index));
  const best = runs.reduce((a, b) => (compareRuns(b, a) < 0 ? b : a));
  return { best, runs };
}
