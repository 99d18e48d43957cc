import { SeededRandom } from '@rmsprop/app-kit';
import { symmetricEigen } from './symmetric-eigen.js';

/** How to generate the problem. Every field has a default; the demo uses the defaults. */
export interface BadlyScaledRegressionOptions {
  /** Number of features, one weight each (default 8). */
  features?: number;
  /** Examples in each phase's data set (default 256). */
  examples?: number;
  /** The smallest and largest feature scale; the scales in between are spaced evenly in log (default 0.1 and 10). */
  smallestScale?: number;
  largestScale?: number;
  /** How many data sets the model is trained on in turn (default 4). */
  phases?: number;
  /** Standard deviation of the label noise (default 0.01). */
  noise?: number;
  /** Seed of the data (default 6). */
  seed?: number;
}

/** One phase: a data set of `examples` rows. */
export interface RegressionPhase {
  /** Each feature's scale (standard deviation) in this phase, by weight index. */
  readonly scales: Float64Array;
  /** The inputs, examples × features, row-major: x[i][j] = scales[j]·z[i][j] with z standard normal. */
  readonly inputs: Float64Array;
  /** y[i] = x[i]·trueWeights + noise·N(0, 1). */
  readonly targets: Float64Array;
  readonly trueWeights: Float64Array;
}

export const REGRESSION_DEFAULTS: Readonly<Required<BadlyScaledRegressionOptions>> = Object.freeze({
  features: 8,
  examples: 256,
  smallestScale: 0.1,
  largestScale: 10,
  phases: 4,
  noise: 0.01,
  seed: 6,
});

/**
 * Linear regression with badly scaled features, trained on several data sets in turn.
 *
 * The loss of weights w on phase k is L(w) = ½·mean_i (x_i·w − y_i)², whose curvature along weight j is
 * about scale_j², so with scales 0.1…10 the curvatures span 0.01…100. The true weights are all of the
 * same size (±0.5…1.5), so every weight has about as far to go, while their gradients differ by 10⁴.
 *
 * Each new phase is a new data set with new true weights and the feature scales in reverse order: the
 * weight whose feature was the largest now has the smallest, and the other way round. This is the
 * non-stationary setting RMSProp was made for.
 */
export class BadlyScaledRegression {
  readonly options: Readonly<Required<BadlyScaledRegressionOptions>>;
  readonly features: number;
  readonly examples: number;
  readonly phases: readonly RegressionPhase[];
  readonly #scratch: Float64Array;

  constructor(options: BadlyScaledRegressionOptions = {}) {
    const o = { ...REGRESSION_DEFAULTS, ...options };
    for (const key of ['features', 'examples', 'phases'] as const) {
      if (!Number.isInteger(o[key]) || o[key] < 1) throw new RangeError(`${key} must be an integer ≥ 1, got ${String(o[key])}`);
    }
    if (!(o.smallestScale > 0 && o.largestScale >= o.smallestScale && Number.isFinite(o.largestScale))) {
      throw new RangeError(`need 0 < smallestScale ≤ largestScale, got ${o.smallestScale} and ${o.largestScale}`);
    }
    if (!(o.noise >= 0 && Number.isFinite(o.noise))) throw new RangeError(`noise must be finite and ≥ 0, got ${o.noise}`);
    this.options = Object.freeze(o);
    this.features = o.features;
    this.examples = o.examples;

    const d = o.features;
    const base = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      const f = d === 1 ? 0 : j / (d - 1);
      base[j] = o.smallestScale * Math.pow(o.largestScale / o.smallestScale, f);
    }
    const random = new SeededRandom(o.seed);
    const phases: RegressionPhase[] = [];
    for (let k = 0; k < o.phases; k++) {
      const scales = new Float64Array(d);
      for (let j = 0; j < d; j++) scales[j] = k % 2 === 0 ? base[j] : base[d - 1 - j];
      const trueWeights = new Float64Array(d);
      for (let j = 0; j < d; j++) trueWeights[j] = random.sign() * random.uniform(0.5, 1.5);
      const inputs = new Float64Array(o.examples * d);
      const targets = new Float64Array(o.examples);
      for (let i = 0; i < o.examples; i++) {
        let y = 0;
        for (let j = 0; j < d; j++) {
          const x = scales[j] * random.normal();
          inputs[i * d + j] = x;
          y += x * trueWeights[j];
        }
        targets[i] = y + o.noise * random.normal();
      }
      phases.push(Object.freeze({ scales, inputs, targets, trueWeights }));
    }
    this.phases = Object.freeze(phases);
    this.#scratch = new Float64Array(d);
  }

  /** L(w) = ½·mean (x_i·w − y_i)² on phase `phase`. */
  loss(phase: number, weights: ArrayLike<number>): number {
    return this.#pass(phase, weights, null);
  }

  /** Writes ∇L(w) = mean (x_i·w − y_i)·x_i into `gradient` and returns L(w), in one pass over the data. */
  lossAndGradient(phase: number, weights: ArrayLike<number>, gradient: Float32Array | Float64Array): number {
    if (gradient.length !== this.features) throw new RangeError(`gradient has length ${gradient.length}; expected ${this.features}`);
    return this.#pass(phase, weights, gradient);
  }

  /** The curvature matrix ∇²L = XᵀX/n of phase `phase` (features × features, row-major). */
  hessian(phase: number): Float64Array {
    const { inputs } = this.#phase(phase);
    const d = this.features;
    const n = this.examples;
    const h = new Float64Array(d * d);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < d; a++) {
        const xa = inputs[i * d + a];
        for (let b = a; b < d; b++) h[a * d + b] += xa * inputs[i * d + b];
      }
    }
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        h[a * d + b] /= n;
        h[b * d + a] = h[a * d + b];
      }
    }
    return h;
  }

  /** The smallest and largest curvature (eigenvalues of the Hessian) of phase `phase`. */
  curvatureRange(phase: number): { min: number; max: number } {
    const { values } = symmetricEigen(this.hessian(phase), this.features);
    return { min: values[0], max: values[values.length - 1] };
  }

  /** The least-squares weights of phase `phase` and their loss: the lowest loss any optimizer can reach there. */
  bestFit(phase: number): { weights: Float64Array; loss: number } {
    const { inputs, targets } = this.#phase(phase);
    const d = this.features;
    const n = this.examples;
    const xty = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) xty[j] += (inputs[i * d + j] * targets[i]) / n;
    const { values, vectors } = symmetricEigen(this.hessian(phase), d);
    const weights = new Float64Array(d);
    for (let k = 0; k < d; k++) {
      let projection = 0;
      for (let j = 0; j < d; j++) projection += vectors[j * d + k] * xty[j];
      const coefficient = projection / values[k];
      for (let j = 0; j < d; j++) weights[j] += coefficient * vectors[j * d + k];
    }
    return { weights, loss: this.loss(phase, weights) };
  }

  #phase(phase: number): RegressionPhase {
    const p = this.phases[phase];
    if (p === undefined) throw new RangeError(`phase ${phase} does not exist; there are ${this.phases.length} (0-based)`);
    return p;
  }

  #pass(phase: number, weights: ArrayLike<number>, gradient: Float32Array | Float64Array | null): number {
    const { inputs, targets } = this.#phase(phase);
    const d = this.features;
    const n = this.examples;
    if (weights.length !== d) throw new RangeError(`weights have length ${weights.length}; expected ${d}`);
    // Accumulate in float64 whatever the dtype of the arrays, then write the gradient once.
    const g = gradient === null ? null : this.#scratch.fill(0);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const row = i * d;
      let r = -targets[i];
      for (let j = 0; j < d; j++) r += inputs[row + j] * weights[j];
      sum += r * r;
      if (g !== null) for (let j = 0; j < d; j++) g[j] += r * inputs[row + j];
    }
    if (gradient !== null && g !== null) for (let j = 0; j < d; j++) gradient[j] = g[j] / n;
    return (0.5 * sum) / n;
  }
}
