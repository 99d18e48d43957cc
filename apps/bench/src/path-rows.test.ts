import { describe, expect, it } from 'vitest';
import type { BenchCase } from './bench-case.js';
import type { BenchRow } from './bench-row.js';
import { formatPathTables, isPathCase } from './path-rows.js';

const f32 = (n: number, layout: BenchCase['layout'] = 'single'): BenchCase => ({ variant: 'plain', dtype: 'float32', n, layout });
const row = (implementation: string, c: BenchCase, elementsPerSecond: number): BenchRow => ({ implementation, ...c, elementsPerSecond });

describe('formatPathTables', () => {
  const rows = [
    row('ceiling', f32(1e5), 3e9),
    row('rmsprop-cpu', f32(1e5), 1e9),
    row('readme', f32(1e5), 9.6e8),
    row('own-arrays', f32(1e5), 5e8),
    row('own-arrays-read-only', f32(1e5), 7e8),
    row('own-arrays-propagate', f32(1e5), 6e8),
    row('views-error', f32(1e5), 9e8),
    row('js-in-place', f32(1e5), 2e8),
    row('pytorch', f32(1e5), 4e8),
    row('rmsprop-cpu', f32(1e6, '1000x1000'), 8e8),
    row('own-arrays', f32(1e6, '1000x1000'), 4e8),
    row('rmsprop-cpu', f32(1e3), 5e8),
    row('own-arrays', f32(1e3), 1e8),
    row('views-error', f32(1e3), NaN),
    row('rmsprop-cpu', { ...f32(1e5), variant: 'momentum' }, 1e9),
  ];
  const text = formatPathTables(rows);
  const lines = text.split('\n');

  it('gives one table per case with a path row, smaller n first and the 1000x1000 layout last', () => {
    expect(lines.filter((l) => l.startsWith('paths · '))).toEqual(['paths · float32 plain n=1e3', 'paths · float32 plain n=1e5', 'paths · float32 plain n=1e6 1000x1000']);
  });

  it('gives each path row its elements/s, ÷ the careful path and ÷ pytorch', () => {
    const start = lines.indexOf('paths · float32 plain n=1e5');
    expect(lines[start + 1]).toMatch(/^path\s+elements\/s\s+÷ rmsprop-cpu\s+÷ pytorch$/);
    expect(lines[start + 3]).toMatch(/^rmsprop-cpu\s+1\.00e9\s+1\.00\s+2\.50$/);
    expect(lines[start + 4]).toMatch(/^readme\s+9\.60e8\s+0\.96\s+2\.40$/);
    expect(lines[start + 5]).toMatch(/^own-arrays\s+5\.00e8\s+0\.50\s+1\.25$/);
    expect(lines[start + 6]).toMatch(/^own-arrays-read-only\s+7\.00e8\s+0\.70\s+1\.75$/);
    expect(lines[start + 7]).toMatch(/^own-arrays-propagate\s+6\.00e8\s+0\.60\s+1\.50$/);
    expect(lines[start + 8]).toMatch(/^views-error\s+9\.00e8\s+0\.90\s+2\.25$/);
    expect(lines[start + 9]).toMatch(/^js-in-place\s+2\.00e8\s+0\.20\s+0\.50$/);
    expect(text).not.toMatch(/^(ceiling|pytorch)\s/m);
  });

  it('writes — where pytorch is missing, and leaves out rows that failed', () => {
    const start = lines.indexOf('paths · float32 plain n=1e3');
    expect(lines[start + 3]).toMatch(/^rmsprop-cpu\s+5\.00e8\s+1\.00\s+—$/);
    expect(lines[start + 4]).toMatch(/^own-arrays\s+1\.00e8\s+0\.20\s+—$/);
    expect(lines[start + 5]).toBe('');
  });

  it('prints nothing without path rows', () => {
    expect(formatPathTables([row('rmsprop-cpu', f32(1e5), 1e9)])).toBe('');
  });
});

describe('isPathCase', () => {
  it('is float32 plain, in either layout', () => {
    expect(isPathCase(f32(1e5))).toBe(true);
    expect(isPathCase(f32(1e6, '1000x1000'))).toBe(true);
    expect(isPathCase({ ...f32(1e5), dtype: 'float64' })).toBe(false);
    expect(isPathCase({ ...f32(1e5), variant: 'centered' })).toBe(false);
  });
});
