import type { RMSPropConfig } from './rmsprop-config.js';
import { LARGEST_FINITE } from './dtype.js';
import { mapStateBuffers, type StateArrays } from './state-buffers.js';

/**
 * The state the float64 reference keeps for one parameter: each state buffer of `STATE_BUFFERS` (v, m
 * when centered, b when momentum > 0; null where the config keeps none) and t, the steps taken so far.
 */
export type ReferenceState = { -readonly [K in keyof StateArrays<Float64Array>]: StateArrays<Float64Array>[K] } & { step: number };

/** The reference's initial state for a parameter of `length` elements under `config`. */
export function createReferenceState(config: RMSPropConfig, length: number): ReferenceState {
  const state = mapStateBuffers((buffer) => (buffer.neededBy(config) ? new Float64Array(length).fill(buffer.initialValue(config)) : null));
  return { ...(state as StateArrays<Float64Array>), step: 0 };
}

const M = LARGEST_FINITE.float64;

/** sat(x): x clamped to [−M, M], M the largest finite float64; NaN stays NaN and −0 stays −0 (docs/spec.md). */
function sat(x: number): number {
  return x > M ? M : x < -M ? -M : x;
}

/**
 * One RMSProp step in float64: the executable spec. It follows the formula in `rmsprop-config.ts` and
 * docs/spec.md line by line, one element at a time, and is never optimised. `params` and `state` are
 * updated in place; `learningRate` is η for this step (a schedule's value), defaulting to the config's.
 * The config is assumed valid (see `resolveConfig`).
 */
export function referenceStep(
  config: RMSPropConfig,
  params: Float64Array,
  grads: ArrayLike<number>,
  state: ReferenceState,
  learningRate: number = config.learningRate,
): void {
  const η = learningRate;
  const ρ = config.rho;
  const ε = config.epsilon;
  const μ = config.momentum;
  const wd = config.weightDecay;
  const t = state.step + 1;

  for (let i = 0; i < params.length; i++) {
    let θ = params[i];
    // g ← maximize ? −g : g
    let g = config.maximize ? -grads[i] : grads[i];

    // weightDecay > 0: decoupled ? θ ← θ − η·wd·θ (before the update) : g ← sat(g + wd·θ) where g is finite
    if (wd > 0) {
      if (config.decoupledWeightDecay) θ = θ - η * wd * θ;
      else g = Number.isFinite(g) ? sat(g + wd * θ) : g + wd * θ;
    }

    // v ← ρ·v + (1−ρ)·g² (a +∞ v stays +∞)          centered: m ← ρ·m + (1−ρ)·g
    const v0 = state.meanSquare[i];
    const v = (Number.isFinite(v0) ? ρ * v0 : v0) + (1 - ρ) * g * g;
    state.meanSquare[i] = v;
    let m = 0;
    if (config.centered) {
      m = ρ * state.meanGrad![i] + (1 - ρ) * g;
      state.meanGrad![i] = m;
    }

    // biasCorrection: v̂ = v/(1−ρᵗ), m̂ = m/(1−ρᵗ)   else v̂ = v, m̂ = m
    const correction = config.biasCorrection ? 1 - Math.pow(ρ, t) : 1;
    const vHat = v / correction;
    const mHat = m / correction;

    // s = centered ? max(v̂ − sat(m̂²), 0) : v̂
    const s = config.centered ? Math.max(vHat - sat(mHat * mHat), 0) : vHat;

    // d = epsilonPlacement = 'outside' ? √s + ε : √(s + ε);   u = sat(g / d)
    const d = config.epsilonPlacement === 'outside' ? Math.sqrt(s) + ε : Math.sqrt(s + ε);
    const u = sat(g / d);

    // decoupled: the step θ loses is saturated (θ − η·wd·θ may be infinite; ∞ − ∞ must not follow)
    const last = config.decoupledWeightDecay && wd > 0 ? sat : (x: number) => x;
    if (μ > 0) {
      const b0 = state.momentum![i];
      if (config.learningRateInMomentum) {
        // b ← sat(μ·b + η·u);  θ ← θ − (nesterov ? sat(η·u + μ·b) : b)
        const b = sat(μ * b0 + η * u);
        state.momentum![i] = b;
        θ = θ - last(config.nesterov ? sat(η * u + μ * b) : b);
      } else {
        // b ← sat(μ·b + u);    θ ← θ − η·(nesterov ? sat(u + μ·b) : b)
        const b = sat(μ * b0 + u);
        state.momentum![i] = b;
        θ = θ - last(η * (config.nesterov ? sat(u + μ * b) : b));
      }
    } else {
      // θ ← θ − η·u
      θ = θ - last(η * u);
    }
    params[i] = θ;
  }
  state.step = t;
}
