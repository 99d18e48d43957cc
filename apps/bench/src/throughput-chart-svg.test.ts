import { describe, expect, it } from 'vitest';
import { throughputChartSvg } from './throughput-chart-svg.js';

describe('throughputChartSvg', () => {
  const svg = throughputChartSvg({
    title: 'Throughput <float32>',
    subtitle: 'AMD & co',
    series: [
      { name: 'ceiling', color: '#000000', dash: '6 4', points: [{ n: 1e3, value: 5e9 }, { n: 1e7, value: 2e9 }] },
      { name: 'rmsprop-cpu', color: '#0072b2', points: [{ n: 1e7, value: 1e9 }, { n: 1e3, value: 1e9 }, { n: 1e5, value: NaN }] },
      { name: 'tfjs-cpu', color: '#d55e00', points: [{ n: 1e5, value: 4e6 }] },
    ],
  });

  it('is a standalone SVG with escaped text, no scripts and no external resources', () => {
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Throughput &lt;float32&gt;');
    expect(svg).toContain('AMD &amp; co');
    expect(svg).not.toMatch(/<script|href=|url\(/);
  });

  it('draws one line per series, sorted by n, leaving out points that are not positive numbers', () => {
    const paths = [...svg.matchAll(/<path data-series="([^"]+)" d="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(paths.map((p) => p[0])).toEqual(['ceiling', 'rmsprop-cpu', 'tfjs-cpu']);
    const cpu = paths[1][1].split(/[ML]/).filter(Boolean).map((p) => Number(p.trim().split(' ')[0]));
    expect(cpu).toHaveLength(2);
    expect(cpu[0]).toBeLessThan(cpu[1]); // 1e3 left of 1e7
    expect(svg).toContain('stroke-dasharray="6 4"');
    expect(svg).not.toContain('NaN');
  });

  it('labels both axes in powers of ten (log–log) and names every series in the legend', () => {
    expect(svg).toContain('N (elements per step)');
    expect(svg).toContain('elements per second');
    expect(svg).toContain('10<tspan dy="-6" font-size="10">3</tspan>');
    expect(svg).toContain('10<tspan dy="-6" font-size="10">7</tspan>');
    expect(svg).toContain('10<tspan dy="-6" font-size="10">9</tspan>');
    for (const name of ['ceiling', 'rmsprop-cpu', 'tfjs-cpu']) expect(svg).toContain(`>${name}</text>`);
  });

  it('still draws axes with no data', () => {
    expect(throughputChartSvg({ title: 'empty', series: [] })).toContain('</svg>');
  });
});
