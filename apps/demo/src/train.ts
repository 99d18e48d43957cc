import type { BadlyScaledRegression } from './badly-scaled-regression.js';
import type { DemoOptimizer } from './demo-optimizer.js';
import type { PhaseSchedule } from './phase-schedule.js';

export interface TrainOptions {
  /** The loss to reach in each phase. */
  target: number;
  /** Called every `progressEvery` steps (default 250) with the step count and the current loss. */
  onProgress?: (step: number, loss: number) => void;
  progressEvery?: number;
  /** A loss above this (or not finite) stops the run as diverged (default 1e6 × the first loss). */
  divergenceLimit?: number;
}

/** One optimizer's run over every phase. */
export interface TrainingRun {
  readonly optimizer: string;
  readonly learningRate: number;
  /**
   * losses[t]: the loss after t steps, on the data of the phase that step t + 1 belongs to (for t = steps,
   * the last phase). Length steps + 1; NaN after a divergence.
   */
  readonly losses: Float64Array;
  /** Per phase: the loss at the end of the phase, on that phase's data. */
  readonly phaseEndLosses: Float64Array;
  /** Per phase: steps from the phase's start until the loss first reached the target, or null if it did not. */
  readonly stepsToTarget: readonly (number | null)[];
  /** The loss after the last step. */
  readonly finalLoss: number;
  readonly diverged: boolean;
  /** Recorded losses above the target (all of them after a divergence). */
  readonly stepsAboveTarget: number;
  /** Mean of log10(loss) over the recorded losses (Infinity after a divergence). */
  readonly meanLogLoss: number;
  /** Wall time of the steps (gradients included). */
  readonly milliseconds: number;
  /** Each weight's effective learning rate after the last step (see DemoOptimizer.effectiveLearningRates). */
  readonly effectiveLearningRates: Float64Array;
  readonly finalWeights: Float64Array;
}

/**
 * Train `optimizer` from its current weights for `schedule.steps` full-batch steps, switching data sets at
 * each phase boundary. The optimizer keeps its state across phases, as in fine-tuning or in a stream
 * whose statistics change.
 */
export function train(problem: BadlyScaledRegression, schedule: PhaseSchedule, optimizer: DemoOptimizer, options: TrainOptions): TrainingRun {
  if (schedule.phases !== problem.phases.length) {
    throw new RangeError(`the schedule has ${schedule.phases} phases but the problem has ${problem.phases.length}`);
  }
  const { target } = options;
  const progressEvery = options.progressEvery ?? 250;
  const steps = schedule.steps;
  const losses = new Float64Array(steps + 1).fill(Number.NaN);
  const phaseEndLosses = new Float64Array(schedule.phases).fill(Number.NaN);
  const stepsToTarget: (number | null)[] = new Array<number | null>(schedule.phases).fill(null);
  let limit = options.divergenceLimit;
  let diverged = false;

  const started = performance.now();
  for (let phase = 0; phase < schedule.phases && !diverged; phase++) {
    const start = schedule.start(phase);
    const end = schedule.end(phase);
    for (let t = start; t < end; t++) {
      const loss = problem.lossAndGradient(phase, optimizer.params, optimizer.gradient);
      limit ??= Math.max(1e6 * loss, 1);
      if (!(loss <= limit)) {
        diverged = true;
        break;
      }
      losses[t] = loss;
      if (loss <= target && stepsToTarget[phase] === null) stepsToTarget[phase] = t - start;
      if (options.onProgress !== undefined && t % progressEvery === 0) options.onProgress(t, loss);
      optimizer.step();
    }
    if (diverged) break;
    const endLoss = problem.loss(phase, optimizer.params);
    phaseEndLosses[phase] = endLoss;
    if (!(endLoss <= (limit ?? Infinity))) diverged = true;
    else if (endLoss <= target && stepsToTarget[phase] === null) stepsToTarget[phase] = end - start;
    if (phase === schedule.phases - 1 && !diverged) losses[steps] = endLoss;
  }
  const milliseconds = performance.now() - started;
  if (options.onProgress !== undefined && !diverged) options.onProgress(steps, losses[steps]);

  let stepsAboveTarget = 0;
  let logSum = 0;
  for (let t = 0; t <= steps; t++) {
    const loss = losses[t];
    if (!(loss <= target)) stepsAboveTarget++;
    logSum += Math.log10(Math.max(loss, 1e-300));
  }
  return {
    optimizer: optimizer.name,
    learningRate: optimizer.learningRate,
    losses,
    phaseEndLosses,
    stepsToTarget,
    finalLoss: losses[steps],
    diverged,
    stepsAboveTarget,
    meanLogLoss: diverged ? Infinity : logSum / (steps + 1),
    milliseconds,
    effectiveLearningRates: optimizer.effectiveLearningRates(),
    finalWeights: Float64Array.from(optimizer.params),
  };
}
