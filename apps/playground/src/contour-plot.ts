import type { LossSurface } from './loss-surface.js';
import { contourSegments } from './marching-squares.js';
import { RACER_STYLE } from './racers.js';
import type { Track } from './run-race.js';

/** Grid samples across the plot (the heat map is drawn at this resolution and scaled up smoothly). */
const GRID_COLUMNS = 160;
const LEVELS = 14;

/** A loss value on a 0…1 colour scale: log-spaced above the grid's minimum, or linear. */
function normalise(values: Float64Array, log: boolean): { scaled: Float64Array; levels: number[] } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // Log scale: the distance above the lowest sample, floored at a millionth of the range.
  const floor = (hi - lo) * 1e-6 || 1e-12;
  const f = log ? (v: number) => Math.log10(v - lo + floor) : (v: number) => v;
  const flo = f(lo);
  const fhi = f(hi);
  const scaled = values.map((v) => (f(v) - flo) / (fhi - flo || 1));
  const levels = Array.from({ length: LEVELS }, (_, k) => (k + 0.5) / LEVELS);
  return { scaled, levels };
}

/** Viridis-like ramp from dark blue (low loss) to pale yellow (high), light enough for the paths on top. */
function colour(u: number): [number, number, number] {
  const stops: [number, number, number][] = [
    [49, 54, 149],
    [69, 117, 180],
    [116, 173, 209],
    [171, 217, 233],
    [224, 243, 248],
    [254, 224, 144],
    [253, 174, 97],
  ];
  const x = Math.min(Math.max(u, 0), 1) * (stops.length - 1);
  const k = Math.min(Math.floor(x), stops.length - 2);
  const t = x - k;
  const a = stops[k]!;
  const b = stops[k + 1]!;
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/**
 * The loss surface as a heat map with contour lines, the optimizers' paths on top, and the minimum. The
 * map is computed once per surface (and per redraw of the moving surface's current step).
 */
export class ContourPlot {
  readonly canvas: HTMLCanvasElement;
  #surface: LossSurface | null = null;
  #background: HTMLCanvasElement | null = null;
  #backgroundStep = -1;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
  }

  /** World coordinates of a point in the canvas's CSS pixels. */
  toWorld(px: number, py: number): [number, number] {
    const [x0, x1, y0, y1] = this.#surface!.box;
    const rect = this.canvas.getBoundingClientRect();
    return [x0 + (px / rect.width) * (x1 - x0), y1 - (py / rect.height) * (y1 - y0)];
  }

  /** Canvas pixel of a world point. */
  #toPixel(x: number, y: number): [number, number] {
    const [x0, x1, y0, y1] = this.#surface!.box;
    return [((x - x0) / (x1 - x0)) * this.canvas.width, ((y1 - y) / (y1 - y0)) * this.canvas.height];
  }

  /** Draws the surface at step `t`, each track up to `upTo` steps, and the start point. */
  draw(surface: LossSurface, tracks: readonly Track[], upTo: number, t: number): void {
    const stepForMap = surface.id === 'moving' ? t : 0;
    if (surface !== this.#surface || this.#backgroundStep !== stepForMap || this.#background === null) {
      this.#surface = surface;
      this.#background = this.#renderBackground(surface, stepForMap);
      this.#backgroundStep = stepForMap;
    }
    const ctx = this.canvas.getContext('2d')!;
    ctx.drawImage(this.#background, 0, 0);
    const minimum = surface.minimum(t);
    if (minimum !== null) {
      const [mx, my] = this.#toPixel(minimum[0], minimum[1]);
      ctx.save();
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.moveTo(mx - 7, my - 7);
      ctx.lineTo(mx + 7, my + 7);
      ctx.moveTo(mx + 7, my - 7);
      ctx.lineTo(mx - 7, my + 7);
      ctx.stroke();
      ctx.restore();
    }
    for (const track of tracks) {
      const style = RACER_STYLE[track.id];
      const last = Math.min(upTo, track.length - 1);
      ctx.save();
      ctx.strokeStyle = style.color;
      ctx.lineWidth = track.id === 'rmsprop' ? 3 : 2;
      ctx.setLineDash(style.dash as number[]);
      ctx.beginPath();
      for (let k = 0; k <= last; k++) {
        const [px, py] = this.#toPixel(track.x[k]!, track.y[k]!);
        // Keep far-off points drawable (a diverging SGD leaves the view).
        const cx = Math.max(-1e4, Math.min(1e4, px));
        const cy = Math.max(-1e4, Math.min(1e4, py));
        if (k === 0) ctx.moveTo(cx, cy);
        else ctx.lineTo(cx, cy);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      const [hx, hy] = this.#toPixel(track.x[last]!, track.y[last]!);
      ctx.fillStyle = style.color;
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(hx, hy, 5, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
      ctx.restore();
    }
    if (tracks.length > 0) {
      const [sx, sy] = this.#toPixel(tracks[0]!.x[0]!, tracks[0]!.y[0]!);
      ctx.save();
      ctx.fillStyle = '#fff';
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(sx, sy, 6, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
      ctx.restore();
    }
  }

  #renderBackground(surface: LossSurface, t: number): HTMLCanvasElement {
    const { width, height } = this.canvas;
    const columns = GRID_COLUMNS;
    const rows = Math.max(2, Math.round((GRID_COLUMNS * height) / width));
    const [x0, x1, y0, y1] = surface.box;
    const values = new Float64Array(columns * rows);
    for (let j = 0; j < rows; j++) {
      const y = y1 - ((y1 - y0) * j) / (rows - 1);
      for (let i = 0; i < columns; i++) values[j * columns + i] = surface.loss(x0 + ((x1 - x0) * i) / (columns - 1), y, t);
    }
    const { scaled, levels } = normalise(values, surface.logLevels);
    const small = document.createElement('canvas');
    small.width = columns;
    small.height = rows;
    const image = small.getContext('2d')!.createImageData(columns, rows);
    for (let k = 0; k < scaled.length; k++) {
      const [r, g, b] = colour(scaled[k]!);
      image.data[4 * k] = r;
      image.data[4 * k + 1] = g;
      image.data[4 * k + 2] = b;
      image.data[4 * k + 3] = 255;
    }
    small.getContext('2d')!.putImageData(image, 0, 0);
    const background = document.createElement('canvas');
    background.width = width;
    background.height = height;
    const ctx = background.getContext('2d')!;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, width, height);
    ctx.strokeStyle = 'rgba(20, 20, 40, 0.35)';
    ctx.lineWidth = 1;
    const sx = width / (columns - 1);
    const sy = height / (rows - 1);
    ctx.beginPath();
    for (const level of levels) {
      const segments = contourSegments(scaled, columns, rows, level);
      for (let k = 0; k < segments.length; k += 4) {
        ctx.moveTo(segments[k]! * sx, segments[k + 1]! * sy);
        ctx.lineTo(segments[k + 2]! * sx, segments[k + 3]! * sy);
      }
    }
    ctx.stroke();
    return background;
  }
}
