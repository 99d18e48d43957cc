import { describe, expect, it } from 'vitest';
import { PhaseSchedule } from './phase-schedule.js';

describe('PhaseSchedule', () => {
  it('splits an even run into equal phases', () => {
    const s = new PhaseSchedule(4000, 4);
    expect([0, 1, 2, 3].map((k) => [s.start(k), s.end(k)])).toEqual([
      [0, 1000],
      [1000, 2000],
      [2000, 3000],
      [3000, 4000],
    ]);
  });

  it('covers every step exactly once when the split is uneven, phases differing by at most one step', () => {
    for (const [steps, phases] of [
      [10, 4],
      [7, 3],
      [5, 5],
      [1001, 4],
      [9, 1],
    ]) {
      const s = new PhaseSchedule(steps, phases);
      expect(s.start(0)).toBe(0);
      expect(s.end(phases - 1)).toBe(steps);
      const lengths = Array.from({ length: phases }, (_, k) => s.end(k) - s.start(k));
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
      for (let t = 0; t < steps; t++) {
        const k = s.phaseOf(t);
        expect(t, `step ${t} of ${steps}/${phases}`).toBeGreaterThanOrEqual(s.start(k));
        expect(t).toBeLessThan(s.end(k));
      }
      expect(s.phaseOf(steps)).toBe(phases - 1);
    }
    // 10 over 4: 2, 3, 2, 3 (floor(k·10/4) = 0, 2, 5, 7).
    const s = new PhaseSchedule(10, 4);
    expect([0, 1, 2, 3, 4].map((k) => s.start(k))).toEqual([0, 2, 5, 7, 10]);
  });

  it('rejects fewer steps than phases and non-integers', () => {
    expect(() => new PhaseSchedule(3, 4)).toThrow(/steps/);
    expect(() => new PhaseSchedule(10.5, 4)).toThrow(RangeError);
    expect(() => new PhaseSchedule(10, 0)).toThrow(/phases/);
  });
});
