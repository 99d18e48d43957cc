import type { RMSPropConfig } from '@rmsprop/core';
import { add, div, mul, neg, relu, sqrt, sub, type Tensor } from '@tensorflow/tfjs-core';

/** One parameter's tensors before a step: θ, the gradient, and the state the config needs. */
export interface UpdateInputs {
  readonly param: Tensor;
  readonly grad: Tensor;
  /** v. */
  readonly meanSquare: Tensor;
  /** m; required when the config is centered. */
  readonly meanGrad: Tensor | null;
  /** b; required when momentum > 0. */
  readonly momentum: Tensor | null;
}

/** The tensors after the step (new tensors; state the config does not use is passed through as given). */
export interface UpdateOutputs {
  readonly param: Tensor;
  readonly meanSquare: Tensor;
  readonly meanGrad: Tensor | null;
  readonly momentum: Tensor | null;
}

/**
 * The spec's update (docs/spec.md) as TensorFlow.js ops, in the spec's order of operations, so that each
 * tfjs op rounds where the spec's float32 arithmetic would round and nowhere else:
 *
 * ```
 * g ← maximize ? −g : g
 * weightDecay > 0:  decoupled ? θ ← θ − η·wd·θ : g ← g + wd·θ
 * v ← ρ·v + (1−ρ)·g²            centered: m ← ρ·m + (1−ρ)·g
 * biasCorrection: v̂ = v/(1−ρᵗ), m̂ = m/(1−ρᵗ)   else v̂ = v, m̂ = m
 * s = centered ? max(v̂ − m̂², 0) : v̂
 * d = 'outside' ? √s + ε : √(s + ε);   u = g / d
 * momentum > 0, learningRateInMomentum:     b ← μ·b + η·u;  θ ← θ − (nesterov ? η·u + μ·b : b)
 * momentum > 0, not learningRateInMomentum: b ← μ·b + u;    θ ← θ − η·(nesterov ? u + μ·b : b)
 * momentum = 0:                             θ ← θ − η·u
 * ```
 *
 * One exception to the spec's order: decoupled weight decay is added to the step and subtracted with it
 * (θ₀ − (θ₀·η·wd + step)), as the CPU backend's float32 kernel does, so the decayed θ is not rounded on its own.
 *
 * Scalars (ρ, 1−ρ, ε, μ, η, η·wd, 1−ρᵗ) are computed in float64 and enter tfjs as float32 scalars. The
 * plain variant is 9 elementwise ops (tf.train.rmsprop uses 11); switches that are off cost nothing. The
 * clamp is a `relu`, which keeps NaN (propagated gradients stay NaN, as in the spec).
 *
 * Centered with bias correction from v = 0 is ill-conditioned in float32: v̂ − m̂² is 0 in exact
 * arithmetic at the first steps, and float32 rounding leaves ~1e-7·g² there, more than a small ε (README,
 * "Precision").
 *
 * Call it inside `tf.tidy`: every intermediate is a new tensor. `learningRate` is η for this step and
 * `step` is t (1-based, for bias correction).
 */
export function rmspropUpdate(inputs: UpdateInputs, config: Readonly<RMSPropConfig>, learningRate: number, step: number): UpdateOutputs {
  const η = learningRate;
  const ρ = config.rho;
  const μ = config.momentum;
  const wd = config.weightDecay;
  const θ = inputs.param;
  let θNew: Tensor;

  // g ← maximize ? −g : g
  let g = config.maximize ? neg(inputs.grad) : inputs.grad;

  // weightDecay > 0: decoupled ? θ ← θ − η·wd·θ (before the update) : g ← g + wd·θ
  // The decoupled decay is folded into the last subtraction, θ₀ − (θ₀·(η·wd) + step): rounding θ₀ − θ₀·(η·wd)
  // to float32 on its own moves θ the same way every step when η·wd·|θ| is below an ulp of θ.
  const decay = wd > 0 && config.decoupledWeightDecay ? mul(θ, η * wd) : null;
  if (wd > 0 && !config.decoupledWeightDecay) g = add(g, mul(θ, wd));
  const minus = (step: Tensor): Tensor => sub(θ, decay === null ? step : add(decay, step));

  // v ← ρ·v + (1−ρ)·g²  (as (1−ρ)·g·g, left to right)      centered: m ← ρ·m + (1−ρ)·g
  const v = add(mul(inputs.meanSquare, ρ), mul(mul(g, 1 - ρ), g));
  let m: Tensor | null = inputs.meanGrad;
  if (config.centered) m = add(mul(inputs.meanGrad!, ρ), mul(g, 1 - ρ));

  // biasCorrection: v̂ = v/(1−ρᵗ), m̂ = m/(1−ρᵗ)   else v̂ = v, m̂ = m
  let vHat = v;
  let mHat = m;
  if (config.biasCorrection) {
    const correction = 1 - Math.pow(ρ, step);
    vHat = div(v, correction);
    if (config.centered) mHat = div(m!, correction);
  }

  // s = centered ? max(v̂ − m̂², 0) : v̂
  const s = config.centered ? relu(sub(vHat, mul(mHat!, mHat!))) : vHat;

  // d = 'outside' ? √s + ε : √(s + ε);   u = g / d
  const d = config.epsilonPlacement === 'outside' ? add(sqrt(s), config.epsilon) : sqrt(add(s, config.epsilon));
  const u = div(g, d);

  let b: Tensor | null = inputs.momentum;
  if (μ > 0) {
    if (config.learningRateInMomentum) {
      // b ← μ·b + η·u;  θ ← θ − (nesterov ? η·u + μ·b : b)
      const ηu = mul(u, η);
      b = add(mul(inputs.momentum!, μ), ηu);
      θNew = minus(config.nesterov ? add(ηu, mul(b, μ)) : b);
    } else {
      // b ← μ·b + u;    θ ← θ − η·(nesterov ? u + μ·b : b)
      b = add(mul(inputs.momentum!, μ), u);
      θNew = minus(mul(config.nesterov ? add(u, mul(b, μ)) : b, η));
    }
  } else {
    // θ ← θ − η·u
    θNew = minus(mul(u, η));
  }
  return { param: θNew, meanSquare: v, meanGrad: m, momentum: b };
}
