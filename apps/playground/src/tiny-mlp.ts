import { seededRandom } from '@rmsprop/app-kit';
import type { Dataset } from './two-spirals.js';

/** The network's parameters by name: w1 [h×2], b1 [h], w2 [h×h], b2 [h], w3 [h], b3 [1] (row-major). */
export type MlpParams = Record<'w1' | 'b1' | 'w2' | 'b2' | 'w3' | 'b3', Float64Array>;

export const PARAM_NAMES = ['w1', 'b1', 'w2', 'b2', 'w3', 'b3'] as const;

/** Hidden units per layer. */
export const HIDDEN = 16;

/** Glorot-uniform weights, zero biases, from a seed. */
export function initMlp(seed = 1): MlpParams {
  const random = seededRandom(seed);
  const uniform = (n: number, fanIn: number, fanOut: number) => {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return Float64Array.from({ length: n }, () => (2 * random() - 1) * a);
  };
  return {
    w1: uniform(HIDDEN * 2, 2, HIDDEN),
    b1: new Float64Array(HIDDEN),
    w2: uniform(HIDDEN * HIDDEN, HIDDEN, HIDDEN),
    b2: new Float64Array(HIDDEN),
    w3: uniform(HIDDEN, HIDDEN, 1),
    b3: new Float64Array(1),
  };
}

/** P(label = 1 | x): tanh, tanh, sigmoid. */
export function predict(p: MlpParams, x0: number, x1: number): number {
  const h1 = new Float64Array(HIDDEN);
  for (let i = 0; i < HIDDEN; i++) h1[i] = Math.tanh(p.w1[2 * i]! * x0 + p.w1[2 * i + 1]! * x1 + p.b1[i]!);
  let z = p.b3[0]!;
  for (let i = 0; i < HIDDEN; i++) {
    let s = p.b2[i]!;
    for (let j = 0; j < HIDDEN; j++) s += p.w2[i * HIDDEN + j]! * h1[j]!;
    z += p.w3[i]! * Math.tanh(s);
  }
  return 1 / (1 + Math.exp(-z));
}

/** Mean binary cross-entropy over the dataset, and its gradient with respect to every parameter (into `grads`). */
export function lossAndGradient(p: MlpParams, data: Dataset, grads: MlpParams): number {
  for (const name of PARAM_NAMES) grads[name].fill(0);
  const h1 = new Float64Array(HIDDEN);
  const h2 = new Float64Array(HIDDEN);
  const d2 = new Float64Array(HIDDEN);
  let loss = 0;
  for (let n = 0; n < data.size; n++) {
    const x0 = data.x[2 * n]!;
    const x1 = data.x[2 * n + 1]!;
    const y = data.label[n]!;
    for (let i = 0; i < HIDDEN; i++) h1[i] = Math.tanh(p.w1[2 * i]! * x0 + p.w1[2 * i + 1]! * x1 + p.b1[i]!);
    let z = p.b3[0]!;
    for (let i = 0; i < HIDDEN; i++) {
      let s = p.b2[i]!;
      for (let j = 0; j < HIDDEN; j++) s += p.w2[i * HIDDEN + j]! * h1[j]!;
      h2[i] = Math.tanh(s);
      z += p.w3[i]! * h2[i]!;
    }
    // BCE with logits: log(1 + e^z) − y·z, computed stably; ∂/∂z = σ(z) − y.
    loss += Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
    const dz = (1 / (1 + Math.exp(-z)) - y) / data.size;
    grads.b3[0] += dz;
    for (let i = 0; i < HIDDEN; i++) {
      grads.w3[i] += dz * h2[i]!;
      d2[i] = dz * p.w3[i]! * (1 - h2[i]! * h2[i]!);
      grads.b2[i] += d2[i]!;
    }
    for (let j = 0; j < HIDDEN; j++) {
      let back = 0;
      for (let i = 0; i < HIDDEN; i++) {
        grads.w2[i * HIDDEN + j] += d2[i]! * h1[j]!;
        back += d2[i]! * p.w2[i * HIDDEN + j]!;
      }
      const d1 = back * (1 - h1[j]! * h1[j]!);
      grads.w1[2 * j] += d1 * x0;
      grads.w1[2 * j + 1] += d1 * x1;
      grads.b1[j] += d1;
    }
  }
  return loss / data.size;
}

/** The share of points whose predicted class (P ≥ ½) is their label. */
export function accuracy(p: MlpParams, data: Dataset): number {
  let right = 0;
  for (let n = 0; n < data.size; n++) if (predict(p, data.x[2 * n]!, data.x[2 * n + 1]!) >= 0.5 === (data.label[n] === 1)) right++;
  return right / data.size;
}
