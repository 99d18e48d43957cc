import { formatRate, formatRatio } from '@rmsprop/app-kit';
import { describeCase, formatSize, type BenchCase } from './bench-case.js';
import { FLAT_FAULTS_PER_STEP, FLAT_HEAP_BYTES, FLAT_YOUNG_BYTES, isFlat, type AllocationResult } from './allocation-check.js';
import type { BenchRow } from './bench-row.js';

/** One side of a ratio: an implementation in a case. */
export interface RowRef {
  readonly implementation: string;
  readonly case: BenchCase;
}

/** A goal stated as numerator ÷ denominator ≥ min, both measured in this run. */
export interface RatioGoal {
  readonly id: string;
  readonly title: string;
  readonly numerator: RowRef;
  readonly denominator: RowRef;
  /**
   * Where the goal's limit is the lower of two rows: the denominator is min(denominator, factor × this
   * row's rate), both measured in this run (two threads: the memory ceiling of two threads, or twice the
   * one-thread arithmetic bound, whichever is lower).
   */
  readonly orScaled?: { readonly ref: RowRef; readonly factor: number };
  readonly min: number;
  /**
   * A row that bounds the numerator from above, measured in the same run (sqrt-div: the divider's limit):
   * the report gives bound ÷ denominator, the most the ratio can be here.
   */
  readonly bound?: RowRef;
}

export type GoalStatus = 'met' | 'NOT met' | 'not measured';

export interface GoalResult {
  readonly id: string;
  readonly title: string;
  /** "≥ 0.85", "flat". */
  readonly target: string;
  readonly status: GoalStatus;
  /** The measured ratio (undefined when not measured or not a ratio). */
  readonly measured?: number;
  /** Where the number comes from, or why it is missing. */
  readonly detail: string;
  /** The goal's bound ÷ its denominator where the goal has a bound and both were measured: the most reachable here. */
  readonly reachable?: number;
}

/** The sizes of the path goals (float32 plain, one parameter). */
const PATH_GOAL_SIZES = [1e5, 1e7] as const;
/** The README's paths, each held to ≥ 1× PyTorch: the README's code, and the user's own arrays with every default. */
const PYTORCH_PATH_ROWS = ['readme', 'own-arrays'] as const;

const f32 = (variant: BenchCase['variant'], n: number, layout: BenchCase['layout'] = 'single'): BenchCase => ({ variant, dtype: 'float32', n, layout });

/** The speed goals, as ratios of rows measured in one run (float32 plain unless named). */
export const RATIO_GOALS: readonly RatioGoal[] = [
  {
    id: 'ceiling-1e7',
    title: 'N = 1e7: rmsprop-cpu vs the memory ceiling',
    numerator: { implementation: 'rmsprop-cpu', case: f32('plain', 1e7) },
    denominator: { implementation: 'ceiling', case: f32('plain', 1e7) },
    min: 0.85,
    bound: { implementation: 'sqrt-div', case: f32('plain', 1e7) },
  },
  {
    id: 'ceiling-1e7-2-threads',
    title: 'N = 1e7, 2 worker threads: rmsprop-cpu-2t vs the lower of the 2-thread memory ceiling and twice sqrt-div',
    numerator: { implementation: 'rmsprop-cpu-2t', case: f32('plain', 1e7) },
    denominator: { implementation: 'ceiling-2t', case: f32('plain', 1e7) },
    orScaled: { ref: { implementation: 'sqrt-div', case: f32('plain', 1e7) }, factor: 2 },
    min: 0.9,
  },
  ...(['plain', 'momentum', 'centered', 'centered+momentum'] as const).map(
    (variant): RatioGoal => ({
      id: `js-loop-1e5-${variant}`,
      title: `N = 1e5 (in cache), ${variant}: rmsprop-cpu vs js-loop`,
      numerator: { implementation: 'rmsprop-cpu', case: f32(variant, 1e5) },
      denominator: { implementation: 'js-loop', case: f32(variant, 1e5) },
      min: variant === 'plain' ? 6 : 5,
      bound: { implementation: 'sqrt-div', case: f32(variant, 1e5) },
    }),
  ),
  {
    id: 'tfjs-cpu-1e6',
    title: 'N = 1e6: rmsprop-cpu vs tf.train.rmsprop on tfjs cpu',
    numerator: { implementation: 'rmsprop-cpu', case: f32('plain', 1e6) },
    denominator: { implementation: 'tfjs-cpu', case: f32('plain', 1e6) },
    min: 300,
  },
  {
    id: 'tfjs-wasm-1e6',
    title: 'N = 1e6: rmsprop-cpu vs tf.train.rmsprop on tfjs wasm',
    numerator: { implementation: 'rmsprop-cpu', case: f32('plain', 1e6) },
    denominator: { implementation: 'tfjs-wasm', case: f32('plain', 1e6) },
    min: 10,
  },
  {
    id: 'layout-1000x1000',
    title: '1,000 parameters × 1,000 vs one parameter of 1e6 (rmsprop-cpu, same rounds)',
    numerator: { implementation: 'rmsprop-cpu', case: f32('plain', 1e6, '1000x1000') },
    denominator: { implementation: 'rmsprop-cpu-one', case: f32('plain', 1e6, '1000x1000') },
    min: 0.9,
  },
  {
    id: 'float64-js-loop-1e5',
    title: 'float64, N = 1e5: rmsprop-cpu vs js-loop',
    numerator: { implementation: 'rmsprop-cpu', case: { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' } },
    denominator: { implementation: 'js-loop', case: { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' } },
    min: 3,
    bound: { implementation: 'sqrt-div', case: { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' } },
  },
  ...PATH_GOAL_SIZES.flatMap((n): RatioGoal[] => [
    {
      id: `readme-path-${formatSize(n)}`,
      title: `N = ${formatSize(n)}: the README's path as written (readme: inPlace: false, gradientBuffer, step()) vs the careful path (rmsprop-cpu), same rounds`,
      numerator: { implementation: 'readme', case: f32('plain', n) },
      denominator: { implementation: 'rmsprop-cpu', case: f32('plain', n) },
      min: 0.9,
    },
    {
      id: `own-arrays-${formatSize(n)}`,
      title: `N = ${formatSize(n)}: defaults with the user's own arrays (own-arrays: mirrored, 'error') vs rmsprop-cpu`,
      numerator: { implementation: 'own-arrays', case: f32('plain', n) },
      denominator: { implementation: 'rmsprop-cpu', case: f32('plain', n) },
      min: 0.6,
    },
    {
      id: `views-error-${formatSize(n)}`,
      title: `N = ${formatSize(n)}: the careful path with the default 'error' policy (views-error) vs rmsprop-cpu`,
      numerator: { implementation: 'views-error', case: f32('plain', n) },
      denominator: { implementation: 'rmsprop-cpu', case: f32('plain', n) },
      min: 0.8,
    },
  ]),
  ...PATH_GOAL_SIZES.flatMap((n) =>
    PYTORCH_PATH_ROWS.map(
      (implementation): RatioGoal => ({
        id: `${implementation}-pytorch-${formatSize(n)}`,
        title: `N = ${formatSize(n)}: ${implementation} vs torch.optim.RMSprop (pytorch)`,
        numerator: { implementation, case: f32('plain', n) },
        denominator: { implementation: 'pytorch', case: f32('plain', n) },
        min: 1,
      }),
    ),
  ),
];

/** Rows by implementation and case, and why a row is missing where the run knows. */
export interface GoalInputs {
  readonly rows: readonly BenchRow[];
  /** Why `implementation` has no row for `c` (left out, unsupported, unavailable), if known. */
  readonly missingReason?: (implementation: string, c: BenchCase) => string | undefined;
  readonly allocation?: AllocationResult;
  /** Why there is no allocation result, if known. */
  readonly allocationMissing?: string;
}

function sameCase(a: BenchCase, b: BenchCase): boolean {
  return a.variant === b.variant && a.dtype === b.dtype && a.n === b.n && a.layout === b.layout;
}

function findRow(rows: readonly BenchRow[], ref: RowRef): BenchRow | undefined {
  return rows.find((r) => r.implementation === ref.implementation && sameCase(r, ref.case) && Number.isFinite(r.elementsPerSecond) && r.elementsPerSecond > 0);
}

function describeRef(ref: RowRef): string {
  return `${ref.implementation} ${describeCase(ref.case)}`;
}

/** A ratio goal from this run's rows: met, NOT met, or not measured (with the reason a row is missing). */
export function evaluateRatioGoal(goal: RatioGoal, inputs: GoalInputs): GoalResult {
  const target = `≥ ${goal.min}`;
  for (const ref of [goal.numerator, goal.denominator, ...(goal.orScaled === undefined ? [] : [goal.orScaled.ref])]) {
    if (findRow(inputs.rows, ref) === undefined) {
      const reason = inputs.missingReason?.(ref.implementation, ref.case) ?? 'not in this run';
      return { id: goal.id, title: goal.title, target, status: 'not measured', detail: `no ${describeRef(ref)}: ${reason}` };
    }
  }
  const top = findRow(inputs.rows, goal.numerator)!.elementsPerSecond;
  const denominator = findRow(inputs.rows, goal.denominator)!.elementsPerSecond;
  const scaled = goal.orScaled === undefined ? Infinity : goal.orScaled.factor * findRow(inputs.rows, goal.orScaled.ref)!.elementsPerSecond;
  const bottom = Math.min(denominator, scaled);
  const measured = top / bottom;
  const bound = goal.bound === undefined ? undefined : findRow(inputs.rows, goal.bound)?.elementsPerSecond;
  const reachable = bound === undefined ? undefined : bound / bottom;
  return {
    id: goal.id,
    title: goal.title,
    target,
    status: measured >= goal.min ? 'met' : 'NOT met',
    measured,
    detail:
      (goal.orScaled === undefined
        ? `${formatRate(top)} ÷ ${formatRate(bottom)} elements/s`
        : `${formatRate(top)} ÷ min(${goal.denominator.implementation} ${formatRate(denominator)}, ${goal.orScaled.factor} × ${goal.orScaled.ref.implementation} ${formatRate(scaled / goal.orScaled.factor)}) elements/s`) +
      (reachable === undefined ? '' : `; ${goal.bound!.implementation} ${formatRate(bound!)}: at most ${formatRatio(reachable)} here`),
    ...(reachable === undefined ? {} : { reachable }),
  };
}

/** The zero-allocation goal from the allocation check. */
export function evaluateAllocationGoal(inputs: GoalInputs): GoalResult {
  const base = { id: 'zero-allocation', title: 'zero allocation per step: heap and page faults flat over the check', target: 'flat' };
  const a = inputs.allocation;
  if (a === undefined) return { ...base, status: 'not measured', detail: inputs.allocationMissing ?? 'the allocation check did not run' };
  const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  return {
    ...base,
    status: isFlat(a) ? 'met' : 'NOT met',
    detail:
      `${a.steps} steps at n=${a.n}: ${a.collections} GCs, young generation ${kib(a.youngGrowthBytes)}, heap kept ${kib(a.heapUsedDeltaBytes)}, ` +
      `${a.minorPageFaults} minor page faults (flat: 0 GCs, ≤ ${kib(FLAT_YOUNG_BYTES)}, ±${kib(FLAT_HEAP_BYTES)}, ≤ ${FLAT_FAULTS_PER_STEP * a.steps} faults)`,
  };
}

/** Every goal, in the report's order. */
export function evaluateGoals(inputs: GoalInputs): GoalResult[] {
  const ratios = RATIO_GOALS.map((g) => evaluateRatioGoal(g, inputs));
  const layoutIndex = ratios.findIndex((r) => r.id === 'layout-1000x1000');
  return [...ratios.slice(0, layoutIndex + 1), evaluateAllocationGoal(inputs), ...ratios.slice(layoutIndex + 1)];
}
