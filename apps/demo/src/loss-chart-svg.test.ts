import { describe, expect, it } from 'vitest';
import { escapeXml, lossChartSvg, type LossChartOptions } from './loss-chart-svg.js';

/**
 * A small XML well-formedness check: one XML declaration, then tags that nest and close properly under a
 * single <svg> root, attributes quoted, and every "&" the start of an entity.
 */
function expectWellFormed(svg: string): void {
  expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
  const body = svg.slice(svg.indexOf('?>') + 2);
  expect(body).not.toContain('<?');
  expect(body.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(body); m !== null; m = tag.exec(body)) {
    // Nothing that looks like markup between tags.
    expect(body.slice(last, m.index)).not.toMatch(/[<>]/);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) {
      expect(stack.pop(), `closing </${name}>`).toBe(name);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClosing) stack.push(name);
    }
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

/** The `d` attribute of each series path, by series name. */
function seriesPaths(svg: string): Map<string, string> {
  const paths = new Map<string, string>();
  for (const m of svg.matchAll(/<path data-series="([^"]*)" d="([^"]*)"/g)) paths.set(m[1], m[2]);
  return paths;
}

/** The points of a path as [x, y] pairs, with the command letter. */
function points(d: string): { command: string; x: number; y: number }[] {
  return [...d.matchAll(/([ML])(-?[\d.]+) (-?[\d.]+)/g)].map((m) => ({ command: m[1], x: Number(m[2]), y: Number(m[3]) }));
}

/** The y-axis labels: their text (tags stripped) and y position. */
function yLabels(svg: string): { text: string; y: number }[] {
  const group = svg.slice(svg.indexOf('<g class="y-tick-labels"'), svg.indexOf('</g>', svg.indexOf('<g class="y-tick-labels"')));
  return [...group.matchAll(/<text x="[^"]*" y="([^"]*)">(.*?)<\/text>/g)].map((m) => ({ y: Number(m[1]), text: m[2].replace(/<[^>]*>/g, '') }));
}

const base = (series: LossChartOptions['series'], extra: Partial<LossChartOptions> = {}): LossChartOptions => ({
  title: 'Loss <curves> & "friends"',
  series,
  xLabel: 'step',
  yLabel: 'loss',
  ...extra,
});

describe('lossChartSvg', () => {
  it('writes a well-formed SVG document with a title and one path per series', () => {
    const decay = (rate: number): number[] => Array.from({ length: 201 }, (_, t) => Math.exp(-rate * t));
    const svg = lossChartSvg(
      base(
        [
          { name: 'SGD', color: '#e69f00', values: decay(0.01) },
          { name: 'AdaGrad', color: '#cc79a7', values: decay(0.03), note: 'η = 3.16' },
          { name: 'RMSProp', color: '#0072b2', values: decay(0.05), width: 2.25 },
        ],
        {
          subtitle: 'a <subtitle>',
          verticalMarkers: [{ x: 100, label: 'data set 2' }],
          horizontalMarkers: [{ y: 1e-3, label: 'target' }],
        },
      ),
    );
    expectWellFormed(svg);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(svg).toContain('<title id="chart-title">Loss &lt;curves&gt; &amp; &quot;friends&quot;</title>');
    expect(svg).toContain('a &lt;subtitle&gt;');
    expect([...seriesPaths(svg).keys()]).toEqual(['SGD', 'AdaGrad', 'RMSProp']);
    expect(svg.match(/<path data-series=/g)).toHaveLength(3);
    expect(svg).toContain('stroke-width="2.25"');
    expect(svg).toContain('η = 3.16');
    expect(svg).toContain('data set 2');
    expect(svg.match(/class="marker"/g)).toHaveLength(2);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('puts the y axis on a log scale: powers of ten equally spaced, labelled 10ⁿ', () => {
    const values = [10, 1, 0.1, 0.01, 0.001];
    const svg = lossChartSvg(base([{ name: 'decades', color: 'red', values }]));
    const labels = yLabels(svg);
    // From 10⁻³ (bottom) to 10¹ (top).
    expect(labels.map((l) => l.text)).toEqual(['10\u22123', '10\u22122', '10\u22121', '1', '10']);
    expect(svg).toContain('10<tspan dy="-6" font-size="10">\u22123</tspan>');
    const gaps = labels.slice(1).map((l, i) => labels[i].y - l.y);
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0], 1);
    expect(gaps[0]).toBeGreaterThan(0);
    // Each point sits on its decade's grid line (labels are drawn 4 px below the line).
    const pts = points(seriesPaths(svg).get('decades')!);
    expect(pts).toHaveLength(5);
    const labelY = new Map(labels.map((l) => [l.text, l.y - 4]));
    ['10', '1', '10\u22121', '10\u22122', '10\u22123'].forEach((text, i) => expect(pts[i].y).toBeCloseTo(labelY.get(text)!, 1));
    // x is linear in the index.
    const dx = pts.slice(1).map((p, i) => p.x - pts[i].x);
    for (const step of dx) expect(step).toBeCloseTo(dx[0], 1);
    // Minor ticks at 2…9 × 10ⁿ sit at log10(m) of the way up a decade.
    const decade = gaps[0];
    const oneY = labelY.get('1')!;
    const minorYs = [...svg.matchAll(/<line x1="81" x2="84" y1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(minorYs).toHaveLength(4 * 8);
    for (let m = 2; m <= 9; m++) {
      const expected = oneY - Math.log10(m) * decade;
      expect(Math.min(...minorYs.map((y) => Math.abs(y - expected))), `minor tick at ${m}`).toBeLessThan(0.02);
    }
  });

  it('leaves gaps for NaN, ±Infinity, zero and negative values without writing them into coordinates', () => {
    const svg = lossChartSvg(
      base([
        { name: 'holes', color: 'blue', values: [1, Number.NaN, 0.5, Infinity, 0.25, 0, -1, 0.125, -Infinity, 0.0625] },
        { name: 'diverged', color: 'green', values: [1, 2, 4, Number.NaN, Number.NaN] },
      ]),
    );
    expectWellFormed(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const holes = points(seriesPaths(svg).get('holes')!);
    // Five finite positive values, each after a gap except the first: five pen-ups.
    expect(holes.map((p) => p.command)).toEqual(['M', 'M', 'M', 'M', 'M']);
    expect(points(seriesPaths(svg).get('diverged')!).map((p) => p.command)).toEqual(['M', 'L', 'L']);
  });

  it('handles values down to the smallest subnormal without Infinity or NaN in the axis', () => {
    // Below 1e-323, 10^e underflows to 0: the ticks must not be placed at log10(0).
    const svg = lossChartSvg(base([{ name: 'tiny', color: 'blue', values: [1, 1e-100, 1e-320, Number.MIN_VALUE] }]));
    expectWellFormed(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    const labels = yLabels(svg);
    // 324 decades: a label at every 33rd power of ten from the bottom, 10⁻³²⁴, 10⁻²⁹¹, …, 10⁻²⁷.
    expect(labels.map((l) => l.text)).toEqual(Array.from({ length: 10 }, (_, k) => `10\u2212${324 - 33 * k}`));
    // Every coordinate lies within the 960×540 canvas.
    for (const m of svg.matchAll(/\b(?:x|y|x1|x2|y1|y2)="(-?[\d.]+)"/g)) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(0);
      expect(Number(m[1])).toBeLessThanOrEqual(960);
    }
    expect(points(seriesPaths(svg).get('tiny')!)).toHaveLength(4);
  });

  it('draws a chart from all-invalid data, with the series in the legend but no path', () => {
    const svg = lossChartSvg(base([{ name: 'nothing', color: 'blue', values: [Number.NaN, 0, -1] }, { name: 'empty', color: 'red', values: [] }]));
    expectWellFormed(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(seriesPaths(svg).size).toBe(0);
    expect(svg).toContain('>nothing</text>');
    expect(svg).toContain('>empty</text>');
  });

  it('skips markers that cannot be placed', () => {
    const svg = lossChartSvg(
      base([{ name: 'a', color: 'blue', values: [1, 0.1] }], {
        verticalMarkers: [{ x: Number.NaN, label: 'nowhere' }, { x: 1, label: 'end' }],
        horizontalMarkers: [{ y: 0, label: 'zero' }, { y: Number.NaN, label: 'nan' }],
      }),
    );
    expectWellFormed(svg);
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect(svg.match(/class="marker"/g)).toHaveLength(1);
    expect(svg).not.toContain('nowhere');
    expect(svg).not.toContain('>zero<');
  });

  it('thins a long series to about two points per pixel column and keeps a spike', () => {
    const values = new Float64Array(100_001).fill(1);
    values[54_321] = 100;
    values[12_345] = 0.01;
    const svg = lossChartSvg(base([{ name: 'long', color: 'blue', values }]));
    const pts = points(seriesPaths(svg).get('long')!);
    const plotWidth = 960 - 84 - 190;
    expect(pts.length).toBeLessThanOrEqual(2 * plotWidth + 4);
    const labels = new Map(yLabels(svg).map((l) => [l.text, l.y - 4]));
    const ys = pts.map((p) => p.y);
    // 10² is labelled "10" with a superscript "2", so its text content reads "102".
    expect(Math.min(...ys)).toBeCloseTo(labels.get('102')!, 1);
    expect(Math.max(...ys)).toBeCloseTo(labels.get('10\u22122')!, 1);
  });

  it('escapes names and colours, and needs at least one series', () => {
    const svg = lossChartSvg(base([{ name: `it's <b>`, color: '"red"', values: [1, 0.5] }]));
    expectWellFormed(svg);
    expect(svg).toContain('data-series="it&#39;s &lt;b&gt;"');
    expect(escapeXml(`a&b<c>"d"'e'`)).toBe('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#39;');
    expect(() => lossChartSvg(base([]))).toThrow(RangeError);
  });
});
