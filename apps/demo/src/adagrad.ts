import type { DemoOptimizer } from './demo-optimizer.js';

export interface AdaGradOptions {
  learningRate: number;
  /** Added to √(Σg²), outside the square root as in the spec's RMSProp default (default 1e-8). */
  epsilon?: number;
}

/**
 * AdaGrad (Duchi, Hazan and Singer 2011) in float64: per weight, s ← s + g², θ ← θ − η·g/(√s + ε), with s
 * starting at 0. The sum only grows, so each weight's learning rate η/√s only shrinks: that is the decay
 * RMSProp replaces with a moving average.
 */
export class AdaGrad implements DemoOptimizer {
  readonly name = 'AdaGrad';
  readonly learningRate: number;
  readonly epsilon: number;
  readonly params: Float64Array;
  readonly gradient: Float64Array;
  /** s: the running sum of squared gradients, per weight. */
  readonly sumOfSquares: Float64Array;

  constructor(initial: ArrayLike<number>, options: AdaGradOptions) {
    const epsilon = options.epsilon ?? 1e-8;
    if (!(Number.isFinite(options.learningRate) && options.learningRate >= 0)) {
      throw new RangeError(`learningRate must be finite and ≥ 0, got ${options.learningRate}`);
    }
    if (!(Number.isFinite(epsilon) && epsilon > 0)) throw new RangeError(`epsilon must be finite and > 0, got ${epsilon}`);
    this.learningRate = options.learningRate;
    this.epsilon = epsilon;
    this.params = Float64Array.from(initial);
    this.gradient = new Float64Array(this.params.length);
    this.sumOfSquares = new Float64Array(this.params.length);
  }

  step(): void {
    const { params, gradient, sumOfSquares, learningRate, epsilon } = this;
    for (let j = 0; j < params.length; j++) {
      const g = gradient[j];
      sumOfSquares[j] += g * g;
      params[j] -= (learningRate * g) / (Math.sqrt(sumOfSquares[j]) + epsilon);
    }
  }

  effectiveLearningRates(): Float64Array {
    return this.sumOfSquares.map((s) => this.learningRate / Math.sqrt(s));
  }

  dispose(): void {}
}
