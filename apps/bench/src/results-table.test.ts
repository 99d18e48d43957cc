import { describe, expect, it } from 'vitest';
import type { BenchCase } from './bench-case.js';
import type { BenchRow } from './bench-row.js';
import { formatResultTables } from './results-table.js';

const c = (n: number, variant: BenchCase['variant'] = 'plain', dtype: BenchCase['dtype'] = 'float32', layout: BenchCase['layout'] = 'single'): BenchCase => ({ variant, dtype, n, layout });
const row = (implementation: string, k: BenchCase, elementsPerSecond: number): BenchRow => ({ implementation, ...k, elementsPerSecond });

describe('formatResultTables', () => {
  const rows = [
    row('ceiling', c(1e3), 4e9),
    row('ceiling', c(1e5), 5e9),
    row('rmsprop-cpu', c(1e3), 2e9),
    row('rmsprop-cpu', c(1e5), 1e9),
    row('js-loop', c(1e3), 2.5e8),
    row('js-loop', c(1e5), 2e8),
    row('tfjs-cpu', c(1e5), 4e6),
  ];
  const text = formatResultTables(rows, ['ceiling', 'rmsprop-cpu', 'js-loop', 'tfjs-cpu']);
  const lines = text.split('\n');

  it('titles each section with dtype, variant, layout and bytes of traffic', () => {
    expect(lines[0]).toBe('float32 · plain · one parameter · 20 bytes/element of traffic');
  });

  it('gives each implementation its median elements/s and its ratio to the ceiling of the same case', () => {
    expect(lines[1]).toMatch(/^elements\/s \(÷ ceiling\)\s+n=1e3\s+n=1e5$/);
    expect(lines[3]).toMatch(/^ceiling\s+4\.00e9 \(1\.00\)\s+5\.00e9 \(1\.00\)$/);
    expect(lines[4]).toMatch(/^rmsprop-cpu\s+2\.00e9 \(0\.50\)\s+1\.00e9 \(0\.20\)$/);
    expect(lines[5]).toMatch(/^js-loop\s+2\.50e8 \(0\.06\)\s+2\.00e8 \(0\.04\)$/);
    expect(lines[6]).toMatch(/^tfjs-cpu\s+—\s+4\.00e6 \(0\.00\)$/);
  });

  it('gives rmsprop-cpu ÷ every other row', () => {
    const start = lines.findIndex((l) => l.startsWith('rmsprop-cpu ÷ row'));
    expect(lines[start + 2]).toMatch(/^ceiling\s+0\.50\s+0\.20$/);
    expect(lines[start + 3]).toMatch(/^js-loop\s+8\.00\s+5\.00$/);
    expect(lines[start + 4]).toMatch(/^tfjs-cpu\s+—\s+250$/);
  });

  it('orders sections float32 before float64, plain before the other variants, one parameter before the layout', () => {
    const more = [...rows, row('rmsprop-cpu', c(1e6, 'plain', 'float32', '1000x1000'), 9e8), row('rmsprop-cpu', c(1e5, 'plain', 'float64'), 5e8), row('rmsprop-cpu', c(1e5, 'centered'), 7e8)];
    const titles = formatResultTables(more)
      .split('\n')
      .filter((l) => l.includes('bytes/element'));
    expect(titles).toEqual([
      'float32 · plain · one parameter · 20 bytes/element of traffic',
      'float32 · centered · one parameter · 28 bytes/element of traffic',
      'float64 · plain · one parameter · 40 bytes/element of traffic',
      'float32 · plain · 1,000 parameters × 1,000 in one optimizer, one step() call · 20 bytes/element of traffic',
    ]);
  });

  it('prints nothing for no rows', () => {
    expect(formatResultTables([])).toBe('');
  });
});
