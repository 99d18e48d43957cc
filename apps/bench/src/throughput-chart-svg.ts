/** One line of the chart: elements/s at each n. */
export interface ThroughputSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly { readonly n: number; readonly value: number }[];
  /** An SVG stroke-dasharray ("6 4"); solid when absent. */
  readonly dash?: string;
}

export interface ThroughputChartOptions {
  readonly title: string;
  readonly subtitle?: string;
  readonly series: readonly ThroughputSeries[];
  readonly width?: number;
  readonly height?: number;
}

const FONT = 'Helvetica, Arial, sans-serif';
const MINUS = '\u2212';


export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

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
 * Elements/s against n, both axes log10, one line per series with a marker at each measured point, grid
 * lines at each power of ten and a legend: a standalone SVG 1.1 document (no scripts, no external
 * resources). Points that are not positive and finite are left out.
 */
export function throughputChartSvg(options: ThroughputChartOptions): string {
  const width = options.width ?? 960;
  const height = options.height ?? 560;
  const margin = { top: options.subtitle === undefined ? 56 : 76, right: 200, bottom: 64, left: 84 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const good = (p: { n: number; value: number }): boolean => p.n > 0 && p.value > 0 && Number.isFinite(p.n) && Number.isFinite(p.value);
  const all = options.series.flatMap((s) => s.points.filter(good));
  const ns = all.map((p) => p.n);
  const values = all.map((p) => p.value);
  const xMin = ns.length > 0 ? Math.floor(Math.log10(Math.min(...ns))) : 3;
  const xMax = ns.length > 0 ? Math.max(xMin + 1, Math.ceil(Math.log10(Math.max(...ns)))) : 7;
  const yMin = values.length > 0 ? Math.floor(Math.log10(Math.min(...values))) : 6;
  const yMax = values.length > 0 ? Math.max(yMin + 1, Math.ceil(Math.log10(Math.max(...values)))) : 10;
  const x = (n: number): number => margin.left + ((Math.log10(n) - xMin) / (xMax - xMin)) * plotW;
  const yLog = (e: number): number => margin.top + ((yMax - e) / (yMax - yMin)) * plotH;
  const y = (v: number): number => yLog(Math.log10(v));

  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" role="img" aria-labelledby="chart-title">`,
  );
  out.push(`<title id="chart-title">${escapeXml(options.title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="26" font-size="17" font-weight="bold" fill="#222222">${escapeXml(options.title)}</text>`);
  if (options.subtitle !== undefined) out.push(`<text x="${margin.left}" y="48" font-size="12.5" fill="#555555">${escapeXml(options.subtitle)}</text>`);

  out.push('<g class="grid" stroke="#e6e6e6">');
  for (let e = yMin; e <= yMax; e++) out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${num(yLog(e))}" y2="${num(yLog(e))}"/>`);
  for (let e = xMin; e <= xMax; e++) out.push(`<line x1="${num(x(10 ** e))}" x2="${num(x(10 ** e))}" y1="${margin.top}" y2="${margin.top + plotH}"/>`);
  out.push('</g>');
  out.push('<g class="y-tick-labels" text-anchor="end" fill="#333333">');
  for (let e = yMin; e <= yMax; e++) out.push(`<text x="${margin.left - 10}" y="${num(yLog(e) + 4)}">${powerOfTen(e)}</text>`);
  out.push('</g>');
  out.push('<g class="x-tick-labels" text-anchor="middle" fill="#333333">');
  for (let e = xMin; e <= xMax; e++) out.push(`<text x="${num(x(10 ** e))}" y="${margin.top + plotH + 22}">${powerOfTen(e)}</text>`);
  out.push('</g>');
  out.push(`<path d="M${margin.left} ${margin.top} V${margin.top + plotH} H${margin.left + plotW}" fill="none" stroke="#333333" stroke-width="1.2"/>`);
  out.push(`<text x="${num(margin.left + plotW / 2)}" y="${height - 16}" text-anchor="middle" font-size="13" fill="#222222">N (elements per step)</text>`);
  out.push(`<text transform="translate(22 ${num(margin.top + plotH / 2)}) rotate(-90)" text-anchor="middle" font-size="13" fill="#222222">elements per second</text>`);

  out.push('<g class="series" fill="none" stroke-linejoin="round" stroke-linecap="round">');
  for (const s of options.series) {
    const points = s.points.filter(good).sort((a, b) => a.n - b.n);
    if (points.length === 0) continue;
    const d = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${num(x(p.n))} ${num(y(p.value))}`).join(' ');
    const dash = s.dash === undefined ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    out.push(`<path data-series="${escapeXml(s.name)}" d="${d}" stroke="${escapeXml(s.color)}" stroke-width="2"${dash}/>`);
    for (const p of points) out.push(`<circle cx="${num(x(p.n))}" cy="${num(y(p.value))}" r="3" fill="${escapeXml(s.color)}" stroke="none"/>`);
  }
  out.push('</g>');

  const lx = margin.left + plotW + 18;
  out.push('<g class="legend" font-size="12.5" fill="#222222">');
  options.series.forEach((s, k) => {
    const ly = margin.top + 20 + k * 24;
    const dash = s.dash === undefined ? '' : ` stroke-dasharray="${escapeXml(s.dash)}"`;
    out.push(`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${escapeXml(s.color)}" stroke-width="3"${dash}/>`);
    out.push(`<text x="${lx + 34}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
