import { describe, expect, it } from 'vitest';
import { benchJson } from './bench-json.js';
import type { BenchRow } from './bench-row.js';
import { measureSettings } from './bench-plan.js';

describe('benchJson', () => {
  const rows: BenchRow[] = [
    { implementation: 'rmsprop-cpu', variant: 'plain', dtype: 'float32', n: 1e5, layout: 'single', elementsPerSecond: 1.5e9 },
    { implementation: 'js-loop', variant: 'plain', dtype: 'float32', n: 1e6, layout: '1000x1000', elementsPerSecond: 2e8 },
    { implementation: 'tfjs-wasm', variant: 'plain', dtype: 'float32', n: 1e5, layout: 'single', elementsPerSecond: NaN },
  ];
  const doc = benchJson({
    machine: { cpuModel: 'Test CPU', logicalCores: 2, node: 'v20.0.0' },
    rows,
    goals: [{ id: 'g', title: 't', target: '≥ 1', status: 'met', measured: 2, detail: 'd' }],
    allocation: undefined,
    skipped: [
      { implementation: 'pytorch', reason: 'import torch failed' },
      { implementation: 'tfjs-cpu', case: { variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single' }, reason: 'float32 only' },
    ],
    settings: { ...measureSettings(true), quick: true },
    implementations: { 'rmsprop-cpu': 'RMSPropOptimizer on createCpuBackend()' },
  });

  it('has machine and rows with exactly the issue’s fields, the CPU backend’s rows named rmsprop-cpu', () => {
    const parsed = JSON.parse(JSON.stringify(doc));
    expect(parsed.machine).toEqual({ cpuModel: 'Test CPU', logicalCores: 2, node: 'v20.0.0' });
    expect(parsed.rows).toEqual([
      { implementation: 'rmsprop-cpu', variant: 'plain', dtype: 'float32', n: 100000, layout: 'single', elementsPerSecond: 1.5e9 },
      { implementation: 'js-loop', variant: 'plain', dtype: 'float32', n: 1000000, layout: '1000x1000', elementsPerSecond: 2e8 },
    ]);
    for (const r of parsed.rows) expect(Object.keys(r).sort()).toEqual(['dtype', 'elementsPerSecond', 'implementation', 'layout', 'n', 'variant']);
  });

  it('leaves out rows without a number (a failed run), which JSON could not hold', () => {
    expect(doc.rows.some((r) => r.implementation === 'tfjs-wasm')).toBe(false);
  });

  it('carries the goals, the allocation check (null when absent), the skips with their case, and the settings', () => {
    expect(doc.goals[0].status).toBe('met');
    expect(doc.allocation).toBeNull();
    expect(doc.skipped).toEqual([
      { implementation: 'pytorch', reason: 'import torch failed' },
      { implementation: 'tfjs-cpu', variant: 'plain', dtype: 'float64', n: 1e5, layout: 'single', reason: 'float32 only' },
    ]);
    expect(doc.settings.quick).toBe(true);
    expect(Object.keys(doc).sort()).toEqual(['allocation', 'goals', 'implementations', 'machine', 'rows', 'settings', 'skipped']);
  });
});
