import { BENCH_DTYPES, LAYOUTS, VARIANTS, type BenchCase, type BenchDType, type Layout, type Variant } from './bench-case.js';
import type { MeasureSettings } from './measure-case.js';
import { isPathCase, PATH_IMPLEMENTATION_NAMES } from './path-rows.js';

/** A case to run, with the implementations left out of it on purpose and why. */
export interface PlannedCase extends BenchCase {
  /** Implementation name → reason it is left out of this case. */
  readonly leaveOut?: Readonly<Record<string, string>>;
}

export interface PlanOptions {
  readonly quick: boolean;
  /** Replaces the default sizes. */
  readonly sizes?: readonly number[];
  /** Keep only these (default: all the plan has). */
  readonly variants?: readonly Variant[];
  readonly dtypes?: readonly BenchDType[];
  readonly layouts?: readonly Layout[];
}

export const FULL_SIZES: readonly number[] = [1e3, 1e4, 1e5, 1e6, 1e7];
export const QUICK_SIZES: readonly number[] = [1e3, 1e5, 1e6, 1e7];

/** Peers whose one step at 1e7 takes seconds: --quick leaves them out there. */
const SLOW_AT_1E7 = ['tfjs-cpu', 'rmsprop-tfjs-cpu'];

/**
 * The cases, smallest n first.
 *
 * Full: float32 × every variant and float64 plain at every size, and the 1000x1000 layout (n = 1e6) for every
 * float32 variant.
 *
 * Both: the path rows (readme, own-arrays, own-arrays-read-only, own-arrays-propagate, views-error,
 * js-in-place) run in the float32 plain cases (every size, and the 1000x1000 layout), where the path goals
 * divide them by rmsprop-cpu and pytorch of the same rounds, and are left out of the others.
 *
 * --quick: what the goals need and little more: float32 plain at every size; momentum, centered and
 * centered+momentum at 1e5; float64 plain at 1e5 and 1e7; the 1000x1000 layout for float32 plain; tf.train
 * on tfjs's cpu backend (seconds per step) left out at 1e7.
 */
export function buildPlan(options: PlanOptions): PlannedCase[] {
  const { quick } = options;
  const sizes = [...new Set(options.sizes ?? (quick ? QUICK_SIZES : FULL_SIZES))].sort((a, b) => a - b);
  const cases: PlannedCase[] = [];
  const leaveOut = (c: BenchCase): Record<string, string> | undefined => {
    const out: Record<string, string> = {};
    if (quick && c.n >= 1e7) for (const name of SLOW_AT_1E7) out[name] = 'left out of --quick at n ≥ 1e7 (seconds per step)';
    if (!isPathCase(c)) for (const name of PATH_IMPLEMENTATION_NAMES) out[name] = 'path rows run in the float32 plain cases only (the path goals and tables are float32 plain)';
    return Object.keys(out).length === 0 ? undefined : out;
  };
  const add = (c: BenchCase): void => {
    const out = leaveOut(c);
    cases.push(out === undefined ? c : { ...c, leaveOut: out });
  };
  for (const n of sizes) {
    for (const variant of VARIANTS) {
      if (variant === 'plain' || !quick || n === 1e5) add({ variant, dtype: 'float32', n, layout: 'single' });
    }
    if (!quick || n === 1e5 || n === 1e7) add({ variant: 'plain', dtype: 'float64', n, layout: 'single' });
    if (n === 1e6) {
      for (const variant of VARIANTS) {
        if (variant === 'plain' || !quick) add({ variant, dtype: 'float32', n, layout: '1000x1000' });
      }
    }
  }
  const variants = new Set(options.variants ?? VARIANTS);
  const dtypes = new Set(options.dtypes ?? BENCH_DTYPES);
  const layouts = new Set(options.layouts ?? LAYOUTS);
  return cases.filter((c) => variants.has(c.variant) && dtypes.has(c.dtype) && layouts.has(c.layout));
}

/** Warm-up, rounds and sample length: --quick keeps the methodology and runs fewer, shorter rounds. */
export function measureSettings(quick: boolean, overrides: Partial<MeasureSettings> = {}): MeasureSettings {
  const base: MeasureSettings = quick
    ? { rounds: 3, warmupSeconds: 0.05, targetSeconds: 0.1, slowStepSeconds: 0.25, slowRounds: 1 }
    : { rounds: 5, warmupSeconds: 0.2, targetSeconds: 0.15, slowStepSeconds: 0.5, slowRounds: 3 };
  return { ...base, ...overrides };
}
