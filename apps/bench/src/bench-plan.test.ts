import { describe, expect, it } from 'vitest';
import { describeCase } from './bench-case.js';
import { buildPlan, FULL_SIZES, measureSettings, QUICK_SIZES } from './bench-plan.js';
import { RATIO_GOALS } from './goals.js';
import { PATH_IMPLEMENTATION_NAMES } from './path-rows.js';

const labels = (plan: ReturnType<typeof buildPlan>): string[] => plan.map(describeCase);

describe('buildPlan', () => {
  it('--quick has every case a goal needs', () => {
    const plan = labels(buildPlan({ quick: true }));
    for (const goal of RATIO_GOALS) {
      expect(plan).toContain(describeCase(goal.numerator.case));
      expect(plan).toContain(describeCase(goal.denominator.case));
    }
  });

  it('--quick runs float32 plain at every size and the other variants at 1e5 only', () => {
    const plan = buildPlan({ quick: true });
    expect(plan.filter((c) => c.dtype === 'float32' && c.variant === 'plain' && c.layout === 'single').map((c) => c.n)).toEqual([...QUICK_SIZES]);
    expect(new Set(plan.filter((c) => c.variant !== 'plain').map((c) => c.n))).toEqual(new Set([1e5]));
    expect(plan.filter((c) => c.dtype === 'float64').map((c) => c.n)).toEqual([1e5, 1e7]);
  });

  it('--quick leaves tf.train on tfjs cpu out at 1e7, saying why', () => {
    const big = buildPlan({ quick: true }).filter((c) => c.n === 1e7);
    expect(big.length).toBeGreaterThan(0);
    for (const c of big) expect(c.leaveOut?.['tfjs-cpu']).toMatch(/--quick/);
    expect(buildPlan({ quick: false }).every((c) => c.leaveOut?.['tfjs-cpu'] === undefined)).toBe(true);
  });

  for (const quick of [true, false]) {
    it(`${quick ? '--quick' : 'full'}: the path rows run wherever rmsprop-cpu runs float32 plain (every size, and the 1000x1000 layout), and sit out the rest`, () => {
      const plan = buildPlan({ quick });
      const runs = (c: (typeof plan)[number]): boolean => PATH_IMPLEMENTATION_NAMES.every((name) => c.leaveOut?.[name] === undefined);
      const pathCases = plan.filter(runs);
      expect(pathCases.filter((c) => c.layout === 'single').map((c) => c.n)).toEqual([...(quick ? QUICK_SIZES : FULL_SIZES)]);
      expect(pathCases.filter((c) => c.layout === '1000x1000').map(describeCase)).toEqual(['float32 plain n=1e6 1000x1000']);
      for (const c of pathCases) expect(c).toMatchObject({ dtype: 'float32', variant: 'plain' });
      for (const c of plan.filter((k) => !runs(k))) {
        for (const name of PATH_IMPLEMENTATION_NAMES) expect(c.leaveOut?.[name]).toMatch(/float32 plain cases only/);
      }
    });
  }

  it('the full plan crosses every size with every float32 variant, float64 plain, and the layout for every variant', () => {
    const plan = buildPlan({ quick: false });
    expect(plan).toHaveLength(FULL_SIZES.length * 5 + 4);
    expect(plan.filter((c) => c.layout === '1000x1000').map((c) => c.variant)).toEqual(['plain', 'momentum', 'centered', 'centered+momentum']);
  });

  it('runs smaller n first', () => {
    const ns = buildPlan({ quick: false }).map((c) => c.n);
    expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });

  it('takes sizes from the command line and filters by variant, dtype and layout', () => {
    expect(labels(buildPlan({ quick: true, sizes: [1000] }))).toEqual(['float32 plain n=1e3']);
    expect(labels(buildPlan({ quick: false, sizes: [64, 64], variants: ['momentum'], dtypes: ['float32'] }))).toEqual(['float32 momentum n=64']);
    expect(labels(buildPlan({ quick: true, layouts: ['1000x1000'] }))).toEqual(['float32 plain n=1e6 1000x1000']);
  });
});

describe('measureSettings', () => {
  it('keeps ≥ ~100 ms samples and rounds of medians in both modes; --quick has fewer, shorter ones', () => {
    const quick = measureSettings(true);
    const full = measureSettings(false);
    expect(quick.targetSeconds).toBeGreaterThanOrEqual(0.1);
    expect(full.targetSeconds).toBeGreaterThanOrEqual(0.1);
    expect(quick.rounds).toBeLessThan(full.rounds);
    expect(measureSettings(true, { rounds: 9 }).rounds).toBe(9);
  });
});
