import { formatRate, formatRatio, textTable, type Alignment } from '@rmsprop/app-kit';
import { bytesPerElement, BENCH_DTYPES, formatSize, LAYOUTS, VARIANTS, type BenchCase } from './bench-case.js';
import type { BenchRow } from './bench-row.js';

/** The implementation every ratio is taken against. */
export const REFERENCE_IMPLEMENTATION = 'rmsprop-cpu';
export const CEILING_IMPLEMENTATION = 'ceiling';

function sectionTitle(c: Omit<BenchCase, 'n'>): string {
  const layout = c.layout === 'single' ? 'one parameter' : '1,000 parameters × 1,000 in one optimizer, one step() call';
  return `${c.dtype} · ${c.variant} · ${layout} · ${bytesPerElement(c.variant, c.dtype)} bytes/element of traffic`;
}

/** Implementations in `order` first, then the rest alphabetically. */
function sortNames(names: Iterable<string>, order: readonly string[]): string[] {
  const rank = (name: string): number => {
    const i = order.indexOf(name);
    return i < 0 ? order.length : i;
  };
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/**
 * The results as text: one section per (dtype, variant, layout) that has rows, each with two tables over n:
 * every implementation's median elements/s with its ratio to the ceiling of the same case in brackets, and
 * rmsprop-cpu's elements/s divided by each other implementation's (how many times faster it is).
 */
export function formatResultTables(rows: readonly BenchRow[], order: readonly string[] = []): string {
  const out: string[] = [];
  for (const layout of LAYOUTS) {
    for (const dtype of BENCH_DTYPES) {
      for (const variant of VARIANTS) {
        const section = rows.filter((r) => r.layout === layout && r.dtype === dtype && r.variant === variant);
        if (section.length === 0) continue;
        const sizes = [...new Set(section.map((r) => r.n))].sort((a, b) => a - b);
        const names = sortNames(
          section.map((r) => r.implementation),
          order,
        );
        const rate = (name: string, n: number): number => section.find((r) => r.implementation === name && r.n === n)?.elementsPerSecond ?? NaN;
        const align: Alignment[] = ['left', ...sizes.map((): Alignment => 'right')];
        const header = (first: string): string[] => [first, ...sizes.map((n) => `n=${formatSize(n)}`)];
        const rateRows = names.map((name) => [
          name,
          ...sizes.map((n) => {
            const value = rate(name, n);
            const ceiling = rate(CEILING_IMPLEMENTATION, n);
            if (!Number.isFinite(value)) return '—';
            return Number.isFinite(ceiling) ? `${formatRate(value)} (${formatRatio(value / ceiling)})` : formatRate(value);
          }),
        ]);
        out.push(sectionTitle({ dtype, variant, layout }));
        out.push(textTable(header('elements/s (÷ ceiling)'), rateRows, align));
        const others = names.filter((name) => name !== REFERENCE_IMPLEMENTATION);
        if (names.includes(REFERENCE_IMPLEMENTATION) && others.length > 0) {
          const speedRows = others.map((name) => [name, ...sizes.map((n) => formatRatio(rate(REFERENCE_IMPLEMENTATION, n) / rate(name, n)))]);
          out.push('');
          out.push(textTable(header(`${REFERENCE_IMPLEMENTATION} ÷ row`), speedRows, align));
        }
        out.push('');
      }
    }
  }
  return out.join('\n').trimEnd();
}
