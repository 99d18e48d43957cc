import type { GoldenCase } from './golden-case.js';
import { compareTrajectory, type CaseComparison } from './compare-trajectory.js';
import { skipReason, type ConformanceImplementation } from './conformance-implementation.js';
import type { AppliedTolerance } from './tolerance.js';

/** One cell of the matrix case × implementation. */
export type ConformanceCell =
  | { readonly status: 'pass' | 'fail'; readonly tolerance: AppliedTolerance; readonly comparison: CaseComparison }
  | { readonly status: 'skip'; readonly reason: string }
  | { readonly status: 'error'; readonly error: string };

/** The tolerance a case runs under on `impl` (the case's own, else the implementation's for the dtype). */
export function toleranceFor(impl: ConformanceImplementation, goldenCase: GoldenCase): AppliedTolerance | undefined {
  if (goldenCase.tolerance !== undefined) return { kind: 'case', tolerance: goldenCase.tolerance };
  const own = impl.tolerance[goldenCase.dtype];
  return own === undefined ? undefined : { kind: 'backend', tolerance: own };
}

/** Run one case on one implementation. An exception becomes an 'error' cell (which counts as a failure). */
export function runCell(impl: ConformanceImplementation, goldenCase: GoldenCase): ConformanceCell {
  const reason = skipReason(impl, goldenCase);
  if (reason !== undefined) return { status: 'skip', reason };
  const tolerance = toleranceFor(impl, goldenCase);
  if (tolerance === undefined) return { status: 'error', error: `${impl.name} states no ${goldenCase.dtype} tolerance` };
  try {
    const comparison = compareTrajectory(goldenCase, impl.run(goldenCase), tolerance);
    return { status: comparison.pass ? 'pass' : 'fail', tolerance, comparison };
  } catch (error) {
    return { status: 'error', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** The whole matrix: for each case, one cell per implementation (in the order given). */
export interface ConformanceRun {
  readonly implementations: readonly string[];
  readonly rows: readonly { readonly goldenCase: GoldenCase; readonly cells: readonly ConformanceCell[] }[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Run every case on every implementation. */
export function runConformance(implementations: readonly ConformanceImplementation[], cases: readonly GoldenCase[]): ConformanceRun {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const rows = cases.map((goldenCase) => {
    const cells = implementations.map((impl) => {
      const cell = runCell(impl, goldenCase);
      if (cell.status === 'pass') passed++;
      else if (cell.status === 'skip') skipped++;
      else failed++;
      return cell;
    });
    return { goldenCase, cells };
  });
  return { implementations: implementations.map((i) => i.name), rows, passed, failed, skipped };
}
