import { describe, expect, it } from 'vitest';
import { rankRuns, summarizeResults, type SummaryContext } from './result-summary.js';
import type { TrainingRun } from './train.js';

function run(optimizer: string, stepsToTarget: (number | null)[], finalLoss: number, rates: number[] = [0.1, 0.2]): TrainingRun {
  return {
    optimizer,
    learningRate: 0.01,
    losses: new Float64Array([1, finalLoss]),
    phaseEndLosses: new Float64Array(stepsToTarget.length),
    stepsToTarget,
    finalLoss,
    diverged: false,
    stepsAboveTarget: 0,
    meanLogLoss: 0,
    milliseconds: 1,
    effectiveLearningRates: Float64Array.from(rates),
    finalWeights: new Float64Array(rates.length),
  };
}

const context: SummaryContext = { phases: 4, weight: 1, scaleHistory: [10, 0.1, 10, 0.1], curvature: 0.0092 };

describe('rankRuns', () => {
  it('puts more phases reached first, then the lower final loss, without reordering the input', () => {
    const a = run('A', [1, null, null, null], 1e-4);
    const b = run('B', [1, 2, 3, 4], 5e-3);
    const c = run('C', [null, 2, 3, 4], 1e-3);
    const d = run('D', [1, 2, 3, null], 1e-3);
    const input = [a, b, c, d];
    expect(rankRuns(input).map((r) => r.optimizer)).toEqual(['B', 'C', 'D', 'A']);
    expect(input.map((r) => r.optimizer)).toEqual(['A', 'B', 'C', 'D']);
  });
});

describe('summarizeResults', () => {
  it('names the winner, the others’ counts, and whether it also has the lowest loss', () => {
    const text = summarizeResults(
      [run('SGD', [null, null, null, null], 1.9e-2), run('AdaGrad', [7, null, null, null], 1.1e-2), run('RMSProp', [271, 443, 445, 585], 6.5e-4)],
      context,
    );
    expect(text).toMatch(/^RMSProp does best: it reached the target in all 4 phases \(AdaGrad in 1, SGD in 0\) and ends with the lowest loss\./);
  });

  it('says so when another optimizer ends lower than the winner', () => {
    const text = summarizeResults([run('RMSProp', [1, 2, 3, null], 2e-3), run('SGD', [1, null, null, null], 5e-4)], context);
    expect(text).toContain('RMSProp does best: it reached the target in 3 of 4 phases (SGD in 1)');
    expect(text).toContain('though SGD ends with a lower loss (5e-4 against 0.002)');
  });

  it('tells the AdaGrad story only when AdaGrad was faster at first and reached fewer later phases', () => {
    const sgd = run('SGD', [null, null, null, null], 1e-2);
    const fastThenStuck = summarizeResults([sgd, run('AdaGrad', [7, null, 50, null], 1e-2), run('RMSProp', [271, 443, 445, 585], 1e-4)], context);
    expect(fastThenStuck).toContain('AdaGrad was the fastest on the first data set');
    expect(fastThenStuck).toContain('in only 1 of the 3 later ones');
    const slowerFirst = summarizeResults([sgd, run('AdaGrad', [300, null, null, null], 1e-2), run('RMSProp', [271, 443, 445, 585], 1e-4)], context);
    expect(slowerFirst).not.toContain('AdaGrad was the fastest');
    const keepsUp = summarizeResults([sgd, run('AdaGrad', [7, 8, 9, 10], 1e-3), run('RMSProp', [271, 443, 445, 585], 1e-4)], context);
    expect(keepsUp).not.toContain('AdaGrad was the fastest');
    const onePhase = summarizeResults([run('AdaGrad', [7], 1e-3), run('RMSProp', [271], 1e-4)], { ...context, phases: 1, scaleHistory: [10] });
    expect(onePhase).not.toContain('later ones');
  });

  it('reports each optimizer’s learning rate for the chosen weight next to 1/curvature', () => {
    const text = summarizeResults([run('SGD', [null, null, null, null], 1e-2, [0.5, 0.0178]), run('RMSProp', [1, 2, 3, 4], 1e-4, [9, 31.6])], context);
    expect(text).toContain('for w[1], whose feature scale went 10 → 0.1 → 10 → 0.1');
    expect(text).toContain('curvature now 0.0092, so about 1/0.0092 = 110 would suit it');
    expect(text).toMatch(/SGD 0\.018, RMSProp 32\.$/);
  });

  it('handles no runs', () => {
    expect(summarizeResults([], context)).toBe('no runs');
  });
});
