/**
 * float64 on the WebAssembly kernel: the f64x2 functions (and their scalar tails) apply the JS loops'
 * operations in the JS loops' order, so every θ, v, m and b is bit-identical (Object.is per element, so the
 * sign of zero and NaN placement count) to the JS kernel, `createCpuBackend({ kernel: 'js' })`, and to
 * `referenceStep` from @rmsprop/core.
 *
 * Covered: all 36 variants × maximize × epsilonPlacement × learningRateInMomentum (every combination, other
 * fields random), each on slots of lengths 0, 1, 2, 3, 4, 5, 7, 8, 9, 17 and 1023 (empty, tail only, whole
 * vectors, vectors + tail), 20 steps with η drawn per step (a schedule), θ₀ from 1e-20 to 1e20 with ±0, and
 * gradients spanning 60 decades with ±0, subnormals, ±MAX_VALUE and the odd NaN/±∞. Then configs that change
 * variant mid-run, interleaved in one step.
 */
import {
  createReferenceState,
  referenceStep,
  resolveConfig,
  type BackendSlot,
  type ReferenceState,
  type RMSPropConfig,
  type SlotUpdate,
} from '@rmsprop/core';
import { variantIndexOf } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { firstMismatch } from '../__fixtures__/compare.js';
import { Rng } from '../__fixtures__/random.js';
import { createCpuBackend } from '../create-cpu-backend.js';
import { slotRequest, wasmTestBackend, wideGradient, wideParams } from './__fixtures__/wasm-fixtures.js';

const LENGTHS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 17, 1023];
const STEPS = 20;

interface Variant {
  momentum: 0 | 1 | 2;
  centered: boolean;
  biasCorrection: boolean;
  weightDecay: 0 | 1 | 2;
}

const VARIANTS: Variant[] = [];
for (const momentum of [0, 1, 2] as const) {
  for (const centered of [false, true]) {
    for (const biasCorrection of [false, true]) {
      for (const weightDecay of [0, 1, 2] as const) VARIANTS.push({ momentum, centered, biasCorrection, weightDecay });
    }
  }
}

/** The folded switches: every combination of maximize × epsilonPlacement × learningRateInMomentum. */
const FOLDED = [false, true].flatMap((maximize) =>
  (['outside', 'inside'] as const).flatMap((epsilonPlacement) => [false, true].map((learningRateInMomentum) => ({ maximize, epsilonPlacement, learningRateInMomentum }))),
);

/** A config with `variant`'s structure and `folded`'s switches; ρ, ε, μ, wd, η, v₀ random (ρ sometimes 0 or 0.999). */
function variantConfig(rng: Rng, variant: Variant, folded: (typeof FOLDED)[number]): Readonly<RMSPropConfig> {
  const r = rng.next();
  return resolveConfig({
    ...folded,
    learningRate: rng.logUniform(1e-5, 1),
    rho: r < 0.1 ? 0 : r < 0.2 ? 0.999 : rng.uniform(0, 1),
    epsilon: rng.logUniform(1e-10, 1e-1),
    momentum: variant.momentum === 0 ? 0 : rng.uniform(0.01, 0.99),
    nesterov: variant.momentum === 2,
    centered: variant.centered,
    biasCorrection: variant.biasCorrection,
    weightDecay: variant.weightDecay === 0 ? 0 : rng.logUniform(1e-6, 0.5),
    // With wd = 0 the decoupled flag must not matter (still variant "no decay").
    decoupledWeightDecay: variant.weightDecay === 2 || (variant.weightDecay === 0 && rng.bool()),
    initialMeanSquare: rng.bool() ? 0 : rng.logUniform(1e-6, 10),
  });
}

/** Null when the slot holds exactly `params` and `state` (Object.is per element), else the first difference. */
function mismatch(slot: BackendSlot, params: ArrayLike<number>, state: Omit<ReferenceState, 'step'>, where: string): string | null {
  const s = slot.readState();
  return (
    firstMismatch(slot.params!, params, `${where} θ`) ??
    firstMismatch(s.meanSquare, state.meanSquare, `${where} v`) ??
    (state.meanGrad === null ? (s.meanGrad === null ? null : `${where}: unexpected m`) : firstMismatch(s.meanGrad!, state.meanGrad, `${where} m`)) ??
    (state.momentum === null ? (s.momentum === null ? null : `${where}: unexpected b`) : firstMismatch(s.momentum!, state.momentum, `${where} b`))
  );
}

describe('float64: bit-identical to the JS kernel and to referenceStep', () => {
  it.each(VARIANTS.map((v, i) => [i, v] as const))('variant %i %j × 8 folded switch settings × 11 lengths × 20 steps', async (index, variant) => {
    const rng = new Rng(64_000 + index);
    const { backend: wasm, calls } = await wasmTestBackend();
    const js = await createCpuBackend({ kernel: 'js' });
    expect(js.capabilities.details.kernel).toBe('js');
    const groups = FOLDED.map((folded, g) => {
      const config = variantConfig(rng, variant, folded);
      expect(variantIndexOf(config)).toBe(index);
      const runs = LENGTHS.map((n) => {
        const theta0 = wideParams(rng, n);
        return {
          n,
          wasm: wasm.createSlot(slotRequest(`g${g}n${n}`, theta0.slice(), config)),
          js: js.createSlot(slotRequest(`g${g}n${n}`, theta0.slice(), config)),
          params: theta0.slice(),
          state: createReferenceState(config, n),
        };
      });
      return { config, runs };
    });
    let compared = 0;
    const seen = { negativeZero: 0, positiveZero: 0, nan: 0, finite: 0 };
    for (let t = 1; t <= STEPS; t++) {
      const wasmUpdates: SlotUpdate[] = [];
      const jsUpdates: SlotUpdate[] = [];
      for (const { config, runs } of groups) {
        // A schedule: η drawn per group and step (0 now and then), shared by the group's slots.
        const learningRate = rng.bool(0.1) ? 0 : config.learningRate * rng.uniform(0, 2);
        for (const run of runs) {
          const grads = wideGradient(rng, run.n);
          referenceStep(config, run.params, grads, run.state, learningRate);
          const hyper = { config, learningRate, step: t };
          wasmUpdates.push({ slot: run.wasm, grads, hyper });
          jsUpdates.push({ slot: run.js, grads, hyper });
        }
      }
      calls.length = 0;
      wasm.step(wasmUpdates);
      js.step(jsUpdates);
      // One kernel call per group: its 11 slots share the variant, the dtype and every constant.
      expect(calls.map((c) => [c.variant, c.dtype, c.count])).toEqual(groups.map(() => [index, 'float64', LENGTHS.length]));
      for (const { config, runs } of groups) {
        for (const run of runs) {
          const where = `t=${t}, n=${run.n}, ${JSON.stringify(config)}:`;
          const m = mismatch(run.wasm, run.params, run.state, `${where} wasm vs reference`) ?? mismatch(run.js, run.params, run.state, `${where} js vs reference`);
          if (m !== null) expect.fail(m);
          compared += run.n;
          for (const x of run.params) {
            if (Object.is(x, -0)) seen.negativeZero++;
            else if (Object.is(x, 0)) seen.positiveZero++;
            else if (Number.isNaN(x)) seen.nan++;
            else if (Number.isFinite(x) && x !== 0) seen.finite++;
          }
        }
      }
    }
    expect(compared).toBe(STEPS * FOLDED.length * LENGTHS.reduce((a, b) => a + b, 0));
    // The comparisons covered the interesting cases: θ = −0 and θ = NaN were compared, and most θ were finite and nonzero.
    // (Decoupled decay turns −0 into +0 at once: −0 − η·wd·(−0) = −0 + 0 = +0, in every kernel and the reference.)
    if (variant.weightDecay === 2) expect(seen.positiveZero).toBeGreaterThan(0);
    else expect(seen.negativeZero).toBeGreaterThan(0);
    expect(seen.nan).toBeGreaterThan(0);
    expect(seen.finite).toBeGreaterThan(compared / 2);
    wasm.dispose();
    js.dispose();
  });
});

describe('float64: configs that change variant mid-run, slots of several variants interleaved', () => {
  it.each([1, 2, 3, 4, 5, 6])('seed %i: 12 slots, a new random config (same state buffers) for each at steps 8 and 15', async (seed) => {
    const rng = new Rng(65_000 + seed);
    const wasm = await createCpuBackend({ kernel: 'wasm-simd' });
    const js = await createCpuBackend({ kernel: 'js' });
    const random = (centered: boolean, momentum: boolean) =>
      variantConfig(
        rng,
        { momentum: momentum ? rng.pick([1, 2] as const) : 0, centered, biasCorrection: rng.bool(), weightDecay: rng.pick([0, 1, 2] as const) },
        rng.pick(FOLDED),
      );
    const runs = Array.from({ length: 12 }, (_, i) => {
      const centered = rng.bool();
      const momentum = rng.bool();
      const config = random(centered, momentum);
      const n = rng.pick(LENGTHS);
      const theta0 = wideParams(rng, n);
      return {
        n,
        centered,
        momentum,
        config,
        wasm: wasm.createSlot(slotRequest(`p${i}`, theta0.slice(), config)),
        js: js.createSlot(slotRequest(`p${i}`, theta0.slice(), config)),
        params: theta0.slice(),
        state: createReferenceState(config, n),
      };
    });
    for (let t = 1; t <= STEPS; t++) {
      if (t === 8 || t === 15) for (const run of runs) run.config = random(run.centered, run.momentum);
      const order = runs.slice().sort(() => rng.next() - 0.5); // a different interleaving each step
      const wasmUpdates: SlotUpdate[] = [];
      const jsUpdates: SlotUpdate[] = [];
      for (const run of order) {
        const grads = wideGradient(rng, run.n);
        const learningRate = run.config.learningRate * rng.uniform(0, 2);
        referenceStep(run.config, run.params, grads, run.state, learningRate);
        wasmUpdates.push({ slot: run.wasm, grads, hyper: { config: run.config, learningRate, step: t } });
        jsUpdates.push({ slot: run.js, grads, hyper: { config: run.config, learningRate, step: t } });
      }
      wasm.step(wasmUpdates);
      js.step(jsUpdates);
      for (const run of runs) {
        const where = `t=${t}, n=${run.n}, ${JSON.stringify(run.config)}:`;
        const m = mismatch(run.wasm, run.params, run.state, `${where} wasm`) ?? mismatch(run.js, run.params, run.state, `${where} js`);
        if (m !== null) expect.fail(m);
      }
    }
  });
});
