import type { BenchRow } from './bench-row.js';
import { throughputChartSvg, type ThroughputSeries } from './throughput-chart-svg.js';

/** Colours for this project's implementations (solid lines) and for the peers (dashed), kept apart for colour-blind readers. */
const OURS = ['#0072b2', '#009e73', '#56b4e9', '#cc79a7', '#e69f00'];
const PEERS = ['#d55e00', '#7f3c8d', '#8c6d31', '#11a579', '#444444', '#e6550d'];

/**
 * The chart of a run: float32, plain variant, one parameter: elements/s against N for each implementation,
 * in `order`: the ceiling black and dashed, this project's implementations (rmsprop-*) solid, peers dotted.
 */
export function benchChartSvg(rows: readonly BenchRow[], order: readonly string[], subtitle: string): string {
  const plain = rows.filter((r) => r.dtype === 'float32' && r.variant === 'plain' && r.layout === 'single' && Number.isFinite(r.elementsPerSecond));
  const names = order.filter((name) => plain.some((r) => r.implementation === name));
  for (const r of plain) if (!names.includes(r.implementation)) names.push(r.implementation);
  let ours = 0;
  let peers = 0;
  const series: ThroughputSeries[] = names.map((name) => {
    const points = plain.filter((r) => r.implementation === name).map((r) => ({ n: r.n, value: r.elementsPerSecond }));
    if (name === 'ceiling') return { name, color: '#000000', dash: '7 4', points };
    if (name.startsWith('rmsprop-')) return { name, color: OURS[ours++ % OURS.length], points };
    return { name, color: PEERS[peers++ % PEERS.length], dash: '2 3', points };
  });
  return throughputChartSvg({ title: 'RMSProp step throughput, float32, plain variant (log–log)', subtitle, series });
}
