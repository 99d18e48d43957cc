/** Random RMSProp configs for the tests that compare the backend with the float64 reference. */
import { resolveConfig, type RMSPropConfig } from '@rmsprop/core';
import type { Rng } from './random.js';

/**
 * A valid config with every field drawn at random: ρ in [0, 1) (sometimes exactly 0 or very close to 1),
 * ε log-uniform in [1e-10, 1e-1], μ 0 or in (0, 1), nesterov only with μ > 0, wd 0 or log-uniform in
 * [1e-6, 1e-1], η log-uniform in [1e-5, 1], initialMeanSquare 0 or in [0, 1), every boolean switch a
 * coin flip. `overrides` are applied last (nesterov is turned off where the result has μ = 0).
 */
export function randomConfig(rng: Rng, overrides: Partial<RMSPropConfig> = {}): Readonly<RMSPropConfig> {
  const r = rng.next();
  const rho = r < 0.05 ? 0 : r < 0.1 ? 0.999 : rng.uniform(0, 1);
  const momentum = rng.bool() ? 0 : rng.uniform(Number.EPSILON, 1);
  const drawn: RMSPropConfig = {
    learningRate: rng.logUniform(1e-5, 1),
    rho,
    epsilon: rng.logUniform(1e-10, 1e-1),
    epsilonPlacement: rng.bool() ? 'outside' : 'inside',
    momentum,
    nesterov: momentum > 0 && rng.bool(),
    learningRateInMomentum: rng.bool(),
    centered: rng.bool(),
    weightDecay: rng.bool() ? 0 : rng.logUniform(1e-6, 1e-1),
    decoupledWeightDecay: rng.bool(),
    maximize: rng.bool(),
    initialMeanSquare: rng.bool() ? 0 : rng.uniform(0, 1),
    biasCorrection: rng.bool(),
  };
  const merged = { ...drawn, ...overrides };
  if (!(merged.momentum > 0)) merged.nesterov = false;
  return resolveConfig(merged);
}
