import type { DemoOptimizer } from './demo-optimizer.js';

/** Plain gradient descent in float64: θ ← θ − η·g, one learning rate for every weight. */
export class Sgd implements DemoOptimizer {
  readonly name = 'SGD';
  readonly learningRate: number;
  readonly params: Float64Array;
  readonly gradient: Float64Array;

  constructor(initial: ArrayLike<number>, options: { learningRate: number }) {
    if (!(Number.isFinite(options.learningRate) && options.learningRate >= 0)) {
      throw new RangeError(`learningRate must be finite and ≥ 0, got ${options.learningRate}`);
    }
    this.learningRate = options.learningRate;
    this.params = Float64Array.from(initial);
    this.gradient = new Float64Array(this.params.length);
  }

  step(): void {
    const { params, gradient, learningRate } = this;
    for (let j = 0; j < params.length; j++) params[j] -= learningRate * gradient[j];
  }

  effectiveLearningRates(): Float64Array {
    return new Float64Array(this.params.length).fill(this.learningRate);
  }

  dispose(): void {}
}
