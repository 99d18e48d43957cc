import { DEFAULT_CONFIG, kerasPreset, optaxPreset, pytorchPreset, resolveConfig, tfjsPreset, type RMSPropConfig } from '@rmsprop/core';

/** The presets the playground offers: the spec's own defaults ('spec') and four frameworks'. */
export type PresetId = 'spec' | 'pytorch' | 'keras' | 'tfjs' | 'optax';

export const PRESET_IDS: readonly PresetId[] = ['spec', 'pytorch', 'keras', 'tfjs', 'optax'];

/** What the controls set. */
export interface RMSPropSettings {
  readonly preset: PresetId;
  readonly learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
  readonly centered: boolean;
}

/** ρ and ε of each preset, which the controls jump to when the preset changes. */
export function presetDefaults(preset: PresetId): { rho: number; epsilon: number } {
  switch (preset) {
    case 'spec':
      return { rho: DEFAULT_CONFIG.rho, epsilon: DEFAULT_CONFIG.epsilon };
    case 'pytorch':
      return { rho: 0.99, epsilon: 1e-8 };
    case 'keras':
    case 'tfjs':
      return { rho: 0.9, epsilon: 1e-7 };
    case 'optax':
      return { rho: 0.9, epsilon: 1e-8 };
  }
}

/**
 * The full config: the preset's switches (where ε goes, whether η is inside the momentum buffer, v's
 * starting value) with the controls' η, ρ, ε, momentum and centered.
 */
export function rmspropConfig(s: RMSPropSettings): Readonly<RMSPropConfig> {
  switch (s.preset) {
    case 'spec':
      return resolveConfig({ learningRate: s.learningRate, rho: s.rho, epsilon: s.epsilon, momentum: s.momentum, centered: s.centered });
    case 'pytorch':
      return pytorchPreset({ lr: s.learningRate, alpha: s.rho, eps: s.epsilon, momentum: s.momentum, centered: s.centered });
    case 'keras':
      return kerasPreset({ learning_rate: s.learningRate, rho: s.rho, epsilon: s.epsilon, momentum: s.momentum, centered: s.centered });
    case 'tfjs':
      return tfjsPreset({ learningRate: s.learningRate, decay: s.rho, epsilon: s.epsilon, momentum: s.momentum, centered: s.centered });
    case 'optax':
      return optaxPreset({ learning_rate: s.learningRate, decay: s.rho, eps: s.epsilon, momentum: s.momentum, centered: s.centered });
  }
}

/** η / (√v̂ + ε) or η / √(v̂ + ε), as the config places ε: the rate that multiplies g (or m-adjusted g). */
export function effectiveRate(config: Readonly<RMSPropConfig>, meanSquare: number, meanGrad: number, step: number): number {
  const correction = config.biasCorrection ? 1 - config.rho ** step : 1;
  let s = meanSquare / correction;
  if (config.centered) s = Math.max(s - (meanGrad / correction) ** 2, 0);
  const d = config.epsilonPlacement === 'inside' ? Math.sqrt(s + config.epsilon) : Math.sqrt(s) + config.epsilon;
  return config.learningRate / d;
}
