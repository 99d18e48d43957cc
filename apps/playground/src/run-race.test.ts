import { createCpuBackend } from '@rmsprop/backend-cpu';
import { describe, expect, it } from 'vitest';
import { lossSurface } from './loss-surface.js';
import { runRace, type Track } from './run-race.js';
import type { RMSPropSettings } from './rmsprop-settings.js';

const settings = (learningRate: number): RMSPropSettings => ({ preset: 'spec', learningRate, rho: 0.9, epsilon: 1e-8, momentum: 0, centered: false });
const last = (t: Track) => t.length - 1;
const byId = (tracks: Track[]) => Object.fromEntries(tracks.map((t) => [t.id, t]));

describe('the races the page draws (RMSProp on the CPU backend)', () => {
  it('ill-conditioned quadratic: along the flat direction RMSProp arrives within 300 steps; SGD (at its largest stable η) and AdaGrad are still far out', async () => {
    const backend = await createCpuBackend();
    const s = lossSurface('ill-conditioned');
    const t = byId(runRace(s, settings(s.learningRate), backend, s.start, 300));
    const final = (id: string) => t[id]!.loss[last(t[id]!)]!;
    console.log('ill-conditioned final loss:', Object.fromEntries(Object.keys(t).map((id) => [id, final(id).toExponential(2)])));
    const x = (id: string) => Math.abs(t[id]!.x[last(t[id]!)]!);
    // x starts at −5 (curvature 1); y at 2 (curvature 1000), where RMSProp keeps oscillating by about η.
    expect(x('rmsprop')).toBeLessThan(0.2);
    expect(x('sgd')).toBeGreaterThan(2);
    expect(x('adagrad')).toBeGreaterThan(2);
    expect(final('rmsprop')).toBeLessThan(final('sgd'));
    expect(final('rmsprop')).toBeLessThan(final('adagrad'));
    expect(t.sgd!.divergedAt).toBeNull();
    backend.dispose();
  });

  it("moving minimum: AdaGrad's rates decay towards zero and it falls behind; RMSProp's rates stay up and it follows", async () => {
    const backend = await createCpuBackend();
    const s = lossSurface('moving');
    const steps = 800;
    const t = byId(runRace(s, settings(s.learningRate), backend, s.start, steps));
    const lag = (id: string) => {
      let sum = 0;
      for (let k = steps - 200; k <= steps; k++) {
        const m = s.minimum(k)!;
        sum += Math.hypot(t[id]!.x[k]! - m[0], t[id]!.y[k]! - m[1]);
      }
      return sum / 201;
    };
    console.log('moving: mean distance to the minimum over the last 200 steps', { adagrad: lag('adagrad'), rmsprop: lag('rmsprop'), adam: lag('adam') });
    expect(lag('rmsprop')).toBeLessThan(lag('adagrad') / 3);
    const rateX = (id: string, k: number) => t[id]!.rates[2 * k]!;
    expect(rateX('adagrad', steps)).toBeLessThan(rateX('adagrad', 10) / 5);
    expect(rateX('rmsprop', steps)).toBeGreaterThan(rateX('adagrad', steps) * 3);
    backend.dispose();
  });
});
