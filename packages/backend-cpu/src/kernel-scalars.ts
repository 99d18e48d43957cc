import type { RMSPropConfig, StepHyperparameters } from '@rmsprop/core';

/**
 * The per-call constants a kernel reads, computed once per slot per step by {@link setKernelScalars}.
 * One instance is reused for every call (its fields hold doubles and are overwritten in place), so a step
 * allocates nothing.
 *
 * Some switches of the spec are folded in here instead of getting a loop of their own. Each fold is exact
 * in IEEE arithmetic for every input, NaN and ±0 included, so a folded loop gives bit for bit the
 * reference's result:
 * - maximize: g = gradientSign·g with gradientSign = ±1 (−1·x is −x, 1·x is x);
 * - epsilonPlacement: d = √(s + epsilonInside) + epsilonOutside with the unused one 0: x + 0 is x for
 *   every x but −0, and neither s (a sum with a +0 or positive term, or a max with 0) nor √(s + ε) is −0;
 * - learningRateInMomentum: b = μ·b + momentumInputScale·u and θ = θ − momentumOutputScale·(…), one of
 *   the two scales η and the other 1 (1·x is x).
 */
export class KernelScalars {
  /** −1 under maximize, else 1. */
  gradientSign = Number.NaN;
  /** η for this step. */
  learningRate = Number.NaN;
  /** ρ. */
  rho = Number.NaN;
  /** 1 − ρ, as the reference computes it. */
  oneMinusRho = Number.NaN;
  /** ε where epsilonPlacement is 'inside', else 0. */
  epsilonInside = Number.NaN;
  /** ε where epsilonPlacement is 'outside', else 0. */
  epsilonOutside = Number.NaN;
  /** wd (used by the coupled loops: g ← g + wd·θ). */
  weightDecay = Number.NaN;
  /** η·wd, as the reference's `η * wd * θ` groups it (used by the decoupled loops: θ ← θ − (η·wd)·θ). */
  decoupledDecay = Number.NaN;
  /** 1 − ρᵗ (used by the bias-corrected loops: v̂ = v / (1 − ρᵗ)). */
  correction = Number.NaN;
  /** μ. */
  momentum = Number.NaN;
  /** What u is scaled by on its way into b: η when learningRateInMomentum, else 1. */
  momentumInputScale = Number.NaN;
  /** What scales b's contribution to θ: 1 when learningRateInMomentum, else η. */
  momentumOutputScale = Number.NaN;
}

/**
 * Fill `k` for one slot's step: `hyper.learningRate` is η after any schedule, `hyper.step` is t (1-based).
 * It takes the hyperparameters object rather than η as an argument: a number passed to a call V8 does not
 * inline is boxed (a heap allocation per step).
 */
export function setKernelScalars(k: KernelScalars, hyper: StepHyperparameters): void {
  const { config, learningRate, step } = hyper;
  const inside = config.epsilonPlacement === 'inside';
  const lrInBuffer = config.learningRateInMomentum;
  k.gradientSign = config.maximize ? -1 : 1;
  k.learningRate = learningRate;
  k.rho = config.rho;
  k.oneMinusRho = 1 - config.rho;
  k.epsilonInside = inside ? config.epsilon : 0;
  k.epsilonOutside = inside ? 0 : config.epsilon;
  k.weightDecay = config.weightDecay;
  k.decoupledDecay = learningRate * config.weightDecay;
  k.correction = 1 - Math.pow(config.rho, step);
  k.momentum = config.momentum;
  k.momentumInputScale = lrInBuffer ? learningRate : 1;
  k.momentumOutputScale = lrInBuffer ? 1 : learningRate;
}
