import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance } from './implementation.js';

type Floats = Float32Array | Float64Array;

/** One parameter in the allocating style: the arrays are replaced by new ones at every step. */
export interface AllocatingState {
  params: Floats;
  readonly grads: Floats;
  meanSquare: Floats;
  meanGrad: Floats | null;
  momentum: Floats | null;
}

export interface AllocatingHyper {
  readonly learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
}

/**
 * One step the way a first, allocating version writes it: each line of the formula is a `map` over typed arrays, and every `map`
 * allocates a new array (`v = ρ·v + (1−ρ)·g·g; θ −= η·g/(√v + ε)`). Same formula as the spec (epsilon
 * outside the square root); the numbers differ from the fused loop only in rounding (m and v are read back
 * rounded to the dtype, and η·g/d groups as (η·g)/d).
 */
export function allocatingStep(s: AllocatingState, h: AllocatingHyper): void {
  const g = s.grads;
  const rho = h.rho;
  const lr = h.learningRate;
  const eps = h.epsilon;
  s.meanSquare = s.meanSquare.map((v, i) => rho * v + (1 - rho) * g[i] * g[i]);
  const v = s.meanSquare;
  let denominator: Floats;
  if (s.meanGrad !== null) {
    s.meanGrad = s.meanGrad.map((m, i) => rho * m + (1 - rho) * g[i]);
    const m = s.meanGrad;
    denominator = v.map((vi, i) => Math.sqrt(Math.max(vi - m[i] * m[i], 0)) + eps);
  } else {
    denominator = v.map((vi) => Math.sqrt(vi) + eps);
  }
  if (s.momentum !== null) {
    const mu = h.momentum;
    s.momentum = s.momentum.map((b, i) => mu * b + g[i] / denominator[i]);
    const b = s.momentum;
    s.params = s.params.map((theta, i) => theta - lr * b[i]);
  } else {
    s.params = s.params.map((theta, i) => theta - (lr * g[i]) / denominator[i]);
  }
}

/** An allocating-js parameter of `size` elements with the bench's starting values. */
export function createAllocatingState(c: BenchCase, size: number, index: number): AllocatingState {
  const Ctor = c.dtype === 'float32' ? Float32Array : Float64Array;
  const { momentum, centered } = variantSettings(c.variant);
  const seeds = benchSeeds(index);
  const params = new Ctor(size);
  const grads = new Ctor(size);
  fillBenchValues(params, seeds.params);
  fillBenchValues(grads, seeds.grads);
  return {
    params,
    grads,
    meanSquare: new Ctor(size),
    meanGrad: centered ? new Ctor(size) : null,
    momentum: momentum > 0 ? new Ctor(size) : null,
  };
}

export function allocatingHyper(c: BenchCase): AllocatingHyper {
  return { learningRate: BENCH_LEARNING_RATE, rho: BENCH_RHO, epsilon: BENCH_EPSILON, momentum: variantSettings(c.variant).momentum };
}

/** The layout's parameters in the allocating style, and one step over all of them. */
export function createAllocatingRun(c: BenchCase): { parts: AllocatingState[]; step: () => void } {
  const { count, size } = layoutShape(c);
  const parts = Array.from({ length: count }, (_, i) => createAllocatingState(c, size, i));
  const hyper = allocatingHyper(c);
  const step = () => {
    for (let i = 0; i < parts.length; i++) allocatingStep(parts[i], hyper);
  };
  return { parts, step };
}

/** `allocating-js`: allocate-per-step JS, as a first version writes it (new typed arrays from `map` at every step). */
export const allocatingJsImplementation: Implementation = {
  name: 'allocating-js',
  role: 'peer',
  describe: () => "allocate-per-step JS, as a first version writes it: every line of the formula a typed-array map, new arrays each step",
  unsupported: () => undefined,
  async create(c: BenchCase): Promise<Instance> {
    const { step } = createAllocatingRun(c);
    return { run: (steps) => timeSteps(step, steps), dispose: () => undefined };
  },
};
