/** One curve: values[i] is plotted at x = i. Non-positive and non-finite values leave a gap. */
export interface ChartSeries {
  readonly name: string;
  /** Any SVG colour, e.g. "#0072b2". */
  readonly color: string;
  readonly values: ArrayLike<number>;
  /** Stroke width in px (default 1.75). */
  readonly width?: number;
  /** A second, smaller legend line (e.g. the learning rate). */
  readonly note?: string;
}

export interface LossChartOptions {
  readonly title: string;
  /** A smaller line under the title. */
  readonly subtitle?: string;
  readonly series: readonly ChartSeries[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Dashed vertical lines with a label at the top (e.g. where the data set changes). */
  readonly verticalMarkers?: readonly { readonly x: number; readonly label: string }[];
  /** Dashed horizontal lines with a label at the right (e.g. the target loss). */
  readonly horizontalMarkers?: readonly { readonly y: number; readonly label: string }[];
  readonly width?: number;
  readonly height?: number;
}

const FONT = 'Helvetica, Arial, sans-serif';
const MINUS = '\u2212';

/** Escape text for SVG character data and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** 1, 2 or 5 times a power of ten, close to `rough`. */
function niceStep(rough: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(rough)));
  const f = rough / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

/** Coordinates with at most 2 decimals, no trailing zeros. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** "10" with a superscript exponent, as SVG text content. */
function powerOfTen(exponent: number): string {
  if (exponent === 0) return '1';
  if (exponent === 1) return '10';
  const sign = exponent < 0 ? MINUS : '';
  return `10<tspan dy="-6" font-size="10">${sign}${Math.abs(exponent)}</tspan>`;
}

/**
 * The points of one series in pixels, thinned to about two per pixel column: for each column, the lowest
 * and highest value in it, in step order, so spikes and the envelope survive. Gaps split the path.
 */
function seriesPath(values: ArrayLike<number>, x: (i: number) => number, y: (v: number) => number, columns: number): string {
  const n = values.length;
  const perColumn = Math.max(1, Math.floor(n / columns));
  const parts: string[] = [];
  let penDown = false;
  for (let start = 0; start < n; start += perColumn) {
    const end = Math.min(n, start + perColumn);
    let lo = -1;
    let hi = -1;
    let gap = false;
    for (let i = start; i < end; i++) {
      const v = values[i];
      if (!(v > 0 && Number.isFinite(v))) {
        gap = true;
        continue;
      }
      if (lo < 0 || v < values[lo]) lo = i;
      if (hi < 0 || v > values[hi]) hi = i;
    }
    const picks = lo < 0 ? [] : lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo];
    for (const i of picks) {
      parts.push(`${penDown ? 'L' : 'M'}${num(x(i))} ${num(y(values[i]))}`);
      penDown = true;
    }
    if (gap) penDown = false;
  }
  return parts.join(' ');
}

/**
 * A line chart of loss curves with a log-scale y axis, as a standalone SVG 1.1 document: axes with ticks
 * and labels, light grid lines at each power of ten, optional markers, and a legend. No dependencies, no
 * scripts, no external resources.
 */
export function lossChartSvg(options: LossChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 540;
  const margin = { top: options.subtitle === undefined ? 56 : 76, right: 190, bottom: 64, left: 84 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  if (options.series.length === 0) throw new RangeError('a chart needs at least one series');

  // Ranges: x from 0 to the longest series' last index; y in whole powers of ten around every positive value.
  let xMax = 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of options.series) {
    xMax = Math.max(xMax, s.values.length - 1);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (v > 0 && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  for (const m of options.horizontalMarkers ?? []) {
    if (m.y > 0 && Number.isFinite(m.y)) {
      lo = Math.min(lo, m.y);
      hi = Math.max(hi, m.y);
    }
  }
  if (lo === Infinity) {
    lo = 1e-3;
    hi = 1;
  }
  const yMinExp = Math.floor(Math.log10(lo));
  const yMaxExp = Math.max(yMinExp + 1, Math.ceil(Math.log10(hi)));
  const x = (i: number): number => margin.left + (i / xMax) * plotW;
  // Positions are computed from log10 of the value, never from 10^e: below 1e-323, 10^e underflows to 0
  // and log10(0) = −∞ would put "Infinity" into the coordinates.
  const yLog = (exponent: number): number => margin.top + ((yMaxExp - exponent) / (yMaxExp - yMinExp)) * plotH;
  const y = (v: number): number => yLog(Math.log10(v));

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" role="img" aria-labelledby="chart-title">`,
  );
  out.push(`<title id="chart-title">${escapeXml(options.title)}</title>`);
  out.push(`<defs><clipPath id="plot-area"><rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}"/></clipPath></defs>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="26" font-size="17" font-weight="bold" fill="#222222">${escapeXml(options.title)}</text>`);
  if (options.subtitle !== undefined) {
    out.push(`<text x="${margin.left}" y="48" font-size="12.5" fill="#555555">${escapeXml(options.subtitle)}</text>`);
  }

  // Grid and y ticks: a major tick at each power of ten (every second one when there are many), minor ticks at 2…9.
  const decades = yMaxExp - yMinExp;
  const every = Math.ceil(decades / 10);
  out.push('<g class="y-axis" stroke="#999999">');
  for (let e = yMinExp; e <= yMaxExp; e++) {
    const py = num(yLog(e));
    if ((e - yMinExp) % every === 0) {
      out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${py}" y2="${py}" stroke="#e6e6e6"/>`);
      out.push(`<line x1="${margin.left - 6}" x2="${margin.left}" y1="${py}" y2="${py}"/>`);
    }
    if (decades <= 8 && e < yMaxExp) {
      for (let m = 2; m <= 9; m++) {
        const my = num(yLog(e + Math.log10(m)));
        out.push(`<line x1="${margin.left - 3}" x2="${margin.left}" y1="${my}" y2="${my}"/>`);
      }
    }
  }
  out.push('</g>');
  out.push('<g class="y-tick-labels" text-anchor="end" fill="#333333">');
  for (let e = yMinExp; e <= yMaxExp; e += every) {
    out.push(`<text x="${margin.left - 10}" y="${num(yLog(e) + 4)}">${powerOfTen(e)}</text>`);
  }
  out.push('</g>');

  // x ticks at 1, 2 or 5 × 10^k steps.
  const xStep = niceStep(xMax / 8);
  out.push('<g class="x-axis" stroke="#999999">');
  for (let t = 0; t <= xMax + 1e-9; t += xStep) {
    const px = num(x(t));
    out.push(`<line x1="${px}" x2="${px}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f0f0f0"/>`);
    out.push(`<line x1="${px}" x2="${px}" y1="${margin.top + plotH}" y2="${margin.top + plotH + 6}"/>`);
  }
  out.push('</g>');
  out.push('<g class="x-tick-labels" text-anchor="middle" fill="#333333">');
  for (let t = 0; t <= xMax + 1e-9; t += xStep) {
    out.push(`<text x="${num(x(t))}" y="${margin.top + plotH + 22}">${Number(t.toPrecision(6))}</text>`);
  }
  out.push('</g>');

  // Axis lines and labels.
  out.push(
    `<path d="M${margin.left} ${margin.top} V${margin.top + plotH} H${margin.left + plotW}" fill="none" stroke="#333333" stroke-width="1.2"/>`,
  );
  out.push(`<text x="${num(margin.left + plotW / 2)}" y="${height - 16}" text-anchor="middle" font-size="13" fill="#222222">${escapeXml(options.xLabel)}</text>`);
  out.push(
    `<text transform="translate(22 ${num(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="13" fill="#222222">${escapeXml(options.yLabel)}</text>`,
  );

  // Markers.
  for (const m of options.verticalMarkers ?? []) {
    if (!Number.isFinite(m.x)) continue;
    const px = num(x(m.x));
    out.push(`<line class="marker" x1="${px}" x2="${px}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#777777" stroke-dasharray="5 4"/>`);
    out.push(`<text x="${num(x(m.x) + 5)}" y="${margin.top + 14}" font-size="11" fill="#555555">${escapeXml(m.label)}</text>`);
  }
  for (const m of options.horizontalMarkers ?? []) {
    if (!(m.y > 0 && Number.isFinite(m.y))) continue;
    const py = num(y(m.y));
    out.push(`<line class="marker" x1="${margin.left}" x2="${margin.left + plotW}" y1="${py}" y2="${py}" stroke="#d55e00" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${margin.left + plotW + 6}" y="${num(y(m.y) + 4)}" font-size="11" fill="#d55e00">${escapeXml(m.label)}</text>`);
  }

  // Curves, clipped to the plot area.
  out.push('<g class="series" clip-path="url(#plot-area)" fill="none" stroke-linejoin="round" stroke-linecap="round">');
  for (const s of options.series) {
    const d = seriesPath(s.values, x, y, plotW);
    if (d.length === 0) continue;
    out.push(`<path data-series="${escapeXml(s.name)}" d="${d}" stroke="${escapeXml(s.color)}" stroke-width="${s.width ?? 1.75}"/>`);
  }
  out.push('</g>');

  // Legend, right of the plot.
  const lx = margin.left + plotW + 18;
  out.push(`<g class="legend" font-size="12.5" fill="#222222">`);
  options.series.forEach((s, k) => {
    const ly = margin.top + 40 + k * 40;
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${escapeXml(s.color)}" stroke-width="3"/>`);
    out.push(`<text x="${lx + 34}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
    if (s.note !== undefined) out.push(`<text x="${lx + 34}" y="${ly + 20}" font-size="11" fill="#555555">${escapeXml(s.note)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
