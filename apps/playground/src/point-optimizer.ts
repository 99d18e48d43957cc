/**
 * The optimizers RMSProp is compared with, on one point of `size` coordinates (2 on a surface, every weight
 * of the tiny network), in float64: small and written out so a reader
 * can check them against the formulas in the page. RMSProp itself runs on the real backends
 * (rmsprop-runner.ts).
 */
export interface PointOptimizer {
  /** Updates `position` in place from the gradient at it. */
  step(position: Float64Array, gradient: Float64Array): void;
  /** Each coordinate's effective learning rate after the last step: what multiplies its gradient. */
  effectiveRates(out: Float64Array): void;
  /** Each coordinate's second-moment accumulator (AdaGrad's sum, Adam's v), or false where there is none. */
  secondMoment(out: Float64Array): boolean;
}

/** θ ← θ − η·g. */
export function sgd(learningRate: number): PointOptimizer {
  return {
    step(p, g) {
      for (let i = 0; i < p.length; i++) p[i] -= learningRate * g[i]!;
    },
    effectiveRates(out) {
      out.fill(learningRate);
    },
    secondMoment: () => false,
  };
}

/** b ← μ·b + g;  θ ← θ − η·b (PyTorch's SGD momentum). */
export function sgdMomentum(learningRate: number, momentum: number, size: number): PointOptimizer {
  const b = new Float64Array(size);
  return {
    step(p, g) {
      for (let i = 0; i < size; i++) {
        b[i] = momentum * b[i]! + g[i]!;
        p[i] -= learningRate * b[i]!;
      }
    },
    effectiveRates(out) {
      out.fill(learningRate);
    },
    secondMoment: () => false,
  };
}

/** s ← s + g²;  θ ← θ − η·g / (√s + ε): the rate only falls. */
export function adagrad(learningRate: number, epsilon: number, size: number): PointOptimizer {
  const s = new Float64Array(size);
  return {
    step(p, g) {
      for (let i = 0; i < size; i++) {
        s[i] += g[i]! * g[i]!;
        p[i] -= (learningRate * g[i]!) / (Math.sqrt(s[i]!) + epsilon);
      }
    },
    effectiveRates(out) {
      for (let i = 0; i < size; i++) out[i] = learningRate / (Math.sqrt(s[i]!) + epsilon);
    },
    secondMoment(out) {
      out.set(s);
      return true;
    },
  };
}

/** Adam (Kingma & Ba): m, v with β₁ = 0.9, β₂ = 0.999, both bias-corrected; θ ← θ − η·m̂ / (√v̂ + ε). */
export function adam(learningRate: number, epsilon: number, size: number, beta1 = 0.9, beta2 = 0.999): PointOptimizer {
  const m = new Float64Array(size);
  const v = new Float64Array(size);
  let t = 0;
  return {
    step(p, g) {
      t++;
      for (let i = 0; i < size; i++) {
        m[i] = beta1 * m[i]! + (1 - beta1) * g[i]!;
        v[i] = beta2 * v[i]! + (1 - beta2) * g[i]! * g[i]!;
        const mHat = m[i]! / (1 - beta1 ** t);
        const vHat = v[i]! / (1 - beta2 ** t);
        p[i] -= (learningRate * mHat) / (Math.sqrt(vHat) + epsilon);
      }
    },
    effectiveRates(out) {
      for (let i = 0; i < size; i++) out[i] = t === 0 ? learningRate / epsilon : learningRate / (Math.sqrt(v[i]! / (1 - beta2 ** t)) + epsilon);
    },
    secondMoment(out) {
      out.set(v);
      return true;
    },
  };
}
