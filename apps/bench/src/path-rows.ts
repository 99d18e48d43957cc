import { formatRate, formatRatio, textTable, type Alignment } from '@rmsprop/app-kit';
import { BENCH_DTYPES, describeCase, LAYOUTS, VARIANTS, type BenchCase } from './bench-case.js';
import type { BenchRow } from './bench-row.js';

/** The careful path (inPlace: false, views, gradientBuffer, a Map): every path row is divided by it. */
export const CAREFUL_PATH = 'rmsprop-cpu';
export const PYTORCH = 'pytorch';

/**
 * The rows that time `RMSPropOptimizer.step` on the CPU backend as users call it (rmsprop-paths.ts), beside
 * the careful path. They run where rmsprop-cpu runs in float32 plain (every size, and the 1000x1000 layout).
 */
export const PATH_IMPLEMENTATION_NAMES = ['readme', 'own-arrays', 'own-arrays-read-only', 'own-arrays-propagate', 'views-error', 'js-in-place'] as const;

export type PathImplementationName = (typeof PATH_IMPLEMENTATION_NAMES)[number];

/** Whether the plan runs the path rows in this case: float32 plain, either layout. */
export function isPathCase(c: Pick<BenchCase, 'variant' | 'dtype'>): boolean {
  return c.dtype === 'float32' && c.variant === 'plain';
}

function sameCase(a: BenchCase, b: BenchCase): boolean {
  return a.variant === b.variant && a.dtype === b.dtype && a.n === b.n && a.layout === b.layout;
}

/**
 * One table per case that has a path row: the careful path first, then each path row, with its elements/s,
 * its ratio to the careful path (rmsprop-cpu) and to PyTorch in the same case ("—" where either row is
 * missing). Cases in the results' order (layout, dtype, variant), then by n.
 */
export function formatPathTables(rows: readonly BenchRow[]): string {
  const names: readonly string[] = [CAREFUL_PATH, ...PATH_IMPLEMENTATION_NAMES];
  const good = rows.filter((r) => Number.isFinite(r.elementsPerSecond) && r.elementsPerSecond > 0);
  const cases: BenchCase[] = [];
  for (const r of good) {
    if ((PATH_IMPLEMENTATION_NAMES as readonly string[]).includes(r.implementation) && !cases.some((c) => sameCase(c, r))) {
      cases.push({ variant: r.variant, dtype: r.dtype, n: r.n, layout: r.layout });
    }
  }
  const rank = (c: BenchCase): number[] => [LAYOUTS.indexOf(c.layout), BENCH_DTYPES.indexOf(c.dtype), VARIANTS.indexOf(c.variant), c.n];
  cases.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
  });
  const out: string[] = [];
  const align: Alignment[] = ['left', 'right', 'right', 'right'];
  for (const c of cases) {
    const rate = (name: string): number => good.find((r) => r.implementation === name && sameCase(r, c))?.elementsPerSecond ?? NaN;
    const careful = rate(CAREFUL_PATH);
    const torch = rate(PYTORCH);
    const ratio = (value: number, base: number): string => (Number.isFinite(value) && Number.isFinite(base) ? formatRatio(value / base) : '—');
    const body = names
      .filter((name) => Number.isFinite(rate(name)))
      .map((name) => [name, formatRate(rate(name)), ratio(rate(name), careful), ratio(rate(name), torch)]);
    out.push(`paths · ${describeCase(c)}`);
    out.push(textTable(['path', 'elements/s', `÷ ${CAREFUL_PATH}`, `÷ ${PYTORCH}`], body, align));
    out.push('');
  }
  return out.join('\n').trimEnd();
}
