import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance } from './implementation.js';

type Floats = Float32Array | Float64Array;

/** One parameter's buffers for the fused loop: θ, g, v and, where the variant needs them, m and b. */
export interface LoopBuffers {
  readonly params: Floats;
  readonly grads: Floats;
  readonly meanSquare: Floats;
  readonly meanGrad: Floats | null;
  readonly momentum: Floats | null;
}

/** Hyperparameters of the loop (epsilon outside the square root, no weight decay, no bias correction). */
export interface LoopHyper {
  readonly learningRate: number;
  readonly rho: number;
  readonly epsilon: number;
  readonly momentum: number;
}

// The plain JavaScript fused loop a careful user would write: one pass, one loop per variant (no branches
// per element), arithmetic in float64 and each stored value rounded to the array's dtype, operations in the
// order of the spec (docs/spec.md), so the float32 results equal the float32-rounded reference.

function plainLoop(b: LoopBuffers, h: LoopHyper): void {
  const θ = b.params;
  const g = b.grads;
  const v = b.meanSquare;
  const ρ = h.rho;
  const oneMinusρ = 1 - ρ;
  const η = h.learningRate;
  const ε = h.epsilon;
  for (let i = 0; i < θ.length; i++) {
    const gi = g[i];
    const vi = ρ * v[i] + oneMinusρ * gi * gi;
    v[i] = vi;
    θ[i] = θ[i] - η * (gi / (Math.sqrt(vi) + ε));
  }
}

function momentumLoop(b: LoopBuffers, h: LoopHyper): void {
  const θ = b.params;
  const g = b.grads;
  const v = b.meanSquare;
  const buf = b.momentum!;
  const ρ = h.rho;
  const oneMinusρ = 1 - ρ;
  const η = h.learningRate;
  const ε = h.epsilon;
  const μ = h.momentum;
  for (let i = 0; i < θ.length; i++) {
    const gi = g[i];
    const vi = ρ * v[i] + oneMinusρ * gi * gi;
    v[i] = vi;
    const bi = μ * buf[i] + gi / (Math.sqrt(vi) + ε);
    buf[i] = bi;
    θ[i] = θ[i] - η * bi;
  }
}

function centeredLoop(b: LoopBuffers, h: LoopHyper): void {
  const θ = b.params;
  const g = b.grads;
  const v = b.meanSquare;
  const m = b.meanGrad!;
  const ρ = h.rho;
  const oneMinusρ = 1 - ρ;
  const η = h.learningRate;
  const ε = h.epsilon;
  for (let i = 0; i < θ.length; i++) {
    const gi = g[i];
    const vi = ρ * v[i] + oneMinusρ * gi * gi;
    v[i] = vi;
    const mi = ρ * m[i] + oneMinusρ * gi;
    m[i] = mi;
    θ[i] = θ[i] - η * (gi / (Math.sqrt(Math.max(vi - mi * mi, 0)) + ε));
  }
}

function centeredMomentumLoop(b: LoopBuffers, h: LoopHyper): void {
  const θ = b.params;
  const g = b.grads;
  const v = b.meanSquare;
  const m = b.meanGrad!;
  const buf = b.momentum!;
  const ρ = h.rho;
  const oneMinusρ = 1 - ρ;
  const η = h.learningRate;
  const ε = h.epsilon;
  const μ = h.momentum;
  for (let i = 0; i < θ.length; i++) {
    const gi = g[i];
    const vi = ρ * v[i] + oneMinusρ * gi * gi;
    v[i] = vi;
    const mi = ρ * m[i] + oneMinusρ * gi;
    m[i] = mi;
    const bi = μ * buf[i] + gi / (Math.sqrt(Math.max(vi - mi * mi, 0)) + ε);
    buf[i] = bi;
    θ[i] = θ[i] - η * bi;
  }
}

type Loop = (buffers: LoopBuffers, hyper: LoopHyper) => void;

/** The loop for the variant the buffers describe (m present: centered; b present: momentum). */
function pickLoop(buffers: LoopBuffers, loops: readonly [Loop, Loop, Loop, Loop]): Loop {
  return loops[(buffers.meanGrad === null ? 0 : 2) + (buffers.momentum === null ? 0 : 1)];
}

const SHARED_LOOPS = [plainLoop, momentumLoop, centeredLoop, centeredMomentumLoop] as const;

/** One step of the fused loop on these buffers. */
export function jsLoopStep(buffers: LoopBuffers, hyper: LoopHyper): void {
  pickLoop(buffers, SHARED_LOOPS)(buffers, hyper);
}

/**
 * A copy of a self-contained function (it uses only its arguments and globals) with its own type feedback.
 * V8 optimises a loop for the array types it has seen; one loop that sees both Float32Array and
 * Float64Array runs polymorphic element accesses. A careful user's loop sees one dtype, so each dtype gets
 * its own copies of the same source.
 */
function monomorphicCopy<F extends (...args: never[]) => unknown>(fn: F): F {
  return new Function(`return (${fn.toString()});`)() as F;
}

const LOOPS_BY_DTYPE = new Map<string, readonly [Loop, Loop, Loop, Loop]>();

/** The four loops for one dtype, copied once per dtype (see monomorphicCopy). */
function loopsFor(dtype: string): readonly [Loop, Loop, Loop, Loop] {
  let loops = LOOPS_BY_DTYPE.get(dtype);
  if (loops === undefined) {
    loops = [monomorphicCopy(plainLoop), monomorphicCopy(momentumLoop), monomorphicCopy(centeredLoop), monomorphicCopy(centeredMomentumLoop)];
    LOOPS_BY_DTYPE.set(dtype, loops);
  }
  return loops;
}

/** Buffers for one parameter of `size` elements with the bench's starting values (v = 0, m = 0, b = 0). */
export function createLoopBuffers(c: BenchCase, size: number, index: number): LoopBuffers {
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

export function benchHyper(c: BenchCase): LoopHyper {
  return { learningRate: BENCH_LEARNING_RATE, rho: BENCH_RHO, epsilon: BENCH_EPSILON, momentum: variantSettings(c.variant).momentum };
}

/**
 * The layout's parameters with the bench's starting values, and one step over all of them with this dtype's
 * own copy of the variant's loop.
 */
export function createJsLoopRun(c: BenchCase): { parts: LoopBuffers[]; step: () => void } {
  const { count, size } = layoutShape(c);
  const parts = Array.from({ length: count }, (_, i) => createLoopBuffers(c, size, i));
  const hyper = benchHyper(c);
  const loop = pickLoop(parts[0], loopsFor(c.dtype));
  const step =
    count === 1
      ? () => loop(parts[0], hyper)
      : () => {
          for (let i = 0; i < parts.length; i++) loop(parts[i], hyper);
        };
  return { parts, step };
}

/** `js-loop`: the plain fused JS loop over typed arrays (one loop per parameter per step for a layout). */
export const jsLoopImplementation: Implementation = {
  name: 'js-loop',
  role: 'peer',
  describe: () => 'plain fused JS loop over Float32Array/Float64Array, one pass, one loop per variant, no allocation',
  unsupported: () => undefined,
  async create(c: BenchCase): Promise<Instance> {
    const { step } = createJsLoopRun(c);
    return { run: (steps) => timeSteps(step, steps), dispose: () => undefined };
  },
};
