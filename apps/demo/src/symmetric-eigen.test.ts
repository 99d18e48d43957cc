import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';

/** Column k of an n×n row-major matrix. */
const column = (m: Float64Array, n: number, k: number): number[] => Array.from({ length: n }, (_, i) => m[i * n + k]);

/** ‖A·v − λ·v‖∞ for each eigenpair, and ‖VᵀV − I‖∞. */
function residuals(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array): { pair: number; orthogonality: number } {
  let pair = 0;
  let orthogonality = 0;
  for (let k = 0; k < n; k++) {
    const v = column(vectors, n, k);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j] * v[j];
      pair = Math.max(pair, Math.abs(av - values[k] * v[i]));
    }
    for (let l = 0; l < n; l++) {
      const w = column(vectors, n, l);
      const dot = v.reduce((s, x, i) => s + x * w[i], 0);
      orthogonality = Math.max(orthogonality, Math.abs(dot - (k === l ? 1 : 0)));
    }
  }
  return { pair, orthogonality };
}

describe('symmetricEigen', () => {
  it('returns a diagonal matrix’s entries in ascending order with unit basis vectors', () => {
    const { values, vectors } = symmetricEigen([3, 0, 0, 0, -1, 0, 0, 0, 2], 3);
    expect(Array.from(values)).toEqual([-1, 2, 3]);
    expect(column(vectors, 3, 0).map(Math.abs)).toEqual([0, 1, 0]);
    expect(column(vectors, 3, 1).map(Math.abs)).toEqual([0, 0, 1]);
    expect(column(vectors, 3, 2).map(Math.abs)).toEqual([1, 0, 0]);
  });

  it('solves [[2, 1], [1, 2]]: eigenvalues 1 and 3, eigenvectors (1, −1)/√2 and (1, 1)/√2', () => {
    const { values, vectors } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(1, 14);
    expect(values[1]).toBeCloseTo(3, 14);
    const v0 = column(vectors, 2, 0);
    const v1 = column(vectors, 2, 1);
    expect(Math.abs(v0[0])).toBeCloseTo(Math.SQRT1_2, 14);
    expect(v0[0] * v0[1]).toBeCloseTo(-0.5, 14);
    expect(v1[0] * v1[1]).toBeCloseTo(0.5, 14);
  });

  it('matches the closed form of a 2×2: (a + c)/2 ± √(((a − c)/2)² + b²)', () => {
    for (const [a, b, c] of [
      [1, 2, -2],
      [5, -0.25, 0.125],
      [1e3, 1e-3, 1e-3],
    ]) {
      const { values } = symmetricEigen([a, b, b, c], 2);
      const mid = (a + c) / 2;
      const radius = Math.hypot((a - c) / 2, b);
      expect(values[0]).toBeCloseTo(mid - radius, 12);
      expect(values[1]).toBeCloseTo(mid + radius, 12);
    }
  });

  it('recovers the eigenvalues of Q·diag(λ)·Qᵀ for a Householder Q, with orthonormal eigenvectors', () => {
    const n = 6;
    const lambda = [100, -3, 0.01, 7, 2.5, 0.5];
    const u = [1, -2, 0.5, 3, -1, 2];
    const uu = u.reduce((s, x) => s + x * x, 0);
    const q = (i: number, j: number): number => (i === j ? 1 : 0) - (2 * u[i] * u[j]) / uu;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q(i, k) * lambda[k] * q(j, k);
    const copy = Float64Array.from(a);
    const { values, vectors } = symmetricEigen(a, n);
    const sorted = [...lambda].sort((x, y) => x - y);
    for (let k = 0; k < n; k++) expect(values[k]).toBeCloseTo(sorted[k], 12);
    const r = residuals(a, n, values, vectors);
    expect(r.pair).toBeLessThan(1e-12);
    expect(r.orthogonality).toBeLessThan(1e-13);
    // The eigenvector of λ = 100 is Q's column 0.
    const top = column(vectors, n, n - 1);
    const sign = Math.sign(top[0] * q(0, 0));
    for (let i = 0; i < n; i++) expect(top[i]).toBeCloseTo(sign * q(i, 0), 12);
    expect(a).toEqual(copy);
  });

  it('handles repeated eigenvalues and the zero matrix', () => {
    expect(Array.from(symmetricEigen([2, 0, 0, 2], 2).values)).toEqual([2, 2]);
    const zero = symmetricEigen(new Float64Array(9), 3);
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    expect(zero.vectors.every(Number.isFinite)).toBe(true);
    // All-ones 3×3: eigenvalues 0, 0, 3.
    const ones = symmetricEigen(new Float64Array(9).fill(1), 3);
    expect(ones.values[0]).toBeCloseTo(0, 14);
    expect(ones.values[1]).toBeCloseTo(0, 14);
    expect(ones.values[2]).toBeCloseTo(3, 14);
    const r = residuals(new Float64Array(9).fill(1), 3, ones.values, ones.vectors);
    expect(r.orthogonality).toBeLessThan(1e-14);
  });

  it('rejects a size that does not match', () => {
    expect(() => symmetricEigen([1, 2, 3], 2)).toThrow(RangeError);
    expect(() => symmetricEigen([], 0)).toThrow(RangeError);
  });
});
