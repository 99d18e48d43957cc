import { describe, expect, it } from 'vitest';
import { lossSurface, SURFACE_IDS } from './loss-surface.js';

describe('loss surfaces', () => {
  it.each(SURFACE_IDS)('%s: the gradient matches central differences of the loss', (id) => {
    const s = lossSurface(id);
    const [x0, x1, y0, y1] = s.box;
    const g = new Float64Array(2);
    for (let k = 0; k < 25; k++) {
      const x = x0 + ((x1 - x0) * ((k * 7) % 25)) / 25 + 0.013;
      const y = y0 + ((y1 - y0) * ((k * 11) % 25)) / 25 + 0.017;
      const t = k * 13;
      s.gradient(x, y, t, g);
      const h = 1e-6;
      const dx = (s.loss(x + h, y, t) - s.loss(x - h, y, t)) / (2 * h);
      const dy = (s.loss(x, y + h, t) - s.loss(x, y - h, t)) / (2 * h);
      const scale = Math.max(1, Math.abs(g[0]!), Math.abs(g[1]!));
      expect(Math.abs(g[0]! - dx) / scale, `${id} ∂x at (${x}, ${y})`).toBeLessThan(1e-5);
      expect(Math.abs(g[1]! - dy) / scale, `${id} ∂y at (${x}, ${y})`).toBeLessThan(1e-5);
    }
  });

  it.each(SURFACE_IDS)('%s: the minimum (where there is one) has zero gradient, and the start lies in the view', (id) => {
    const s = lossSurface(id);
    const [x0, x1, y0, y1] = s.box;
    expect(s.start[0]).toBeGreaterThanOrEqual(x0);
    expect(s.start[0]).toBeLessThanOrEqual(x1);
    expect(s.start[1]).toBeGreaterThanOrEqual(y0);
    expect(s.start[1]).toBeLessThanOrEqual(y1);
    for (const t of [0, 100, 250]) {
      const m = s.minimum(t);
      if (m === null) continue;
      const g = new Float64Array(2);
      s.gradient(m[0], m[1], t, g);
      expect(Math.hypot(g[0]!, g[1]!)).toBeLessThan(1e-12);
    }
  });

  it('the moving surface’s minimum moves', () => {
    const s = lossSurface('moving');
    expect(s.minimum(0)).not.toEqual(s.minimum(100));
  });
});
