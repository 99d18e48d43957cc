import type { IMPLEMENTATION_NAMES } from './assemble-implementations.js';
import type { BenchRow } from './bench-row.js';
import { throughputChartSvg, type ThroughputSeries } from './throughput-chart-svg.js';

/** A line's look: a colour and an SVG stroke-dasharray (solid when absent). */
export interface SeriesStyle {
  readonly color: string;
  readonly dash?: string;
}

/**
 * 13 categorical colours that stay apart on white (Okabe–Ito's, which colour-blind readers can tell apart,
 * then darker ones from Tableau and Kelly), and the dash patterns. A line is told apart by the pair.
 */
export const CHART_COLORS = [
  '#000000', // black
  '#0072b2', // blue
  '#d55e00', // vermillion
  '#009e73', // bluish green
  '#cc79a7', // reddish purple
  '#e69f00', // orange
  '#56b4e9', // sky blue
  '#7f3c8d', // purple
  '#8c6d31', // brown
  '#c5172f', // crimson
  '#6b8e23', // olive
  '#17becf', // cyan
  '#666666', // grey
] as const;

/** Dash patterns: solid (this project's careful rows), long dashes (limits), dash-dot (path rows), dots (peers). */
export const CHART_DASHES = [undefined, '7 4', '9 3 2 3', '2 3'] as const;

const [BLACK, BLUE, VERMILLION, GREEN, PINK, ORANGE, SKY, PURPLE, BROWN, CRIMSON, OLIVE, CYAN, GREY] = CHART_COLORS;
const [SOLID, DASHED, DASH_DOT, DOTTED] = CHART_DASHES;

/**
 * The style of every implementation the bench knows, fixed by name so a line looks the same in every run
 * whatever else ran: limits dashed, this project's rows solid, the path rows dash-dot, peers dotted, and
 * within each group a colour of its own. No two share both colour and dash.
 */
export const IMPLEMENTATION_STYLES: Readonly<Record<(typeof IMPLEMENTATION_NAMES)[number], SeriesStyle>> = {
  ceiling: { color: BLACK, dash: DASHED },
  'ceiling-2t': { color: GREY, dash: DASHED },
  'sqrt-div': { color: BROWN, dash: DASHED },
  'rmsprop-cpu': { color: BLUE, dash: SOLID },
  'rmsprop-cpu-one': { color: SKY, dash: SOLID },
  'rmsprop-cpu-js': { color: GREEN, dash: SOLID },
  'rmsprop-cpu-2t': { color: PINK, dash: SOLID },
  readme: { color: VERMILLION, dash: DASH_DOT },
  'own-arrays': { color: CRIMSON, dash: DASH_DOT },
  'own-arrays-read-only': { color: PURPLE, dash: DASH_DOT },
  'own-arrays-propagate': { color: ORANGE, dash: DASH_DOT },
  'views-error': { color: CYAN, dash: DASH_DOT },
  'js-in-place': { color: OLIVE, dash: DASH_DOT },
  'rmsprop-tfjs-cpu': { color: ORANGE, dash: SOLID },
  'rmsprop-tfjs-wasm': { color: PURPLE, dash: SOLID },
  'js-loop': { color: GREEN, dash: DOTTED },
  'allocating-js': { color: GREY, dash: DOTTED },
  'tfjs-cpu': { color: VERMILLION, dash: DOTTED },
  'tfjs-wasm': { color: PURPLE, dash: DOTTED },
  pytorch: { color: CRIMSON, dash: DOTTED },
};

function styleKey(style: SeriesStyle): string {
  return `${style.color}|${style.dash ?? ''}`;
}

/**
 * A style for each name, in order: the fixed one for a known implementation, else the first (colour, dash)
 * pair no other line of this chart has (colours first, then dash patterns).
 */
export function seriesStyles(names: readonly string[]): SeriesStyle[] {
  const known = IMPLEMENTATION_STYLES as Readonly<Record<string, SeriesStyle>>;
  const used = new Set(names.filter((name) => Object.hasOwn(known, name)).map((name) => styleKey(known[name])));
  const free: SeriesStyle[] = [];
  for (const dash of CHART_DASHES) for (const color of CHART_COLORS) if (!used.has(styleKey({ color, dash }))) free.push(dash === undefined ? { color } : { color, dash });
  let next = 0;
  return names.map((name) => (Object.hasOwn(known, name) ? known[name] : free[next++ % free.length]));
}

/**
 * The chart of a run: float32, plain variant, one parameter: elements/s against N for each implementation,
 * in `order`, each in its own colour and dash pattern (IMPLEMENTATION_STYLES).
 */
export function benchChartSvg(rows: readonly BenchRow[], order: readonly string[], subtitle: string): string {
  const plain = rows.filter((r) => r.dtype === 'float32' && r.variant === 'plain' && r.layout === 'single' && Number.isFinite(r.elementsPerSecond));
  const names = order.filter((name) => plain.some((r) => r.implementation === name));
  for (const r of plain) if (!names.includes(r.implementation)) names.push(r.implementation);
  const styles = seriesStyles(names);
  const series: ThroughputSeries[] = names.map((name, k) => {
    const points = plain.filter((r) => r.implementation === name).map((r) => ({ n: r.n, value: r.elementsPerSecond }));
    const { color, dash } = styles[k];
    return dash === undefined ? { name, color, points } : { name, color, dash, points };
  });
  return throughputChartSvg({ title: 'RMSProp step throughput, float32, plain variant (log–log)', subtitle, series });
}
