import { describe, expect, it } from 'vitest';
import { elementsPerSecond, interleavedOrder, median, spread, stepsForTarget } from './statistics.js';

describe('median', () => {
  it('takes the middle value of an odd count, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([2e9, 1e9, 3e9, 1.5e9, 2.5e9])).toBe(2e9);
  });

  it('averages the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('is the value itself for one sample, NaN for none, and leaves its input alone', () => {
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
    const input = [3, 1, 2];
    median(input);
    expect(input).toEqual([3, 1, 2]);
  });

  it('ignores one wild round, which a mean would not', () => {
    expect(median([1e9, 1.1e9, 0.9e9, 1e9, 1e6])).toBe(1e9);
  });
});

describe('spread', () => {
  it('is max ÷ min, 1 when every round agreed', () => {
    expect(spread([2, 4, 3])).toBe(2);
    expect(spread([5, 5])).toBe(1);
    expect(spread([])).toBeNaN();
  });
});

describe('interleavedOrder', () => {
  it('runs every implementation exactly once per round', () => {
    for (let round = 0; round < 7; round++) {
      expect([...interleavedOrder(5, round)].sort()).toEqual([0, 1, 2, 3, 4]);
    }
  });

  it('rotates by one place per round', () => {
    expect(interleavedOrder(4, 0)).toEqual([0, 1, 2, 3]);
    expect(interleavedOrder(4, 1)).toEqual([1, 2, 3, 0]);
    expect(interleavedOrder(4, 2)).toEqual([2, 3, 0, 1]);
    expect(interleavedOrder(4, 5)).toEqual([1, 2, 3, 0]);
  });

  it('puts each implementation in each position once over `count` rounds, after each neighbour the same number of times', () => {
    const count = 4;
    const positions = Array.from({ length: count }, () => new Set<number>());
    for (let round = 0; round < count; round++) interleavedOrder(count, round).forEach((impl, position) => positions[impl].add(position));
    for (const seen of positions) expect(seen.size).toBe(count);
  });

  it('handles no implementations and rejects bad arguments', () => {
    expect(interleavedOrder(0, 3)).toEqual([]);
    expect(() => interleavedOrder(-1, 0)).toThrow(RangeError);
    expect(() => interleavedOrder(2, 0.5)).toThrow(RangeError);
  });
});

describe('elementsPerSecond and stepsForTarget', () => {
  it('computes n × steps / seconds', () => {
    expect(elementsPerSecond(1e5, 50, 0.1)).toBe(5e7);
  });

  it('asks for enough steps to fill the target, at least one, at most the cap', () => {
    expect(stepsForTarget(0.001, 0.1)).toBe(100);
    expect(stepsForTarget(0.3, 0.1)).toBe(1);
    expect(stepsForTarget(1e-12, 0.1, 1000)).toBe(1000);
    expect(stepsForTarget(0, 0.1)).toBe(1);
    expect(stepsForTarget(NaN, 0.1)).toBe(1);
  });
});
