/** One line of a chart. */
export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly dash: readonly number[];
  /** y at x = 0, 1, 2, …; non-finite and (on a log axis) non-positive values leave a gap. */
  readonly values: ArrayLike<number>;
  readonly length: number;
}

const PAD = { left: 58, right: 12, top: 24, bottom: 28 };

/** A tick label: short, with an exponent where the range needs one. */
export function formatTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-2) return v.toExponential(0).replace('e+', 'e');
  return Number(v.toPrecision(2)).toString();
}

/** Round ticks over [lo, hi]: powers of ten on a log axis, 1-2-5 steps on a linear one. */
export function ticks(lo: number, hi: number, log: boolean): number[] {
  if (!(hi > lo)) return [lo];
  if (log) {
    const out: number[] = [];
    const first = Math.ceil(Math.log10(lo));
    const last = Math.floor(Math.log10(hi));
    const stride = Math.max(1, Math.ceil((last - first + 1) / 6));
    for (let e = first; e <= last; e += stride) out.push(10 ** e);
    return out.length > 0 ? out : [lo, hi];
  }
  const raw = (hi - lo) / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** A small line chart on a canvas: x is the step, y linear or log, a legend of the series drawn. */
export function drawLineChart(canvas: HTMLCanvasElement, title: string, series: readonly ChartSeries[], options: { log: boolean; upTo: number }): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const ok = (v: number) => Number.isFinite(v) && (!options.log || v > 0);
  let lo = Infinity;
  let hi = -Infinity;
  let xMax = 1;
  for (const s of series) {
    const n = Math.min(s.length, options.upTo + 1);
    xMax = Math.max(xMax, s.length - 1);
    for (let k = 0; k < n; k++) {
      const v = s.values[k]!;
      if (!ok(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  ctx.fillStyle = '#222';
  ctx.font = 'bold 15px system-ui, sans-serif';
  ctx.fillText(title, PAD.left, 15);
  if (!(hi >= lo)) return;
  if (hi === lo) {
    hi = options.log ? hi * 10 : hi + 1;
    lo = options.log ? lo / 10 : lo - 1;
  }
  const fy = options.log ? Math.log10 : (v: number) => v;
  const [ylo, yhi] = [fy(lo), fy(hi)];
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const px = (k: number) => PAD.left + (k / xMax) * plotW;
  const py = (v: number) => PAD.top + (1 - (fy(v) - ylo) / (yhi - ylo)) * plotH;
  ctx.strokeStyle = '#ddd';
  ctx.fillStyle = '#555';
  ctx.font = '13px system-ui, sans-serif';
  ctx.lineWidth = 1;
  for (const t of ticks(lo, hi, options.log)) {
    const y = py(t);
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(width - PAD.right, y);
    ctx.stroke();
    ctx.fillText(formatTick(t), 4, y + 4);
  }
  for (const t of ticks(0, xMax, false)) {
    const label = String(t);
    ctx.fillText(label, Math.min(px(t) - 3 * label.length, width - PAD.right - 7 * label.length), height - 10);
  }
  ctx.fillText('step', 4, height - 10);
  ctx.strokeStyle = '#888';
  ctx.strokeRect(PAD.left, PAD.top, plotW, plotH);
  for (const s of series) {
    ctx.save();
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 2;
    ctx.setLineDash(s.dash as number[]);
    ctx.beginPath();
    let pen = false;
    const n = Math.min(s.length, options.upTo + 1);
    for (let k = 0; k < n; k++) {
      const v = s.values[k]!;
      if (!ok(v)) {
        pen = false;
        continue;
      }
      const y = Math.max(PAD.top - 2, Math.min(PAD.top + plotH + 2, py(v)));
      if (pen) ctx.lineTo(px(k), y);
      else ctx.moveTo(px(k), y);
      pen = true;
    }
    ctx.stroke();
    ctx.restore();
  }
}
