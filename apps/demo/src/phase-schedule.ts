/**
 * How a run of `steps` steps is split into `phases` phases of (nearly) equal length: phase k covers the
 * steps [start(k), end(k)), and the later phases get the extra step where the split is uneven.
 */
export class PhaseSchedule {
  readonly steps: number;
  readonly phases: number;

  constructor(steps: number, phases: number) {
    if (!Number.isInteger(phases) || phases < 1) throw new RangeError(`phases must be an integer ≥ 1, got ${phases}`);
    if (!Number.isInteger(steps) || steps < phases) {
      throw new RangeError(`steps must be an integer ≥ the number of phases (${phases}), got ${steps}`);
    }
    this.steps = steps;
    this.phases = phases;
  }

  /** The first step (0-based) of phase k. */
  start(phase: number): number {
    return Math.floor((phase * this.steps) / this.phases);
  }

  /** One past the last step of phase k. */
  end(phase: number): number {
    return this.start(phase + 1);
  }

  /** The phase that step t (0-based, t < steps) belongs to; t = steps (after the last step) is in the last phase. */
  phaseOf(step: number): number {
    if (step >= this.steps) return this.phases - 1;
    return Math.floor(((step + 1) * this.phases - 1) / this.steps);
  }
}
