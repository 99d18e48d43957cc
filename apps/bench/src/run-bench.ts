import type { NonFiniteGradientPolicy } from '@rmsprop/core';
import { checkAllocation, type AllocationResult } from './allocation-check.js';
import { caseKey, describeCase, type BenchCase } from './bench-case.js';
import type { PlannedCase } from './bench-plan.js';
import type { BenchRow, BenchSkip } from './bench-row.js';
import type { Implementation } from './implementation.js';
import { eventsPerCase, measureCase, type Entrant, type MeasureSettings } from './measure-case.js';
import type { ProgressBar } from './progress-bar.js';
import { createCpuStepper } from './rmsprop-cpu.js';

export interface BenchOptions {
  readonly plan: readonly PlannedCase[];
  readonly settings: MeasureSettings;
  readonly implementations: readonly Implementation[];
  /** Steps of the zero-allocation check (0: skip it). */
  readonly allocSteps: number;
  readonly nonFinite: NonFiniteGradientPolicy;
  readonly progress?: ProgressBar;
}

export interface BenchResult {
  readonly rows: BenchRow[];
  readonly skipped: BenchSkip[];
  /** Rounds each row's median was taken over, by implementation and case. */
  readonly samples: ReadonlyMap<string, number>;
  readonly allocation?: AllocationResult;
  readonly allocationMissing?: string;
  readonly seconds: number;
}

/** The case of the zero-allocation check: rmsprop-cpu, float32 plain, one parameter of 1e5. */
export const ALLOCATION_CASE: BenchCase = { variant: 'plain', dtype: 'float32', n: 1e5, layout: 'single' };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Who runs in a case: every implementation, less those the plan leaves out and those that cannot run it. */
function entrantsFor(c: PlannedCase, implementations: readonly Implementation[], skipped: BenchSkip[]): Implementation[] {
  return implementations.filter((impl) => {
    const reason = c.leaveOut?.[impl.name] ?? impl.unsupported(c);
    if (reason !== undefined) skipped.push({ implementation: impl.name, case: c, reason });
    return reason === undefined;
  });
}

/**
 * Runs the plan: for each case, creates every implementation's instance, measures them interleaved
 * (measureCase), records the medians and frees the instances before the next case; then the zero-allocation
 * check. Progress goes to `options.progress`.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const start = performance.now();
  const { plan, settings, implementations, progress } = options;
  const rows: BenchRow[] = [];
  const skipped: BenchSkip[] = [];
  const samples = new Map<string, number>();
  const perCase = plan.map((c) => entrantsFor(c, implementations, []).length);
  const allocationUnits = options.allocSteps > 0 ? 1 : 0;
  const total = perCase.reduce((sum, k) => sum + eventsPerCase(k, settings), 0) + allocationUnits;
  let done = 0;

  for (let index = 0; index < plan.length; index++) {
    const c = plan[index];
    const stage = `case ${index + 1}/${plan.length}: ${describeCase(c)}`;
    progress?.update(done, total, stage, 'setting up');
    const entrants: Entrant[] = [];
    const expected = eventsPerCase(perCase[index], settings);
    try {
      for (const impl of entrantsFor(c, implementations, skipped)) {
        try {
          entrants.push({ name: impl.name, instance: await impl.create(c) });
        } catch (error) {
          skipped.push({ implementation: impl.name, case: c, reason: `setup failed: ${message(error)}` });
        }
      }
      const caseStart = done;
      const measurements = await measureCase(c, entrants, settings, (event) => {
        done++;
        progress?.update(done, total, stage, `${event.name} ${event.phase === 'warm-up' ? 'warm-up' : `round ${event.round}/${settings.rounds}`}`);
      });
      done = caseStart + expected;
      for (const m of measurements) {
        if (m.samples.length > 0) {
          rows.push({ implementation: m.name, ...pickCase(c), elementsPerSecond: m.elementsPerSecond });
          samples.set(`${m.name}|${caseKey(c)}`, m.samples.length);
        }
        if (m.error !== undefined) skipped.push({ implementation: m.name, case: c, reason: `failed: ${m.error}` });
      }
    } finally {
      for (const e of entrants) {
        try {
          await e.instance.dispose();
        } catch {
          // a failed dispose must not hide the results
        }
      }
    }
  }

  let allocation: AllocationResult | undefined;
  let allocationMissing: string | undefined;
  if (options.allocSteps <= 0) allocationMissing = 'skipped (--alloc-steps 0)';
  else if (!implementations.some((i) => i.name === 'rmsprop-cpu')) allocationMissing = 'rmsprop-cpu is not in this run';
  else {
    progress?.update(done, total, `zero-allocation check: rmsprop-cpu, ${options.allocSteps} steps, ${describeCase(ALLOCATION_CASE)}`);
    try {
      const stepper = await createCpuStepper(ALLOCATION_CASE, {}, options.nonFinite);
      try {
        allocation = await checkAllocation(stepper.step, options.allocSteps, ALLOCATION_CASE.n);
      } finally {
        stepper.dispose();
      }
    } catch (error) {
      allocationMissing = `failed: ${message(error)}`;
    }
    done++;
  }
  progress?.update(total, total, 'done');
  progress?.clear();
  return { rows, skipped, samples, allocation, allocationMissing, seconds: (performance.now() - start) / 1000 };
}

function pickCase(c: BenchCase): BenchCase {
  return { variant: c.variant, dtype: c.dtype, n: c.n, layout: c.layout };
}
