import { describeElementFailure } from './describe-element-failure.js';
import { escapeControlCharacters } from './escape-control-characters.js';
import type { ConformanceCell, ConformanceRun } from './run-conformance.js';
import { describeTolerance } from './tolerance.js';

function sci(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return x.toExponential(1);
}

function cellText(cell: ConformanceCell, dtype: string): string {
  switch (cell.status) {
    case 'skip':
      return 'skip';
    case 'error':
      return 'ERROR';
    default: {
      const c = cell.comparison;
      const ulps = dtype === 'float32' ? ` ${Number.isFinite(c.maxUlps) ? c.maxUlps : '∞'} ulp` : '';
      return `${cell.status === 'pass' ? 'pass' : 'FAIL'} ${sci(c.maxAbs)} ${sci(c.maxRel)}${ulps}`;
    }
  }
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

/** One line of data (a name, a path, a message) as it may be printed: control characters shown as escapes. */
function shown(text: string): string {
  return escapeControlCharacters(text);
}

/**
 * The matrix as text: a legend, a row per case, a column per implementation, each cell "pass|FAIL maxAbs
 * maxRel [ulps]" (errors, not values); then every failure with its first bad element as "got <the
 * implementation's value>, expected <the file's>", every skip reason, each tolerance, and a summary line. Names, paths and messages are shown with their control and bidi formatting characters
 * escaped (`\x1b`, `\u202e`), so the text holds none but its newlines.
 */
export function formatMatrix(run: ConformanceRun): string {
  const header = ['case', 'dtype', ...run.implementations.map(shown)];
  const body = run.rows.map(({ goldenCase, cells }) => [shown(goldenCase.name), shown(goldenCase.dtype), ...cells.map((c) => cellText(c, goldenCase.dtype))]);
  const widths = header.map((h, i) => Math.max([...h].length, ...body.map((r) => [...r[i]].length)));
  const line = (cells: string[]): string => cells.map((c, i) => pad(c, widths[i])).join('  ').trimEnd();
  const out: string[] = [];
  out.push(
    "cells: pass|FAIL ABS REL [N ulp], errors over every value of the case, with actual the implementation's value, expected the file's:",
    '       ABS the largest |actual − expected|, REL the largest |actual − expected| / |expected|, N (float32) the largest distance in ulps',
  );
  out.push('');
  out.push(line(header));
  out.push(line(widths.map((w) => '─'.repeat(w))));
  for (const row of body) out.push(line(row));

  const failures: string[] = [];
  const skips = new Map<string, string[]>();
  const tolerances = new Map<string, string>();
  run.rows.forEach(({ goldenCase, cells }) => {
    cells.forEach((cell, i) => {
      const impl = run.implementations[i];
      if (cell.status === 'skip') {
        const key = `${impl}: ${cell.reason}`;
        skips.set(key, [...(skips.get(key) ?? []), goldenCase.name]);
      } else if (cell.status === 'error') {
        failures.push(`${goldenCase.name} on ${impl}: ${cell.error}`);
      } else {
        if (cell.tolerance.kind === 'backend') tolerances.set(`${impl} ${goldenCase.dtype}`, `${describeTolerance(cell.tolerance)} — ${cell.tolerance.tolerance.reason}`);
        if (cell.status === 'fail') {
          const f = cell.comparison.firstFailure!;
          failures.push(
            `${goldenCase.name} on ${impl} (${goldenCase.file}): ${describeElementFailure(f)} (tolerance ${describeTolerance(cell.tolerance)})`,
          );
        }
      }
    });
  });
  if (failures.length > 0) {
    out.push('', 'Failures:');
    for (const f of failures) out.push(`  ${shown(f)}`);
  }
  if (skips.size > 0) {
    out.push('', 'Skipped:');
    for (const [reason, names] of skips) out.push(shown(`  ${reason} (${names.length} case${names.length === 1 ? '' : 's'}: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''})`));
  }
  if (tolerances.size > 0) {
    out.push('', 'Tolerances:');
    for (const [key, text] of [...tolerances].sort()) out.push(shown(`  ${key}: ${text}`));
  }
  out.push('', summaryLine(run));
  return `${out.join('\n')}\n`;
}

/** "conformance: N passed, N failed, N skipped (C cases × I implementations)". */
export function summaryLine(run: ConformanceRun): string {
  return `conformance: ${run.passed} passed, ${run.failed} failed, ${run.skipped} skipped (${run.rows.length} cases × ${run.implementations.length} implementations)`;
}

/**
 * The run as plain JSON-safe data (for --json): per cell its status and, where it ran, `maxAbs`, `maxRel`,
 * `maxUlps` and `tolerance`; a failing cell's `firstFailure` is `{ field, actual, expected }`, `actual` the
 * implementation's value and `expected` the file's. Non-finite numbers are strings ("NaN", "Infinity").
 */
export function matrixJson(run: ConformanceRun): unknown {
  const num = (x: number): number | string => (Number.isFinite(x) ? x : String(x));
  return {
    implementations: run.implementations,
    summary: { passed: run.passed, failed: run.failed, skipped: run.skipped, cases: run.rows.length },
    rows: run.rows.map(({ goldenCase, cells }) => ({
      case: goldenCase.name,
      dtype: goldenCase.dtype,
      source: goldenCase.source,
      file: goldenCase.file,
      cells: cells.map((cell, i) => {
        const implementation = run.implementations[i];
        if (cell.status === 'skip') return { implementation, status: cell.status, reason: cell.reason };
        if (cell.status === 'error') return { implementation, status: cell.status, error: cell.error };
        const c = cell.comparison;
        return {
          implementation,
          status: cell.status,
          maxAbs: num(c.maxAbs),
          maxRel: num(c.maxRel),
          maxUlps: num(c.maxUlps),
          tolerance: describeTolerance(cell.tolerance),
          ...(c.firstFailure ? { firstFailure: { field: c.firstFailure.field, actual: num(c.firstFailure.actual), expected: num(c.firstFailure.expected) } } : {}),
        };
      }),
    })),
  };
}
