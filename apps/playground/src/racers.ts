import type { RMSPropBackend } from '@rmsprop/core';
import type { LossSurface } from './loss-surface.js';
import { adagrad, adam, sgd, sgdMomentum, type PointOptimizer } from './point-optimizer.js';
import { RMSPropPoint } from './rmsprop-point.js';
import { rmspropConfig, type RMSPropSettings } from './rmsprop-settings.js';

/** The optimizers on the plot. */
export type RacerId = 'sgd' | 'momentum' | 'adagrad' | 'rmsprop' | 'adam';

export const RACER_IDS: readonly RacerId[] = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];

/** How each is drawn and named (colours readable on the light contour map and by colour-blind readers). */
export const RACER_STYLE: Readonly<Record<RacerId, { label: string; color: string; dash: readonly number[] }>> = {
  sgd: { label: 'SGD', color: '#7f7f7f', dash: [6, 4] },
  momentum: { label: 'SGD + momentum 0.9', color: '#1f77b4', dash: [2, 3] },
  adagrad: { label: 'AdaGrad', color: '#ff7f0e', dash: [8, 3, 2, 3] },
  rmsprop: { label: 'RMSProp', color: '#d62728', dash: [] },
  adam: { label: 'Adam', color: '#2ca02c', dash: [4, 2] },
};

/** The learning rate each racer runs with on `surface` (shown in the legend). */
export function racerLearningRate(id: RacerId, surface: LossSurface, settings: RMSPropSettings): number {
  return id === 'sgd' || id === 'momentum' ? surface.sgdLearningRate : settings.learningRate;
}

/** A fresh optimizer for `id` at `start` (RMSProp on `backend`; the others in float64 JavaScript). */
export function createRacer(id: RacerId, surface: LossSurface, settings: RMSPropSettings, backend: RMSPropBackend, start: ArrayLike<number>): PointOptimizer & { dispose?(): void } {
  const rate = racerLearningRate(id, surface, settings);
  const size = start.length;
  switch (id) {
    case 'sgd':
      return sgd(rate);
    case 'momentum':
      return sgdMomentum(rate, 0.9, size);
    case 'adagrad':
      return adagrad(rate, 1e-8, size);
    case 'adam':
      return adam(rate, 1e-8, size);
    case 'rmsprop':
      return new RMSPropPoint(backend, rmspropConfig(settings), start);
  }
}
