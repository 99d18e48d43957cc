/**
 * The 36 loops against the float64 reference, one structural variant at a time.
 *
 * For each combination of momentum (none, heavy ball, nesterov) × centered × biasCorrection × weight decay
 * (none, coupled, decoupled), `selectKernel` must return one function of its own, the same one for all
 * eight settings of the folded switches (maximize × epsilonPlacement × learningRateInMomentum), and that
 * function, run on Float64Array buffers with `setKernelConstants`, must reproduce `referenceStep` bit for bit
 * (Object.is per element of θ, v, m and b, so −0 and NaN count) over several steps, on random data with
 * edge values mixed in: ±0, 1e150 (g² near the top of the range), 1e160 (g² overflows to ∞), 1e-300 (g²
 * underflows to 0), the smallest subnormal, the largest double, NaN and ±∞.
 */
import { createKernelConstants, createReferenceState, referenceStep, resolveConfig, setKernelConstants, type RMSPropConfig } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { firstMismatch } from './__fixtures__/compare.js';
import { Rng } from './__fixtures__/random.js';
import type { JsLoop, KernelBuffers } from './js-loop.js';
import { JS_KERNELS } from './js-kernels.generated.js';
import { selectKernel } from './select-kernel.js';

type MomentumKind = 'none' | 'heavy' | 'nesterov';
type DecayKind = 'none' | 'coupled' | 'decoupled';

interface Structure {
  momentum: MomentumKind;
  centered: boolean;
  biasCorrection: boolean;
  decay: DecayKind;
}

interface Folded {
  maximize: boolean;
  epsilonPlacement: 'inside' | 'outside';
  learningRateInMomentum: boolean;
}

const STRUCTURES: Structure[] = [];
for (const momentum of ['none', 'heavy', 'nesterov'] as const) {
  for (const centered of [false, true]) {
    for (const biasCorrection of [false, true]) {
      for (const decay of ['none', 'coupled', 'decoupled'] as const) STRUCTURES.push({ momentum, centered, biasCorrection, decay });
    }
  }
}

const FOLDED: Folded[] = [];
for (const maximize of [false, true]) {
  for (const epsilonPlacement of ['outside', 'inside'] as const) {
    for (const learningRateInMomentum of [false, true]) FOLDED.push({ maximize, epsilonPlacement, learningRateInMomentum });
  }
}

const label = (s: Structure) =>
  `momentum ${s.momentum}, centered ${s.centered}, biasCorrection ${s.biasCorrection}, weight decay ${s.decay}`;

/** A config with the given structure and folded switches; the numbers are drawn from `rng`. */
function configFor(rng: Rng, s: Structure, f: Folded): Readonly<RMSPropConfig> {
  const r = rng.next();
  return resolveConfig({
    learningRate: rng.logUniform(1e-4, 1),
    rho: r < 0.15 ? 0 : rng.uniform(0, 0.999),
    epsilon: rng.logUniform(1e-10, 1e-1),
    epsilonPlacement: f.epsilonPlacement,
    momentum: s.momentum === 'none' ? 0 : rng.uniform(0.01, 0.99),
    nesterov: s.momentum === 'nesterov',
    learningRateInMomentum: f.learningRateInMomentum,
    centered: s.centered,
    weightDecay: s.decay === 'none' ? 0 : rng.logUniform(1e-5, 0.5),
    // With wd = 0 the flag must make no difference (the reference ignores it), so draw it at random there.
    decoupledWeightDecay: s.decay === 'decoupled' || (s.decay === 'none' && rng.bool()),
    maximize: f.maximize,
    initialMeanSquare: rng.bool() ? 0 : rng.uniform(0, 2),
    biasCorrection: s.biasCorrection,
  });
}

/** Gradient values that stress the arithmetic. Element i < EDGES.length gets EDGES[(i + t) % EDGES.length] at step t. */
const EDGES = [0, -0, 1e150, -1e150, 1e160, -1e160, 1e-300, -1e-300, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity];

const LENGTH = 40;
const STEPS = 6;

/** A gradient for step t: edge values first, then normals with per-element scales from 1e-3 to 1e3. */
function gradient(rng: Rng, t: number): Float64Array {
  const g = new Float64Array(LENGTH);
  for (let i = 0; i < LENGTH; i++) {
    g[i] = i < EDGES.length ? EDGES[(i + t) % EDGES.length] : rng.normal() * rng.logUniform(1e-3, 1e3);
  }
  return g;
}

/** θ₀: mostly normals, with +0 and −0 at fixed places (a zero θ with a zero gradient must keep its sign). */
function initialParams(rng: Rng): Float64Array {
  const p = rng.normals64(LENGTH, 2);
  p[0] = 0;
  p[1] = -0;
  p[EDGES.length] = -0;
  p[EDGES.length + 1] = 0;
  return p;
}

/**
 * Run `kernel` and `referenceStep` side by side for STEPS steps (η drawn per step, one step with η = 0) and
 * return the first mismatch, or null when every buffer is bit-identical after every step.
 */
function compareWithReference(rng: Rng, kernel: JsLoop, config: Readonly<RMSPropConfig>, scalarsConfig = config): string | null {
  const theta0 = initialParams(rng);
  const refParams = theta0.slice();
  const refState = createReferenceState(config, LENGTH);
  const buffers: KernelBuffers = {
    params: theta0.slice(),
    meanSquare: new Float64Array(LENGTH).fill(config.initialMeanSquare),
    meanGrad: config.centered ? new Float64Array(LENGTH) : null,
    momentum: config.momentum > 0 ? new Float64Array(LENGTH) : null,
  };
  const k = createKernelConstants();
  for (let t = 1; t <= STEPS; t++) {
    const grads = gradient(rng, t);
    const learningRate = t === 3 ? 0 : rng.logUniform(1e-4, 1);
    referenceStep(config, refParams, grads, refState, learningRate);
    setKernelConstants(k, { config: scalarsConfig, learningRate, step: t });
    kernel(buffers, grads, k);
    const mismatch =
      firstMismatch(buffers.params, refParams, `step ${t}: θ`) ??
      firstMismatch(buffers.meanSquare, refState.meanSquare, `step ${t}: v`) ??
      (refState.meanGrad === null ? null : firstMismatch(buffers.meanGrad!, refState.meanGrad, `step ${t}: m`)) ??
      (refState.momentum === null ? null : firstMismatch(buffers.momentum!, refState.momentum, `step ${t}: b`));
    if (mismatch !== null) return mismatch;
  }
  return null;
}

describe('selectKernel', () => {
  it('picks 36 distinct loops, one per structural variant, and every generated loop once', () => {
    const rng = new Rng(1);
    const chosen = new Map<JsLoop, string>();
    for (const s of STRUCTURES) {
      const kernel = selectKernel(configFor(rng, s, FOLDED[0]));
      expect(chosen.has(kernel), `${label(s)} shares its loop with ${chosen.get(kernel)}`).toBe(false);
      chosen.set(kernel, label(s));
    }
    expect(chosen.size).toBe(36);
    const all = new Set<JsLoop>(JS_KERNELS);
    expect(all.size).toBe(36);
    for (const kernel of all) expect(chosen.has(kernel)).toBe(true);
  });

  it('folds maximize, epsilonPlacement and learningRateInMomentum: the same loop for all 8 settings', () => {
    const rng = new Rng(2);
    for (const s of STRUCTURES) {
      const loops = new Set(FOLDED.map((f) => selectKernel(configFor(rng, s, f))));
      expect(loops.size, label(s)).toBe(1);
    }
  });

  it('treats decoupledWeightDecay as irrelevant when weightDecay is 0', () => {
    const base = { momentum: 0.5, centered: true, biasCorrection: true };
    expect(selectKernel(resolveConfig({ ...base, decoupledWeightDecay: true }))).toBe(selectKernel(resolveConfig(base)));
    expect(selectKernel(resolveConfig({ ...base, weightDecay: 0.1, decoupledWeightDecay: true }))).not.toBe(
      selectKernel(resolveConfig({ ...base, weightDecay: 0.1 })),
    );
  });
});

describe('each loop is bit-identical to referenceStep in float64', () => {
  // 36 structures × 8 folded settings × 3 draws of the numbers, STEPS steps each.
  STRUCTURES.forEach((s, index) => {
    it(label(s), () => {
      for (let draw = 0; draw < 3; draw++) {
        FOLDED.forEach((f, fi) => {
          const seed = 1000 * (index + 1) + 10 * fi + draw;
          const rng = new Rng(seed);
          const config = configFor(rng, s, f);
          const mismatch = compareWithReference(rng, selectKernel(config), config);
          expect(mismatch, `seed ${seed}, ${JSON.stringify(f)}`).toBeNull();
        });
      }
    });
  });

  it('an empty buffer is a no-op', () => {
    const config = resolveConfig({ momentum: 0.9, centered: true });
    const buffers: KernelBuffers = {
      params: new Float64Array(0),
      meanSquare: new Float64Array(0),
      meanGrad: new Float64Array(0),
      momentum: new Float64Array(0),
    };
    const k = createKernelConstants();
    setKernelConstants(k, { config, learningRate: 0.1, step: 1 });
    expect(() => selectKernel(config)(buffers, new Float64Array(0), k)).not.toThrow();
  });
});

describe('the comparison can fail', () => {
  // Negative controls: the same harness reports a mismatch when the loop or its constants are wrong.
  it('flags a loop run with the scalars of a config that differs in one folded switch', () => {
    const flips: [keyof Folded, unknown][] = [
      ['maximize', true],
      ['epsilonPlacement', 'inside'],
      ['learningRateInMomentum', true],
    ];
    for (const [field, value] of flips) {
      const rng = new Rng(77);
      const config = configFor(rng, { momentum: 'heavy', centered: false, biasCorrection: false, decay: 'none' }, FOLDED[0]);
      const wrong = resolveConfig({ ...config, [field]: value });
      expect(compareWithReference(rng, selectKernel(config), config, wrong), field).not.toBeNull();
    }
  });

  it('flags the loop of a neighbouring variant', () => {
    const rng = new Rng(78);
    const config = configFor(rng, { momentum: 'nesterov', centered: true, biasCorrection: true, decay: 'coupled' }, FOLDED[5]);
    const neighbour = selectKernel(resolveConfig({ ...config, weightDecay: config.weightDecay, decoupledWeightDecay: true }));
    expect(compareWithReference(rng, neighbour, config)).not.toBeNull();
  });
});
