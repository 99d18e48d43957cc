import { STATE_BUFFER_NAMES } from '@rmsprop/core';
import type { GoldenCase } from './golden-case.js';
import { withinTolerance, type AppliedTolerance } from './tolerance.js';
import type { Trajectory } from './trajectory.js';
import { scaledUlpDistance } from './ulp-distance.js';

/** Where a comparison was worst, or first failed. */
export interface ElementReport {
  /** `expected[step][index]` or `finalState.meanSquare[index]`. */
  readonly field: string;
  readonly actual: number;
  readonly expected: number;
}

/** How one implementation did on one case. */
export interface CaseComparison {
  readonly pass: boolean;
  /** Largest |actual − expected| over every finite pair. */
  readonly maxAbs: number;
  /** Largest |actual − expected| / |expected| over every finite pair with expected ≠ 0. */
  readonly maxRel: number;
  /**
   * Largest distance in ulps of the case's dtype, each measured at the element's scale: for θ the largest
   * |θ| of its expected trajectory up to that step, for a state buffer its largest |value| (Infinity where
   * NaN or ∞ patterns differ).
   */
  readonly maxUlps: number;
  /** Elements compared (θ at every step plus the final state given). */
  readonly compared: number;
  /** The first element outside the tolerance, when the case fails. */
  readonly firstFailure?: ElementReport;
}

/** Compare an implementation's trajectory with a case's expected values under `tolerance`. */
export function compareTrajectory(goldenCase: GoldenCase, trajectory: Trajectory, tolerance: AppliedTolerance): CaseComparison {
  let maxAbs = 0;
  let maxRel = 0;
  let maxUlps = 0;
  let compared = 0;
  let firstFailure: ElementReport | undefined;
  // The scale an element's error is measured at: rounding errors made at earlier steps are carried in
  // absolute terms, so θ's scale is the largest |θ| of its trajectory so far (initial value included); a
  // state buffer's scale is its largest |value| (m and b can cancel towards 0 like θ; v cannot).
  const check = (field: string, actual: ArrayLike<number> | null, expected: Float64Array, scales: Float64Array): void => {
    if (actual === null || actual.length !== expected.length) {
      firstFailure ??= { field: `${field} (length ${actual === null ? 'missing' : actual.length}, expected ${expected.length})`, actual: Number.NaN, expected: Number.NaN };
      maxUlps = Infinity;
      return;
    }
    for (let i = 0; i < expected.length; i++) {
      const a = actual[i];
      const e = expected[i];
      compared++;
      const scale = scales[i];
      const ulps = scaledUlpDistance(a, e, scale, goldenCase.dtype);
      if (ulps > maxUlps) maxUlps = ulps;
      if (Number.isFinite(a) && Number.isFinite(e)) {
        const abs = Math.abs(a - e);
        if (abs > maxAbs) maxAbs = abs;
        if (e !== 0 && abs / Math.abs(e) > maxRel) maxRel = abs / Math.abs(e);
      }
      if (firstFailure === undefined && !withinTolerance(a, e, scale, goldenCase.dtype, tolerance)) firstFailure = { field: `${field}[${i}]`, actual: a, expected: e };
    }
  };
  const runningMax = Float64Array.from(goldenCase.params, (x) => (Number.isFinite(x) ? Math.abs(x) : 0));
  goldenCase.expected.forEach((expected, step) => {
    for (let i = 0; i < expected.length; i++) if (Number.isFinite(expected[i])) runningMax[i] = Math.max(runningMax[i], Math.abs(expected[i]));
    check(`expected[${step}]`, trajectory.params[step] ?? null, expected, runningMax);
  });
  const vectorScale = (values: Float64Array): Float64Array => {
    let max = 0;
    for (const x of values) if (Number.isFinite(x)) max = Math.max(max, Math.abs(x));
    return new Float64Array(values.length).fill(max);
  };
  const fs = goldenCase.finalState;
  for (const name of STATE_BUFFER_NAMES) {
    const expected = fs?.[name];
    if (expected) check(`finalState.${name}`, trajectory.finalState[name], expected, vectorScale(expected));
  }
  return { pass: firstFailure === undefined, maxAbs, maxRel, maxUlps, compared, ...(firstFailure ? { firstFailure } : {}) };
}
