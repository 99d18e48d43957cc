import { describe, expect, it } from 'vitest';
import { interpretUpdateProgram } from './interpret-update-program.js';
import { programSource, type SourceDialect } from './program-source.js';
import { createReferenceState, referenceStep } from './reference-step.js';
import type { RMSPropConfig } from './rmsprop-config.js';
import { STATE_BUFFERS, stateBuffersFor } from './state-buffers.js';
import {
  KERNEL_CONSTANT,
  KERNEL_CONSTANTS,
  UPDATE_VARIANTS,
  createKernelConstants,
  sameKernelConstants,
  setKernelConstants,
  updateProgram,
  variantIndex,
  variantIndexOf,
  variantOf,
  type UpdateProgram,
} from './update-program.js';
import { resolveConfig } from './validate-config.js';
import { LARGEST_FINITE, type DType, type FloatArray } from './dtype.js';

/** mulberry32: seeded uniform doubles in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid config with every switch drawn. */
function randomConfig(next: () => number): RMSPropConfig {
  const coin = () => next() < 0.5;
  const logUniform = (lo: number, hi: number) => Math.exp(Math.log(lo) + next() * (Math.log(hi) - Math.log(lo)));
  const momentum = coin() ? 0 : next();
  return resolveConfig({
    learningRate: logUniform(1e-5, 1),
    rho: next() < 0.1 ? 0 : next(),
    epsilon: logUniform(1e-10, 1e-1),
    epsilonPlacement: coin() ? 'inside' : 'outside',
    momentum,
    nesterov: momentum > 0 && coin(),
    learningRateInMomentum: coin(),
    centered: coin(),
    weightDecay: coin() ? 0 : logUniform(1e-6, 1e-1),
    decoupledWeightDecay: coin(),
    maximize: coin(),
    initialMeanSquare: coin() ? 0 : next(),
    biasCorrection: coin(),
  });
}

/**
 * The program compiled to a JS function over arrays, through the same source path the generators use: in
 * float64, or in float32 (every operation and constant rounded with Math.fround, saturating at float32's
 * largest finite value).
 */
function compile(program: UpdateProgram, dtype: DType = 'float64'): (arrays: Record<string, FloatArray>, k: Float64Array) => void {
  const M = LARGEST_FINITE[dtype];
  const dialect: SourceDialect = {
    load: (buffer) => `a.${buffer}[i]`,
    constant: (name) => (dtype === 'float32' ? `Math.fround(k[${KERNEL_CONSTANT[name]}])` : `k[${KERNEL_CONSTANT[name]}]`),
    local: (name) => name,
    bind: (name, value) => `const ${name} = ${value};`,
    store: (buffer, value) => `a.${buffer}[i] = ${value};`,
    sqrt: (x) => `Math.sqrt(${x})`,
    max0: (x) => `Math.max(${x}, 0)`,
    saturate: (x) => `Math.min(Math.max(${x}, -${M}), ${M})`,
    whereFinite: (test, a, b) => `(${test} - ${test} === 0 ? ${a} : ${b})`,
    ...(dtype === 'float32' ? { round: (x: string) => `Math.fround(${x})` } : {}),
  };
  const body = `for (let i = 0; i < a.param.length; i++) {\n${programSource(program, dialect).join('\n')}\n}`;
  return new Function('a', 'k', body) as never;
}

/** Numbers a hostile caller may give: ordinary, huge, tiny, subnormal, zero of either sign, and (if asked) non-finite. */
function extremeNumber(next: () => number, dtype: DType, nonFinite: boolean): number {
  const M = LARGEST_FINITE[dtype];
  const sign = next() < 0.5 ? -1 : 1;
  const pick = next();
  if (nonFinite && pick < 0.06) return [Number.NaN, Infinity, -Infinity][Math.floor(next() * 3)];
  if (pick < 0.15) return sign * M * (1 - next() * 1e-3);
  if (pick < 0.35) return sign * Math.sqrt(M) * Math.exp(next() * 8 - 4);
  if (pick < 0.45) return sign * (dtype === 'float32' ? 1.4e-45 : 5e-324) * Math.floor(1 + next() * 100);
  if (pick < 0.5) return sign * 0;
  return sign * Math.exp(next() * 60 - 30);
}

/** A valid config whose values reach the float64 limits (η·wd kept finite, as checkSlotUpdates requires). */
function extremeConfig(next: () => number, dtype: DType): RMSPropConfig {
  const base = randomConfig(next);
  const M = LARGEST_FINITE[dtype];
  const wild = (ordinary: number) => (next() < 0.3 ? Math.exp(Math.log(M) * (next() * 2 - 1)) : ordinary);
  const learningRate = next() < 0.1 ? 0 : wild(base.learningRate);
  const weightDecay = base.weightDecay === 0 ? 0 : Math.min(wild(base.weightDecay), learningRate === 0 ? M : (M / learningRate) * 0.5);
  return resolveConfig({
    ...base,
    learningRate,
    weightDecay,
    epsilon: Math.max(wild(base.epsilon), dtype === 'float32' ? 1.4e-45 : 5e-324),
    rho: next() < 0.2 ? 1 - 2 ** -23 : base.rho,
    momentum: base.momentum > 0 && next() < 0.2 ? 1 - 2 ** -23 : base.momentum,
    initialMeanSquare: wild(base.initialMeanSquare),
  });
}

/** Each element's bits; every NaN as one (its sign and payload carry nothing here). */
const bits = (a: Float64Array) => Array.from(new BigUint64Array(a.buffer.slice(0)), (x, i) => (Number.isNaN(a[i]) ? 'NaN' : x.toString(16)));

describe('the update program', () => {
  it('numbers 36 variants in index order, and finds each config its variant without allocating', () => {
    expect(UPDATE_VARIANTS).toHaveLength(36);
    UPDATE_VARIANTS.forEach((variant, index) => expect(variantIndex(variant)).toBe(index));
    const next = rng(7);
    for (let i = 0; i < 200; i++) {
      const config = randomConfig(next);
      const variant = variantOf(config);
      expect(variantIndexOf(config)).toBe(variantIndex(variant));
      expect(variant.centered).toBe(config.centered);
      expect(variant.biasCorrection).toBe(config.biasCorrection);
      expect(variant.momentum).toBe(config.momentum > 0 ? (config.nesterov ? 'nesterov' : 'heavyBall') : 'none');
      expect(variant.weightDecay).toBe(config.weightDecay > 0 ? (config.decoupledWeightDecay ? 'decoupled' : 'coupled') : 'none');
    }
  });

  it('stores exactly the state buffers the config keeps, each once, θ last; binds each local once', () => {
    const next = rng(11);
    for (let i = 0; i < 100; i++) {
      const config = randomConfig(next);
      for (const foldDecoupledDecay of [false, true]) {
        const program = updateProgram(variantOf(config), { foldDecoupledDecay });
        expect(program.stateBuffers).toEqual(stateBuffersFor(config).map((b) => b.name));
        const stores = program.statements.filter((s) => s.kind === 'store').map((s) => s.buffer);
        expect(stores.at(-1)).toBe('param');
        expect(new Set(stores).size).toBe(stores.length);
        expect(new Set(program.locals).size).toBe(program.locals.length);
        expect(program.buffers.slice(0, 2)).toEqual(['param', 'grad']);
      }
    }
  });

  it('gives, in float64 and unfolded, the reference step bit for bit over random configs (source and interpreter)', () => {
    const next = rng(2026);
    const k = createKernelConstants();
    for (let trial = 0; trial < 300; trial++) {
      const config = randomConfig(next);
      const n = 1 + Math.floor(next() * 9);
      const theta0 = Float64Array.from({ length: n }, () => (next() - 0.5) * 10);
      const ref = Float64Array.from(theta0);
      const refState = createReferenceState(config, n);
      const program = updateProgram(variantOf(config), { foldDecoupledDecay: false });
      const run = compile(program);
      const arrays: Record<string, Float64Array> = { param: Float64Array.from(theta0) };
      for (const buffer of STATE_BUFFERS) arrays[buffer.name] = new Float64Array(n).fill(buffer.initialValue(config));
      const interpreted: Record<string, Float64Array> = Object.fromEntries(Object.entries(arrays).map(([key, a]) => [key, Float64Array.from(a)]));
      for (let t = 1; t <= 4; t++) {
        const grad = Float64Array.from({ length: n }, () => (next() - 0.5) * 4);
        const lr = config.learningRate * (1 + next());
        referenceStep(config, ref, grad, refState, lr);
        setKernelConstants(k, { config, learningRate: lr, step: t });
        run({ ...arrays, grad }, k);
        // Element by element through the interpreter, with JS numbers.
        for (let i = 0; i < n; i++) {
          const out = interpretUpdateProgram<number>(program, {
            load: (buffer) => (buffer === 'grad' ? grad[i] : interpreted[buffer][i]),
            constant: (name) => k[KERNEL_CONSTANT[name]],
            add: (a, b) => a + b,
            sub: (a, b) => a - b,
            mul: (a, b) => a * b,
            div: (a, b) => a / b,
            sqrt: Math.sqrt,
            max0: (a) => Math.max(a, 0),
            saturate: (a) => Math.min(Math.max(a, -Number.MAX_VALUE), Number.MAX_VALUE),
            whereFinite: (test, a, b) => (Number.isFinite(test) ? a : b),
          });
          interpreted.param[i] = out.param;
          for (const name of program.stateBuffers) interpreted[name][i] = out[name]!;
        }
      }
      expect(bits(arrays.param), JSON.stringify(config)).toEqual(bits(ref));
      expect(bits(interpreted.param)).toEqual(bits(ref));
      for (const name of program.stateBuffers) {
        expect(bits(arrays[name])).toEqual(bits(refState[name]!));
        expect(bits(interpreted[name])).toEqual(bits(refState[name]!));
      }
    }
  });

  it('gives the reference step bit for bit at the limits of float64, non-finite gradients included', () => {
    const next = rng(4242);
    const k = createKernelConstants();
    for (let trial = 0; trial < 400; trial++) {
      const config = extremeConfig(next, 'float64');
      const n = 1 + Math.floor(next() * 6);
      const program = updateProgram(variantOf(config), { foldDecoupledDecay: false });
      const run = compile(program);
      const theta0 = Float64Array.from({ length: n }, () => extremeNumber(next, 'float64', false));
      const ref = Float64Array.from(theta0);
      const refState = createReferenceState(config, n);
      const arrays: Record<string, Float64Array> = { param: Float64Array.from(theta0) };
      for (const buffer of STATE_BUFFERS) arrays[buffer.name] = new Float64Array(n).fill(buffer.initialValue(config));
      for (let t = 1; t <= 3; t++) {
        const grad = Float64Array.from({ length: n }, () => extremeNumber(next, 'float64', true));
        referenceStep(config, ref, grad, refState, config.learningRate);
        setKernelConstants(k, { config, learningRate: config.learningRate, step: t });
        run({ ...arrays, grad }, k);
      }
      expect(bits(arrays.param), JSON.stringify(config)).toEqual(bits(ref));
      for (const name of program.stateBuffers) expect(bits(arrays[name])).toEqual(bits(refState[name]!));
    }
  });

  for (const dtype of ['float64', 'float32'] as const) {
    it(`gives no NaN from finite θ, state and gradients in ${dtype}, however large (overflowing squares included)`, () => {
      const next = rng(dtype === 'float32' ? 32 : 64);
      const k = createKernelConstants();
      let overflowed = 0;
      for (let trial = 0; trial < 600; trial++) {
        const config = extremeConfig(next, dtype);
        const n = 8;
        const program = updateProgram(variantOf(config), { foldDecoupledDecay: dtype === 'float32' });
        const run = compile(program, dtype);
        const make = () => (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
        const arrays: Record<string, FloatArray> = { param: make().map(() => extremeNumber(next, dtype, false)) };
        for (const buffer of STATE_BUFFERS) arrays[buffer.name] = make().fill(buffer.initialValue(config));
        for (let t = 1; t <= 4; t++) {
          const before = Object.fromEntries(Object.entries(arrays).map(([key, a]) => [key, a.slice()]));
          const grad = make().map(() => extremeNumber(next, dtype, false));
          setKernelConstants(k, { config, learningRate: config.learningRate, step: t });
          run({ ...arrays, grad }, k);
          // From finite θ, m, b and gradient and a v in [0, +∞] (+∞ after an overflowing square): no NaN, m and
          // b finite (θ may overflow to ±∞: the next step's input is then not finite, and the run stops).
          const finite = (a: FloatArray) => a.every(Number.isFinite);
          const notNaN = (a: FloatArray) => !a.some(Number.isNaN);
          if (![before.param, before.meanGrad, before.momentum].every(finite) || !notNaN(before.meanSquare)) break;
          for (const name of ['meanGrad', 'momentum'] as const) expect(finite(arrays[name]), `${name} of ${JSON.stringify(config)} at t = ${t}`).toBe(true);
          for (const name of ['param', 'meanSquare'] as const) expect(notNaN(arrays[name]), `${name} of ${JSON.stringify(config)} at t = ${t}`).toBe(true);
          if (arrays.meanSquare.some((x) => x === Infinity)) overflowed++;
        }
      }
      // The trials reach the overflow they are about.
      expect(overflowed).toBeGreaterThan(50);
    });
  }

  it('folds decoupled decay only when asked, and only for decoupled variants', () => {
    for (const variant of UPDATE_VARIANTS) {
      const folded = updateProgram(variant, { foldDecoupledDecay: true });
      const plain = updateProgram(variant, { foldDecoupledDecay: false });
      expect(plain.locals.includes('th')).toBe(variant.weightDecay === 'decoupled');
      expect(folded.locals.includes('th')).toBe(false);
      if (variant.weightDecay !== 'decoupled') expect(folded).toEqual(plain);
    }
  });
});

describe('kernel constants', () => {
  it('has one named index per constant and fills every one', () => {
    expect(Object.values(KERNEL_CONSTANT)).toEqual(KERNEL_CONSTANTS.map((_, i) => i));
    const k = createKernelConstants().fill(Number.NaN);
    const config = resolveConfig({ learningRate: 0.1, rho: 0.9, epsilon: 1e-8, momentum: 0.5, weightDecay: 0.01, learningRateInMomentum: true, maximize: true });
    setKernelConstants(k, { config, learningRate: 0.05, step: 3 });
    expect(k.every((x) => Number.isFinite(x))).toBe(true);
    expect(k[KERNEL_CONSTANT.gradientSign]).toBe(-1);
    expect(k[KERNEL_CONSTANT.learningRate]).toBe(0.05);
    expect(k[KERNEL_CONSTANT.decoupledDecay]).toBe(0.05 * 0.01);
    expect(k[KERNEL_CONSTANT.correction]).toBe(1 - Math.pow(0.9, 3));
    expect(k[KERNEL_CONSTANT.momentumInputScale]).toBe(0.05);
    expect(k[KERNEL_CONSTANT.momentumOutputScale]).toBe(1);
    const same = Float64Array.from(k);
    expect(sameKernelConstants(k, same)).toBe(true);
    same[KERNEL_CONSTANT.rho] = 0.8;
    expect(sameKernelConstants(k, same)).toBe(false);
  });
});
