import type { RMSPropBackend } from '@rmsprop/core';
import type { LossSurface } from './loss-surface.js';
import { createRacer, RACER_IDS, type RacerId } from './racers.js';
import type { RMSPropSettings } from './rmsprop-settings.js';

/** One optimizer's path: positions, loss, effective rates and second moments after each step (index 0: the start). */
export interface Track {
  readonly id: RacerId;
  /** Points recorded (steps + 1, or fewer where it diverged). */
  readonly length: number;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly loss: Float64Array;
  /** Effective rate of x and of y after each step (2 per step; index 0 is before the first step). */
  readonly rates: Float64Array;
  /** Second moment of x and of y after each step, or null for optimizers without one. */
  readonly second: Float64Array | null;
  /** The step at which it left the finite world (|x| or |y| > 1e6 or NaN), or null. */
  readonly divergedAt: number | null;
}

/** Coordinates beyond this count as diverged (the drawing stops there). */
const DIVERGED = 1e6;

/** Runs every racer (or those listed) `steps` steps on `surface` from `start`; RMSProp on `backend`. */
export function runRace(
  surface: LossSurface,
  settings: RMSPropSettings,
  backend: RMSPropBackend,
  start: readonly [number, number],
  steps: number,
  ids: readonly RacerId[] = RACER_IDS,
): Track[] {
  return ids.map((id) => {
    const racer = createRacer(id, surface, settings, backend, start);
    try {
      const n = steps + 1;
      const track = {
        id,
        length: n,
        x: new Float64Array(n),
        y: new Float64Array(n),
        loss: new Float64Array(n),
        rates: new Float64Array(2 * n),
        second: null as Float64Array | null,
        divergedAt: null as number | null,
      };
      const p = Float64Array.from(start);
      const g = new Float64Array(2);
      const pair = new Float64Array(2);
      const record = (t: number): void => {
        track.x[t] = p[0]!;
        track.y[t] = p[1]!;
        track.loss[t] = surface.loss(p[0]!, p[1]!, t);
        racer.effectiveRates(pair);
        track.rates.set(pair, 2 * t);
        if (racer.secondMoment(pair)) {
          track.second ??= new Float64Array(2 * n);
          track.second.set(pair, 2 * t);
        }
      };
      record(0);
      for (let t = 1; t <= steps; t++) {
        surface.gradient(p[0]!, p[1]!, t - 1, g);
        racer.step(p, g);
        if (!(Math.abs(p[0]!) <= DIVERGED && Math.abs(p[1]!) <= DIVERGED)) {
          track.divergedAt = t;
          track.length = t;
          break;
        }
        record(t);
      }
      return track;
    } finally {
      racer.dispose?.();
    }
  });
}
