import { describe, expect, it } from 'vitest';
import { BadlyScaledRegression } from './badly-scaled-regression.js';
import type { DemoOptimizer } from './demo-optimizer.js';
import { PhaseSchedule } from './phase-schedule.js';
import { Sgd } from './sgd.js';
import { train } from './train.js';

const problem = new BadlyScaledRegression({ features: 3, examples: 24, phases: 2, noise: 0, seed: 1 });
const schedule = new PhaseSchedule(20, 2);

/** An "optimizer" that jumps to the least-squares weights of the phase its next step belongs to. */
class Oracle implements DemoOptimizer {
  readonly name = 'Oracle';
  readonly learningRate = 1;
  readonly params = new Float64Array(3);
  readonly gradient = new Float64Array(3);
  steps = 0;
  step(): void {
    this.params.set(problem.bestFit(schedule.phaseOf(this.steps)).weights);
    this.steps++;
  }
  effectiveLearningRates(): Float64Array {
    return new Float64Array([1, 2, 3]);
  }
  dispose(): void {}
}

describe('train', () => {
  it('records the loss before each step on that step’s phase, and the end loss last', () => {
    const zero = new Float64Array(3);
    const result = train(problem, schedule, new Sgd(zero, { learningRate: 0 }), { target: 1e-12 });
    const l0 = problem.loss(0, zero);
    const l1 = problem.loss(1, zero);
    expect(Array.from(result.losses)).toEqual([...new Array<number>(10).fill(l0), ...new Array<number>(11).fill(l1)]);
    expect(Array.from(result.phaseEndLosses)).toEqual([l0, l1]);
    expect(result.finalLoss).toBe(l1);
    expect(result.stepsToTarget).toEqual([null, null]);
    expect(result.stepsAboveTarget).toBe(21);
    expect(result.meanLogLoss).toBeCloseTo((10 * Math.log10(l0) + 11 * Math.log10(l1)) / 21, 12);
    expect(result.diverged).toBe(false);
    expect(result.optimizer).toBe('SGD');
    expect(Array.from(result.finalWeights)).toEqual([0, 0, 0]);
  });

  it('counts the steps to the target from each phase’s start', () => {
    const oracle = new Oracle();
    const result = train(problem, schedule, oracle, { target: 1e-20 });
    expect(oracle.steps).toBe(20);
    // Step 0 is at w = 0; after one step each phase sits at its optimum (noise 0: loss ≈ 0).
    expect(result.stepsToTarget).toEqual([1, 1]);
    // Above the target: the first loss of each phase only.
    expect(result.stepsAboveTarget).toBe(2);
    expect(result.finalLoss).toBeLessThan(1e-20);
    expect(Array.from(result.effectiveLearningRates)).toEqual([1, 2, 3]);
    expect(Array.from(result.finalWeights)).toEqual(Array.from(problem.bestFit(1).weights));
    // A target the start already meets counts 0 steps.
    expect(train(problem, schedule, new Oracle(), { target: 1e9 }).stepsToTarget).toEqual([0, 0]);
  });

  it('stops a diverging run and marks its losses NaN', () => {
    const result = train(problem, schedule, new Sgd(new Float64Array(3), { learningRate: 1e3 }), { target: 1e-3 });
    expect(result.diverged).toBe(true);
    expect(result.finalLoss).toBeNaN();
    expect(result.meanLogLoss).toBe(Infinity);
    expect(result.stepsAboveTarget).toBe(21);
    expect(Number.isFinite(result.losses[0])).toBe(true);
  });

  it('reports progress every progressEvery steps and once at the end', () => {
    const calls: number[] = [];
    train(problem, schedule, new Sgd(new Float64Array(3), { learningRate: 0 }), {
      target: 1e-3,
      progressEvery: 7,
      onProgress: (step) => calls.push(step),
    });
    expect(calls).toEqual([0, 7, 14, 20]);
  });

  it('rejects a schedule with a different number of phases', () => {
    expect(() => train(problem, new PhaseSchedule(20, 3), new Sgd(new Float64Array(3), { learningRate: 0 }), { target: 1 })).toThrow(/3 phases/);
  });
});
