/**
 * The RMSProp spec, version 1.
 *
 * For step t (1-based), per element, with gradient g, parameter θ, mean square v, mean gradient m,
 * momentum buffer b, learning rate η (after any schedule), decay ρ, momentum μ, epsilon ε and weight
 * decay wd:
 *
 * ```text
 * g ← maximize ? −g : g
 * weightDecay > 0:  decoupled ? θ ← θ − η·wd·θ (before the update) : g ← sat(g + wd·θ) (g finite)
 * v ← ρ·v + (1−ρ)·g²            (a v of +∞ stays +∞)       centered: m ← ρ·m + (1−ρ)·g
 * biasCorrection: v̂ = v/(1−ρᵗ), m̂ = m/(1−ρᵗ)   else v̂ = v, m̂ = m
 * s = centered ? max(v̂ − sat(m̂²), 0) : v̂       (the clamp keeps centered mode NaN-free)
 * d = epsilonPlacement = 'outside' ? √s + ε : √(s + ε);   u = sat(g / d)
 * momentum > 0, learningRateInMomentum:     b ← sat(μ·b + η·u);  θ ← θ − (nesterov ? sat(η·u + μ·b) : b)
 * momentum > 0, not learningRateInMomentum: b ← sat(μ·b + u);    θ ← θ − η·(nesterov ? sat(u + μ·b) : b)
 * momentum = 0:                             θ ← θ − η·u
 * decoupled weight decay: the term θ loses (η·u, b, η·b, …) is saturated before it is subtracted
 * ```
 *
 * sat(x) clamps x to the parameter dtype's finite range, NaN kept: where nothing overflows it is the
 * identity; where something does, no NaN follows from finite input, and m and b stay finite (θ may
 * overflow to ±∞; docs/spec.md, "Overflow"). A float32
 * parameter's step rounds every operation to float32.
 *
 * State per parameter: meanSquare v (starts at initialMeanSquare), meanGrad m (centered only), momentum
 * b (momentum > 0 only, starts at 0), step count t. The same text is in docs/spec.md; the float64
 * reference in `reference-step.ts` follows it line by line.
 */
export interface RMSPropConfig {
  /** η, the learning rate. Finite, ≥ 0. Default 0.001. */
  learningRate: number;
  /** ρ, the decay of the moving averages. In [0, 1). Default 0.9. */
  rho: number;
  /** ε, added to the denominator. Finite, > 0. Default 1e-8. */
  epsilon: number;
  /** Where ε goes: `'outside'` gives √s + ε (PyTorch, plain numpy code), `'inside'` gives √(s + ε) (TensorFlow, Keras, tfjs, optax). Default 'outside'. */
  epsilonPlacement: EpsilonPlacement;
  /** μ, the momentum coefficient. In [0, 1); 0 turns momentum off. Default 0. */
  momentum: number;
  /** Nesterov momentum (optax). Needs momentum > 0. Default false. */
  nesterov: boolean;
  /** Whether η multiplies the update before it enters the momentum buffer (TensorFlow, Keras, tfjs, optax) or after it leaves (PyTorch). Matters when η changes over time. Default false. */
  learningRateInMomentum: boolean;
  /** Centered RMSProp (Graves 2013): divide by an estimate of the variance, v − m², instead of v. Default false. */
  centered: boolean;
  /** wd, the weight decay coefficient. Finite, ≥ 0. Default 0. */
  weightDecay: number;
  /** Decoupled weight decay θ ← θ − η·wd·θ (Keras 3) instead of coupled L2, g ← g + wd·θ (PyTorch). Default false. */
  decoupledWeightDecay: boolean;
  /** Ascend instead of descend: the gradient is negated first (PyTorch's maximize). Default false. */
  maximize: boolean;
  /** The value v starts at: 0 everywhere except TF1's RMSPropOptimizer (1) and optax's initial_scale. Finite, ≥ 0. Default 0. */
  initialMeanSquare: number;
  /** Divide v and m by (1 − ρᵗ) before use (optax's bias_correction). Default false. */
  biasCorrection: boolean;
}

/** Where ε enters the denominator. */
export type EpsilonPlacement = 'outside' | 'inside';

/** The version of the spec above; backends declare the version they implement. */
export const SPEC_VERSION = 'v1' as const;
export type SpecVersion = typeof SPEC_VERSION;

/** The spec's fixed defaults. They never depend on the backend or the dtype. */
export const DEFAULT_CONFIG: Readonly<RMSPropConfig> = Object.freeze({
  learningRate: 0.001,
  rho: 0.9,
  epsilon: 1e-8,
  epsilonPlacement: 'outside',
  momentum: 0,
  nesterov: false,
  learningRateInMomentum: false,
  centered: false,
  weightDecay: 0,
  decoupledWeightDecay: false,
  maximize: false,
  initialMeanSquare: 0,
  biasCorrection: false,
});

/** The names of every config field, in the spec's order. */
export const CONFIG_FIELDS: readonly (keyof RMSPropConfig)[] = Object.freeze(
  Object.keys(DEFAULT_CONFIG) as (keyof RMSPropConfig)[],
);
