import { describe, expect, it } from 'vitest';
import type { TrainingRun } from './train.js';
import { compareRuns, learningRateGrid, tuneLearningRate } from './tune-learning-rate.js';

function run(learningRate: number, stepsAboveTarget: number, meanLogLoss: number, diverged = false): TrainingRun {
  return {
    optimizer: 'X',
    learningRate,
    losses: new Float64Array(1),
    phaseEndLosses: new Float64Array(1),
    stepsToTarget: [null],
    finalLoss: 0,
    diverged,
    stepsAboveTarget,
    meanLogLoss,
    milliseconds: 0,
    effectiveLearningRates: new Float64Array(1),
    finalWeights: new Float64Array(1),
  };
}

describe('learningRateGrid', () => {
  it('gives 10^(k/4) from 1e-4 to 10 in 3 significant digits: 21 values', () => {
    const grid = learningRateGrid();
    expect(grid).toHaveLength(21);
    expect(grid[0]).toBe(1e-4);
    expect(grid[4]).toBe(1e-3);
    expect(grid[20]).toBe(10);
    expect(grid.slice(0, 4)).toEqual([0.0001, 0.000178, 0.000316, 0.000562]);
    for (let k = 0; k < grid.length; k++) expect(Math.abs(grid[k] / Math.pow(10, k / 4 - 4) - 1)).toBeLessThan(0.005);
  });

  it('takes other ranges and densities and rejects bad ones', () => {
    expect(learningRateGrid(0.01, 1, 1)).toEqual([0.01, 0.1, 1]);
    expect(learningRateGrid(0.02, 0.5, 2)).toEqual([0.0316, 0.1, 0.316]);
    expect(() => learningRateGrid(0, 1)).toThrow(RangeError);
    expect(() => learningRateGrid(1, 0.1)).toThrow(RangeError);
    expect(() => learningRateGrid(0.1, 1, 1.5)).toThrow(RangeError);
  });
});

describe('compareRuns and tuneLearningRate', () => {
  it('prefers a run that did not diverge, then fewer steps above the target, then the lower mean log-loss, then the smaller η', () => {
    expect(compareRuns(run(1, 1000, 5), run(2, 0, -9, true))).toBeLessThan(0);
    expect(compareRuns(run(1, 10, 5), run(2, 20, -9))).toBeLessThan(0);
    expect(compareRuns(run(1, 10, -3), run(2, 10, -2))).toBeLessThan(0);
    expect(compareRuns(run(2, 10, -2), run(1, 10, -3))).toBeGreaterThan(0);
    expect(compareRuns(run(1, 10, -2), run(2, 10, -2))).toBeLessThan(0);
  });

  it('trains every η on the grid in order and keeps the best', () => {
    const seen: [number, number][] = [];
    const result = tuneLearningRate([0.1, 0.2, 0.4, 0.8], (lr, index) => {
      seen.push([lr, index]);
      // Best at 0.4; 0.8 diverges.
      return run(lr, lr === 0.4 ? 5 : 50, -lr, lr === 0.8);
    });
    expect(seen).toEqual([
      [0.1, 0],
      [0.2, 1],
      [0.4, 2],
      [0.8, 3],
    ]);
    expect(result.runs.map((r) => r.learningRate)).toEqual([0.1, 0.2, 0.4, 0.8]);
    expect(result.best.learningRate).toBe(0.4);
    expect(() => tuneLearningRate([], () => run(1, 0, 0))).toThrow(/empty/);
  });
});
