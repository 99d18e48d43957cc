import { describe, expect, it } from 'vitest';
import type { AllocationResult } from './allocation-check.js';
import type { BenchCase } from './bench-case.js';
import type { BenchRow } from './bench-row.js';
import { evaluateAllocationGoal, evaluateGoals, evaluateRatioGoal, RATIO_GOALS, type RatioGoal } from './goals.js';

const f32 = (variant: BenchCase['variant'], n: number, layout: BenchCase['layout'] = 'single'): BenchCase => ({ variant, dtype: 'float32', n, layout });
const row = (implementation: string, c: BenchCase, elementsPerSecond: number): BenchRow => ({ implementation, ...c, elementsPerSecond });
const goal = (id: string): RatioGoal => RATIO_GOALS.find((g) => g.id === id)!;

const flat: AllocationResult = { steps: 10_000, n: 1e5, youngGrowthBytes: 14_000, collections: 0, heapUsedDeltaBytes: -20_000, minorPageFaults: 3, seconds: 1, attempts: 1 };

describe('evaluateRatioGoal', () => {
  it('is met when the measured ratio reaches the target, and reports the ratio and both rates', () => {
    const rows = [row('rmsprop-cpu', f32('plain', 1e7), 2.0e9), row('ceiling', f32('plain', 1e7), 2.2e9)];
    const result = evaluateRatioGoal(goal('ceiling-1e7'), { rows });
    expect(result.status).toBe('met');
    expect(result.measured).toBeCloseTo(2.0 / 2.2, 12);
    expect(result.target).toBe('≥ 0.85');
    expect(result.detail).toBe('2.00e9 ÷ 2.20e9 elements/s');
  });

  it('reports the most the ratio can be where the goal has a bound row (sqrt-div) in the run', () => {
    const rows = [
      row('rmsprop-cpu', { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' }, 5.3e8),
      row('js-loop', { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' }, 2.65e8),
      row('sqrt-div', { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' }, 5.4e8),
    ];
    const result = evaluateRatioGoal(goal('float64-js-loop-1e5'), { rows });
    expect(result.status).toBe('NOT met');
    expect(result.reachable).toBeCloseTo(5.4 / 2.65, 12);
    expect(result.detail).toBe('5.30e8 ÷ 2.65e8 elements/s; sqrt-div 5.40e8: at most 2.04 here');
    // Without the bound row: no reachable figure.
    expect(evaluateRatioGoal(goal('float64-js-loop-1e5'), { rows: rows.slice(0, 2) }).reachable).toBeUndefined();
  });

  it('is NOT met below the target, with the same measured ratio', () => {
    const rows = [row('rmsprop-cpu', f32('plain', 1e7), 1.0e9), row('ceiling', f32('plain', 1e7), 2.0e9)];
    const result = evaluateRatioGoal(goal('ceiling-1e7'), { rows });
    expect(result.status).toBe('NOT met');
    expect(result.measured).toBe(0.5);
  });

  it('counts exactly the target as met', () => {
    const rows = [row('rmsprop-cpu', f32('plain', 1e5), 6e9), row('js-loop', f32('plain', 1e5), 1e9)];
    expect(evaluateRatioGoal(goal('js-loop-1e5-plain'), { rows }).status).toBe('met');
  });

  it('takes rows of the goal’s own case only: variant, dtype, n and layout must all match', () => {
    const rows = [
      row('rmsprop-cpu', f32('plain', 1e6, '1000x1000'), 0.95e9),
      row('rmsprop-cpu-one', f32('plain', 1e6, '1000x1000'), 1e9),
      row('rmsprop-cpu', f32('plain', 1e6), 2e9),
      row('rmsprop-cpu-one', f32('plain', 1e6), 4e9),
      row('rmsprop-cpu', f32('momentum', 1e6), 1e6),
      row('rmsprop-cpu', { variant: 'plain', dtype: 'float64', n: 1e6, layout: 'single' }, 1e6),
    ];
    const result = evaluateRatioGoal(goal('layout-1000x1000'), { rows });
    expect(result.status).toBe('met');
    expect(result.measured).toBeCloseTo(0.95, 12);
  });

  it('is not measured when a row is missing, with the reason the run gives', () => {
    const rows = [row('ceiling', f32('plain', 1e7), 2e9)];
    const reason = (implementation: string): string | undefined => (implementation === 'rmsprop-cpu-2t' ? 'no threads option' : undefined);
    const result = evaluateRatioGoal(goal('ceiling-1e7-2-threads'), { rows, missingReason: reason });
    expect(result.status).toBe('not measured');
    expect(result.measured).toBeUndefined();
    expect(result.detail).toBe('no rmsprop-cpu-2t float32 plain n=1e7: no threads option');
    expect(evaluateRatioGoal(goal('tfjs-cpu-1e6'), { rows }).detail).toMatch(/not in this run$/);
  });

  it('divides by the lower of two limits where a goal has two: the 2-thread ceiling or twice sqrt-div', () => {
    const c = f32('plain', 1e7);
    const memoryBound = [row('rmsprop-cpu-2t', c, 1.8e9), row('ceiling-2t', c, 2e9), row('sqrt-div', c, 1.5e9)];
    const a = evaluateRatioGoal(goal('ceiling-1e7-2-threads'), { rows: memoryBound });
    expect(a).toMatchObject({ status: 'met', detail: '1.80e9 ÷ min(ceiling-2t 2.00e9, 2 × sqrt-div 1.50e9) elements/s' });
    expect(a.measured).toBeCloseTo(0.9, 12);
    const divideBound = [row('rmsprop-cpu-2t', c, 1.7e9), row('ceiling-2t', c, 4e9), row('sqrt-div', c, 1e9)];
    const b = evaluateRatioGoal(goal('ceiling-1e7-2-threads'), { rows: divideBound });
    expect(b.status).toBe('NOT met');
    expect(b.measured).toBeCloseTo(0.85, 12);
    const noSqrtDiv = evaluateRatioGoal(goal('ceiling-1e7-2-threads'), { rows: memoryBound.slice(0, 2) });
    expect(noSqrtDiv).toMatchObject({ status: 'not measured', detail: 'no sqrt-div float32 plain n=1e7: not in this run' });
  });

  it('treats a failed row (NaN) as missing', () => {
    const rows = [row('rmsprop-cpu', f32('plain', 1e6), 1e9), row('tfjs-wasm', f32('plain', 1e6), NaN)];
    expect(evaluateRatioGoal(goal('tfjs-wasm-1e6'), { rows }).status).toBe('not measured');
  });
});

describe('the path goals', () => {
  const rows = (n: number): BenchRow[] => [
    row('rmsprop-cpu', f32('plain', n), 1e9),
    row('readme', f32('plain', n), 0.88e9),
    row('own-arrays', f32('plain', n), 0.7e9),
    row('own-arrays-propagate', f32('plain', n), 0.75e9),
    row('views-error', f32('plain', n), 0.85e9),
    row('pytorch', f32('plain', n), 0.8e9),
  ];
  const all = [...rows(1e5), ...rows(1e7)];

  it('divide each path row by the careful path (rmsprop-cpu) of the same case', () => {
    for (const n of ['1e5', '1e7']) {
      expect(evaluateRatioGoal(goal(`readme-path-${n}`), { rows: all })).toMatchObject({ status: 'NOT met', target: '≥ 0.9', detail: '8.80e8 ÷ 1.00e9 elements/s' });
      expect(evaluateRatioGoal(goal(`own-arrays-${n}`), { rows: all })).toMatchObject({ status: 'met', target: '≥ 0.6', detail: '7.00e8 ÷ 1.00e9 elements/s' });
      const views = evaluateRatioGoal(goal(`views-error-${n}`), { rows: all });
      expect(views.status).toBe('met');
      expect(views.measured).toBeCloseTo(0.85, 12);
    }
  });

  it('hold each README path (readme, own-arrays) to ≥ 1× pytorch of the same case', () => {
    const status = (id: string): string => evaluateRatioGoal(goal(id), { rows: all }).status;
    expect(status('readme-pytorch-1e5')).toBe('met');
    expect(status('readme-pytorch-1e7')).toBe('met');
    expect(status('own-arrays-pytorch-1e5')).toBe('NOT met');
    expect(status('own-arrays-pytorch-1e7')).toBe('NOT met');
    expect(RATIO_GOALS.filter((g) => g.denominator.implementation === 'pytorch').map((g) => g.numerator.implementation)).toEqual(['readme', 'own-arrays', 'readme', 'own-arrays']);
  });

  it('are not measured without pytorch, with the reason it is missing', () => {
    const noTorch = all.filter((r) => r.implementation !== 'pytorch');
    const missingReason = (implementation: string): string | undefined => (implementation === 'pytorch' ? '/usr/bin/python3: No module named torch' : undefined);
    const results = evaluateGoals({ rows: noTorch, missingReason }).filter((r) => r.id.includes('-pytorch-'));
    expect(results).toHaveLength(4);
    for (const r of results) expect(r).toMatchObject({ status: 'not measured', detail: expect.stringMatching(/^no pytorch float32 plain n=1e[57]: \/usr\/bin\/python3: No module named torch$/) });
    expect(evaluateGoals({ rows: noTorch, missingReason }).find((r) => r.id === 'views-error-1e5')?.status).toBe('met');
  });
});

describe('evaluateAllocationGoal', () => {
  it('is met when nothing was collected, the young generation and the heap stayed put and pages were not faulted', () => {
    const result = evaluateAllocationGoal({ rows: [], allocation: flat });
    expect(result.status).toBe('met');
    expect(result.detail).toContain('10000 steps at n=100000: 0 GCs');
  });

  it('is NOT met when the steps allocated, kept memory, faulted pages or needed a collection', () => {
    expect(evaluateAllocationGoal({ rows: [], allocation: { ...flat, youngGrowthBytes: 400_000 } }).status).toBe('NOT met');
    expect(evaluateAllocationGoal({ rows: [], allocation: { ...flat, heapUsedDeltaBytes: 4_000_000 } }).status).toBe('NOT met');
    expect(evaluateAllocationGoal({ rows: [], allocation: { ...flat, minorPageFaults: 5000 } }).status).toBe('NOT met');
    expect(evaluateAllocationGoal({ rows: [], allocation: { ...flat, collections: 2 } }).status).toBe('NOT met');
  });

  it('is not measured without a check, saying why', () => {
    const result = evaluateAllocationGoal({ rows: [], allocationMissing: 'skipped (--alloc-steps 0)' });
    expect(result).toMatchObject({ status: 'not measured', detail: 'skipped (--alloc-steps 0)' });
  });
});

describe('evaluateGoals', () => {
  it('checks every goal once, the allocation goal among them', () => {
    const results = evaluateGoals({ rows: [] });
    expect(results.map((r) => r.id)).toEqual([
      'ceiling-1e7',
      'ceiling-1e7-2-threads',
      'js-loop-1e5-plain',
      'js-loop-1e5-momentum',
      'js-loop-1e5-centered',
      'js-loop-1e5-centered+momentum',
      'tfjs-cpu-1e6',
      'tfjs-wasm-1e6',
      'layout-1000x1000',
      'zero-allocation',
      'float64-js-loop-1e5',
      'readme-path-1e5',
      'own-arrays-1e5',
      'views-error-1e5',
      'readme-path-1e7',
      'own-arrays-1e7',
      'views-error-1e7',
      'readme-pytorch-1e5',
      'own-arrays-pytorch-1e5',
      'readme-pytorch-1e7',
      'own-arrays-pytorch-1e7',
    ]);
    expect(results.every((r) => r.status === 'not measured')).toBe(true);
  });

  it('states the targets', () => {
    expect(Object.fromEntries(RATIO_GOALS.map((g) => [g.id, g.min]))).toEqual({
      'ceiling-1e7': 0.85,
      'ceiling-1e7-2-threads': 0.9,
      'js-loop-1e5-plain': 6,
      'js-loop-1e5-momentum': 5,
      'js-loop-1e5-centered': 5,
      'js-loop-1e5-centered+momentum': 5,
      'tfjs-cpu-1e6': 300,
      'tfjs-wasm-1e6': 10,
      'layout-1000x1000': 0.9,
      'float64-js-loop-1e5': 3,
      'readme-path-1e5': 0.9,
      'own-arrays-1e5': 0.6,
      'views-error-1e5': 0.8,
      'readme-path-1e7': 0.9,
      'own-arrays-1e7': 0.6,
      'views-error-1e7': 0.8,
      'readme-pytorch-1e5': 1,
      'own-arrays-pytorch-1e5': 1,
      'readme-pytorch-1e7': 1,
      'own-arrays-pytorch-1e7': 1,
    });
  });
});
