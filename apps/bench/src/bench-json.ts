import type { AllocationResult } from './allocation-check.js';
import type { BenchRow, BenchSkip } from './bench-row.js';
import type { GoalResult } from './goals.js';
import type { MachineInfo } from './machine-info.js';
import type { MeasureSettings } from './measure-case.js';

/** The --json document. `rows` has one field per measured quantity; the rest is context. */
export interface BenchJson {
  readonly machine: MachineInfo;
  readonly rows: readonly {
    readonly implementation: string;
    readonly variant: string;
    readonly dtype: string;
    readonly n: number;
    readonly layout: string;
    readonly elementsPerSecond: number;
  }[];
  readonly goals: readonly GoalResult[];
  readonly allocation: AllocationResult | null;
  readonly skipped: readonly { implementation: string; variant?: string; dtype?: string; n?: number; layout?: string; reason: string }[];
  readonly settings: MeasureSettings & { readonly quick: boolean };
  readonly implementations: Readonly<Record<string, string>>;
}

export interface BenchJsonInputs {
  readonly machine: MachineInfo;
  readonly rows: readonly BenchRow[];
  readonly goals: readonly GoalResult[];
  readonly allocation: AllocationResult | undefined;
  readonly skipped: readonly BenchSkip[];
  readonly settings: MeasureSettings & { readonly quick: boolean };
  /** Implementation name → what it runs. */
  readonly implementations: Readonly<Record<string, string>>;
}

/** The --json document for a run; rows that failed before any sample are left out. */
export function benchJson(inputs: BenchJsonInputs): BenchJson {
  return {
    machine: inputs.machine,
    rows: inputs.rows
      .filter((r) => Number.isFinite(r.elementsPerSecond))
      .map((r) => ({ implementation: r.implementation, variant: r.variant, dtype: r.dtype, n: r.n, layout: r.layout, elementsPerSecond: r.elementsPerSecond })),
    goals: inputs.goals,
    allocation: inputs.allocation ?? null,
    skipped: inputs.skipped.map((s) => ({
      implementation: s.implementation,
      ...(s.case === undefined ? {} : { variant: s.case.variant, dtype: s.case.dtype, n: s.case.n, layout: s.case.layout }),
      reason: s.reason,
    })),
    settings: inputs.settings,
    implementations: inputs.implementations,
  };
}
