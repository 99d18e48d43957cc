import type { ElementReport } from './compare-trajectory.js';

/** A number as a message shows it: every digit JavaScript needs to give it back, and -0 as -0. */
function shownNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/**
 * The first value out of tolerance, saying which number is which: `expected[1][0]: got 1.5, expected 1.25`,
 * "got" being the implementation's value and "expected" the golden file's. A report of an array of the
 * wrong length (its field says so, its two numbers are NaN, which as values would have matched) is its
 * field alone: `expected[1] (length 1, expected 2)`.
 */
export function describeElementFailure(report: ElementReport): string {
  if (Number.isNaN(report.actual) && Number.isNaN(report.expected)) return report.field;
  return `${report.field}: got ${shownNumber(report.actual)}, expected ${shownNumber(report.expected)}`;
}
