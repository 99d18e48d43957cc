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
  const tolerance = cellTolerance(impl, goldenCase);
  if ('status' in tolerance) return tolerance;
  try {
    return judged(tolerance, compareTrajectory(goldenCase, impl.run(goldenCase), tolerance));
  } catch (error) {
    return errorCell(error);
  }
}

/** {@link runCell} through the implementation's `runAsync` where it has one (backends read only asynchronously). */
export async function runCellAsync(impl: ConformanceImplementation, goldenCase: GoldenCase): Promise<ConformanceCell> {
  if (impl.runAsync === undefined) return runCell(impl, goldenCase);
  const tolerance = cellTolerance(impl, goldenCase);
  if ('status' in tolerance) return tolerance;
  try {
    return judged(tolerance, compareTrajectory(goldenCase, await impl.runAsync(goldenCase), tolerance));
  } catch (error) {
    return errorCell(error);
  }
}

/** The tolerance a case runs under on `impl`, or the cell it ends in without running (a skip, or no tolerance). */
function cellTolerance(impl: ConformanceImplementation, goldenCase: GoldenCase): AppliedTolerance | ConformanceCell {
  const reason = skipReason(impl, goldenCase);
  if (reason !== undefined) return { status: 'skip', reason };
  const tolerance = toleranceFor(impl, goldenCase);
  if (tolerance === undefined) return { status: 'error', error: `${impl.name} states no ${goldenCase.dtype} tolerance` };
  return tolerance;
}

function judged(tolerance: AppliedTolerance, comparison: CaseComparison): ConformanceCell {
  return { status: comparison.pass ? 'pass' : 'fail', tolerance, comparison };
}

function errorCell(error: unknown): ConformanceCell {
  return { status: 'error', error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/** The whole matrix: for each case, one cell per implementation (in the order given). */
export interface ConformanceRun {
  readonly implementations: readonly string[];
  readonly rows: readonly { readonly goldenCase: GoldenCase; readonly cells: readonly ConformanceCell[] }[];
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** One implementation's cells for every case, in the order of `cases`. */
export function runColumn(impl: ConformanceImplementation, cases: readonly GoldenCase[]): ConformanceCell[] {
  return cases.map((goldenCase) => runCell(impl, goldenCase));
}

/**
 * The matrix from columns run one implementation at a time (`columns[j]` holds implementation j's cells,
 * in the order of `cases`), with the counts. The CLI runs columns one backend at a time, so that backends
 * which share global state (tfjs's active backend) never run side by side.
 */
export function assembleRun(implementations: readonly string[], columns: readonly (readonly ConformanceCell[])[], cases: readonly GoldenCase[]): ConformanceRun {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const column of columns) {
    for (const cell of column) {
      if (cell.status === 'pass') passed++;
      else if (cell.status === 'skip') skipped++;
      else failed++;
    }
  }
  const rows = cases.map((goldenCase, i) => ({ goldenCase, cells: columns.map((column) => column[i]) }));
  return { implementations: [...implementations], rows, passed, failed, skipped };
}

/** Every case on every implementation: the matrix case × implementation, with the counts. */
export function runConformance(implementations: readonly ConformanceImplementation[], cases: readonly GoldenCase[]): ConformanceRun {
  return assembleRun(
    implementations.map((i) => i.name),
    implementations.map((impl) => runColumn(impl, cases)),
    cases,
  );
}
