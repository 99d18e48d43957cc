import { describe, expect, it } from 'vitest';
import { checkAllocation, FLAT_FAULTS_PER_STEP, FLAT_YOUNG_BYTES, garbageCollector, isFlat, type AllocationResult } from './allocation-check.js';

const flat: AllocationResult = { steps: 10_000, n: 1e5, youngGrowthBytes: 14_336, collections: 0, heapUsedDeltaBytes: 12_000, minorPageFaults: 2, seconds: 1, attempts: 1 };

describe('isFlat', () => {
  it('accepts a run without collections, allocation, kept memory or faults', () => {
    expect(isFlat(flat)).toBe(true);
    expect(isFlat({ ...flat, heapUsedDeltaBytes: -200_000 })).toBe(true);
  });

  it('rejects a collection, young-generation growth past the limit, kept memory or faulting pages', () => {
    expect(isFlat({ ...flat, collections: 1 })).toBe(false);
    expect(isFlat({ ...flat, youngGrowthBytes: FLAT_YOUNG_BYTES + 1 })).toBe(false);
    expect(isFlat({ ...flat, heapUsedDeltaBytes: 2 * 1024 * 1024 })).toBe(false);
    expect(isFlat({ ...flat, minorPageFaults: FLAT_FAULTS_PER_STEP * flat.steps + 1 })).toBe(false);
  });
});

describe('checkAllocation', () => {
  it('runs the step twice as many times as asked (warm, then measured) and reports every figure', async () => {
    let calls = 0;
    const result = await checkAllocation(() => void calls++, 50, 7);
    expect(calls).toBeGreaterThanOrEqual(100);
    expect(result).toMatchObject({ steps: 50, n: 7 });
    for (const key of ['youngGrowthBytes', 'collections', 'heapUsedDeltaBytes', 'minorPageFaults', 'seconds', 'attempts'] as const) {
      expect(Number.isFinite(result[key])).toBe(true);
    }
  });

  it('a step that allocates is not flat in any try: all three tries run and the result says so', async () => {
    const kept: number[][] = [];
    const result = await checkAllocation(() => {
      kept[0] = [Math.random(), Math.random(), Math.random(), Math.random(), Math.random(), Math.random(), Math.random(), Math.random()];
    }, 3000, 8);
    expect(isFlat(result)).toBe(false);
    expect(result.attempts).toBe(3);
    expect(result.earlierYoungGrowthBytes).toHaveLength(2);
    for (const bytes of [...result.earlierYoungGrowthBytes!, result.youngGrowthBytes]) expect(bytes === 0 || bytes > FLAT_YOUNG_BYTES || result.collections > 0).toBe(true);
  });

  it('has a garbage collector with or without --expose-gc', () => {
    expect(typeof garbageCollector()).toBe('function');
  });
});
