import { describe, expect, it } from 'vitest';
import { IMPLEMENTATION_NAMES } from './assemble-implementations.js';
import { benchChartSvg, CHART_COLORS, IMPLEMENTATION_STYLES, seriesStyles } from './bench-chart.js';
import { buildPlan } from './bench-plan.js';
import type { BenchRow } from './bench-row.js';

describe('benchChartSvg', () => {
  it('gives every implementation of the full plan its own (colour, dash) pair', () => {
    // Every implementation that the full plan runs in any case, each with a row in the chart's case.
    const plan = buildPlan({ quick: false });
    const names = IMPLEMENTATION_NAMES.filter((name) => plan.some((c) => c.leaveOut?.[name] === undefined));
    expect(names).toEqual([...IMPLEMENTATION_NAMES]);
    const rows: BenchRow[] = names.flatMap((implementation) =>
      [1e3, 1e5].map((n) => ({ implementation, variant: 'plain' as const, dtype: 'float32' as const, n, layout: 'single' as const, elementsPerSecond: 1e8 })),
    );
    const svg = benchChartSvg(rows, names, 'test');
    const drawn = [...svg.matchAll(/<path data-series="([^"]+)" d="[^"]+" stroke="([^"]+)" stroke-width="2"(?: stroke-dasharray="([^"]+)")?\/>/g)].map((m) => ({
      name: m[1],
      pair: `${m[2]}|${m[3] ?? 'solid'}`,
    }));
    expect(drawn.map((d) => d.name)).toEqual(names);
    expect(new Set(drawn.map((d) => d.pair)).size).toBe(names.length);
  });

  it('keeps each implementation’s style whatever else runs, and finds free pairs for unknown names', () => {
    expect(seriesStyles(['pytorch'])).toEqual([IMPLEMENTATION_STYLES.pytorch]);
    // These three once shared one orange dotted line.
    expect(new Set(seriesStyles(['ceiling-2t', 'tfjs-wasm', 'pytorch']).map((s) => `${s.color}|${s.dash}`)).size).toBe(3);
    const all = seriesStyles([...IMPLEMENTATION_NAMES, 'extra-1', 'extra-2']);
    expect(new Set(all.map((s) => `${s.color}|${s.dash ?? ''}`)).size).toBe(all.length);
    expect(CHART_COLORS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(CHART_COLORS).size).toBe(CHART_COLORS.length);
  });
});
