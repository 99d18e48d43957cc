import { describe, expect, it } from 'vitest';
import { contourSegments } from './marching-squares.js';

describe('contourSegments', () => {
  it('traces a circle of the right radius from a sampled distance function', () => {
    const n = 41;
    const values = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = Math.hypot(i - 20, j - 20);
    const segments = contourSegments(values, n, n, 10);
    expect(segments.length).toBeGreaterThan(40 * 4);
    for (let k = 0; k < segments.length; k += 2) {
      // Linear interpolation of a cone's slope: the points lie on the circle to within a fraction of a cell.
      expect(Math.abs(Math.hypot(segments[k]! - 20, segments[k + 1]! - 20) - 10)).toBeLessThan(0.1);
    }
  });

  it('gives nothing where the level is outside the values, and skips cells with non-finite samples', () => {
    const values = Float64Array.from([1, 2, 3, 4]);
    expect(contourSegments(values, 2, 2, 10)).toEqual([]);
    expect(contourSegments(Float64Array.from([1, Number.NaN, 3, 4]), 2, 2, 2.5)).toEqual([]);
  });

  it('crosses an edge where linear interpolation puts the level', () => {
    // 0 ─ 4 on top, 0 ─ 4 below: the level 1 crosses both horizontal edges at a quarter.
    expect(contourSegments(Float64Array.from([0, 4, 0, 4]), 2, 2, 1)).toEqual([0.25, 0, 0.25, 1]);
  });
});
