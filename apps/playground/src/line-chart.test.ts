import { describe, expect, it } from 'vitest';
import { formatTick, ticks } from './line-chart.js';

describe('chart ticks', () => {
  it('log axes get powers of ten inside the range', () => {
    expect(ticks(0.003, 250, true)).toEqual([0.01, 0.1, 1, 10, 100]);
  });
  it('linear axes get 1-2-5 steps including zero', () => {
    expect(ticks(0, 300, false)).toEqual([0, 100, 200, 300]);
    expect(ticks(-1, 1, false)).toEqual([-1, -0.5, 0, 0.5, 1]);
  });
  it('labels are short', () => {
    expect([formatTick(0.001), formatTick(0.5), formatTick(250), formatTick(1e6)]).toEqual(['1e-3', '0.5', '250', '1e6']);
  });
});
