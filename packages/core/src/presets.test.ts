/**
 * Presets against docs/spec.md and shared/notes/anchors.md (each framework's own code): every field of
 * the returned config, the argument mapping, required arguments, and — as an independent check that the
 * mapping means what the framework means — a few steps of each framework's update written here the way
 * that framework writes it (anchors.md), compared with the float64 reference under the preset.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, RMSPropError } from './errors.js';
import { kerasPreset, optaxPreset, presets, pytorchPreset, tf1Preset, tfjsPreset } from './presets.js';
import { createReferenceState, referenceStep } from './reference-step.js';
import { CONFIG_FIELDS, type RMSPropConfig } from './rmsprop-config.js';

function catchError(fn: () => unknown, what = 'expected an error'): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error(what);
}

/** The preset's config, stepped by the float64 reference over `grads` (one row per step). */
function referenceRun(config: Readonly<RMSPropConfig>, theta0: number[], grads: number[][], lrs?: number[]): number[] {
  const params = Float64Array.from(theta0);
  const state = createReferenceState(config, params.length);
  grads.forEach((g, i) => referenceStep(config, params, g, state, lrs?.[i] ?? config.learningRate));
  return Array.from(params);
}

function expectClose(actual: number[], expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const error = Math.abs(a - expected[i]) / Math.max(Math.abs(expected[i]), 1e-300);
    expect(error, `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  });
}

const THETA0 = [0.5, -1.25, 2];
const GRADS = [
  [0.3, -0.7, 1.1],
  [-0.2, -0.4, 0.9],
  [0.5, 0.1, -1.3],
];
// The framework formulas below round differently from the spec's (e.g. TF's ms + (g² − ms)(1 − ρ)),
// so agreement is to a relative 1e-12 over three steps, not bit for bit.
const TOL = 1e-12;

/** torch.optim.RMSprop's single-tensor loop, per element. */
function torchRun(a: { lr: number; alpha: number; eps: number; weight_decay: number; momentum: number; centered: boolean; maximize: boolean }, lrs?: number[]): number[] {
  return THETA0.map((theta0, i) => {
    let p = theta0;
    let squareAvg = 0;
    let gradAvg = 0;
    let buf = 0;
    GRADS.forEach((row, s) => {
      const lr = lrs?.[s] ?? a.lr;
      let grad = a.maximize ? -row[i] : row[i];
      if (a.weight_decay !== 0) grad = grad + a.weight_decay * p;
      squareAvg = squareAvg * a.alpha + (1 - a.alpha) * grad * grad;
      let avg: number;
      if (a.centered) {
        gradAvg = gradAvg + (1 - a.alpha) * (grad - gradAvg); // lerp
        avg = Math.sqrt(squareAvg - gradAvg * gradAvg) + a.eps;
      } else {
        avg = Math.sqrt(squareAvg) + a.eps;
      }
      if (a.momentum > 0) {
        buf = buf * a.momentum + grad / avg;
        p = p - lr * buf;
      } else {
        p = p - (lr * grad) / avg;
      }
    });
    return p;
  });
}

/** TensorFlow's ApplyRMSProp / ApplyCenteredRMSProp raw ops, with ms starting at `ms0`. */
function tfRawRun(a: { lr: number; rho: number; momentum: number; epsilon: number; centered: boolean; ms0: number }, lrs?: number[]): number[] {
  return THETA0.map((theta0, i) => {
    let v = theta0;
    let ms = a.ms0;
    let mg = 0;
    let mom = 0;
    GRADS.forEach((row, s) => {
      const lr = lrs?.[s] ?? a.lr;
      const g = row[i];
      ms = ms + (g * g - ms) * (1 - a.rho);
      let den: number;
      if (a.centered) {
        mg = mg + (g - mg) * (1 - a.rho);
        den = Math.sqrt(ms - mg * mg + a.epsilon);
      } else {
        den = Math.sqrt(ms + a.epsilon);
      }
      mom = mom * a.momentum + (lr * g) / den;
      v = v - mom;
    });
    return v;
  });
}

/** Keras 3's RMSprop.update_step, with its decoupled weight decay applied first. */
function kerasRun(a: { learning_rate: number; rho: number; momentum: number; epsilon: number; centered: boolean; weight_decay: number }): number[] {
  return THETA0.map((theta0, i) => {
    let variable = theta0;
    let velocity = 0;
    let averageGrad = 0;
    let vel = 0;
    GRADS.forEach((row) => {
      const lr = a.learning_rate;
      const g = row[i];
      if (a.weight_decay > 0) variable = variable - variable * a.weight_decay * lr;
      velocity = a.rho * velocity + (1 - a.rho) * g * g;
      let denominator: number;
      if (a.centered) {
        averageGrad = a.rho * averageGrad + (1 - a.rho) * g;
        denominator = velocity - averageGrad * averageGrad + a.epsilon;
      } else {
        denominator = velocity + a.epsilon;
      }
      const increment = (lr * g) / Math.sqrt(denominator);
      if (a.momentum > 0) {
        vel = a.momentum * vel + increment;
        variable = variable - vel;
      } else {
        variable = variable - increment;
      }
    });
    return variable;
  });
}

/** optax.rmsprop = scale_by_rms/scale_by_stddev → scale_by_learning_rate → trace, per element. */
function optaxRun(a: {
  learning_rate: number;
  decay: number;
  eps: number;
  initial_scale: number;
  eps_in_sqrt: boolean;
  centered: boolean;
  momentum: number | null;
  nesterov: boolean;
  bias_correction: boolean;
}): number[] {
  return THETA0.map((theta0, i) => {
    let param = theta0;
    let nu = a.initial_scale;
    let mu = 0;
    let trace = 0;
    GRADS.forEach((row, s) => {
      const count = s + 1;
      const g = row[i];
      nu = (1 - a.decay) * g * g + a.decay * nu;
      if (a.centered) mu = (1 - a.decay) * g + a.decay * mu;
      const bc = a.bias_correction ? 1 - a.decay ** count : 1;
      const nuHat = nu / bc;
      const muHat = mu / bc;
      const inner = a.centered ? nuHat - muHat * muHat : nuHat;
      let update = a.eps_in_sqrt ? g / Math.sqrt(inner + a.eps) : g / (Math.sqrt(inner) + a.eps);
      update = -a.learning_rate * update;
      if (a.momentum !== null) {
        trace = update + a.momentum * trace;
        update = a.nesterov ? update + a.momentum * trace : trace;
      }
      param = param + update;
    });
    return param;
  });
}

describe('pytorchPreset', () => {
  it('defaults: lr 0.01, alpha 0.99, eps 1e-8 outside, η outside the buffer, coupled wd, v from 0', () => {
    expect(pytorchPreset()).toStrictEqual({
      learningRate: 0.01,
      rho: 0.99,
      epsilon: 1e-8,
      epsilonPlacement: 'outside',
      momentum: 0,
      nesterov: false,
      learningRateInMomentum: false,
      centered: false,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      initialMeanSquare: 0,
      biasCorrection: false,
    });
    expect(pytorchPreset({})).toStrictEqual(pytorchPreset());
  });

  it('maps lr, alpha, eps, weight_decay, momentum, centered, maximize', () => {
    const config = pytorchPreset({ lr: 0.1, alpha: 0.5, eps: 1e-6, weight_decay: 0.01, momentum: 0.9, centered: true, maximize: true });
    expect(config).toStrictEqual({
      learningRate: 0.1,
      rho: 0.5,
      epsilon: 1e-6,
      epsilonPlacement: 'outside',
      momentum: 0.9,
      nesterov: false,
      learningRateInMomentum: false,
      centered: true,
      weightDecay: 0.01,
      decoupledWeightDecay: false,
      maximize: true,
      initialMeanSquare: 0,
      biasCorrection: false,
    });
  });

  it('steps like torch.optim.RMSprop (momentum, centered, coupled wd, maximize; and a changing lr)', () => {
    const args = { lr: 0.05, alpha: 0.9, eps: 1e-8, weight_decay: 0.1, momentum: 0.8, centered: true, maximize: true };
    expectClose(referenceRun(pytorchPreset(args), THETA0, GRADS), torchRun(args), TOL);
    const plain = { lr: 0.01, alpha: 0.99, eps: 1e-8, weight_decay: 0, momentum: 0, centered: false, maximize: false };
    expectClose(referenceRun(pytorchPreset(), THETA0, GRADS), torchRun(plain), TOL);
    // A scheduler changes lr between steps; torch's η sits outside the buffer.
    const lrs = [0.1, 0.05, 0.01];
    const m = { ...plain, momentum: 0.9 };
    expectClose(referenceRun(pytorchPreset({ momentum: 0.9 }), THETA0, GRADS, lrs), torchRun(m, lrs), TOL);
  });

  it('rejects bad values under the spec field they map to', () => {
    const error = catchError(() => pytorchPreset({ alpha: 1 })) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe('rho');
    expect(error.message).toMatch(/rho = 1 is not allowed; expected a number in \[0, 1\)/);
    expect((catchError(() => pytorchPreset({ lr: -1 })) as ConfigError).field).toBe('learningRate');
  });
});

describe('kerasPreset', () => {
  it('defaults: learning_rate 0.001, rho 0.9, epsilon 1e-7 inside, η in the buffer, decoupled wd', () => {
    expect(kerasPreset()).toStrictEqual({
      learningRate: 0.001,
      rho: 0.9,
      epsilon: 1e-7,
      epsilonPlacement: 'inside',
      momentum: 0,
      nesterov: false,
      learningRateInMomentum: true,
      centered: false,
      weightDecay: 0,
      decoupledWeightDecay: true,
      maximize: false,
      initialMeanSquare: 0,
      biasCorrection: false,
    });
  });

  it('maps learning_rate, rho, momentum, epsilon, centered, weight_decay (null means none)', () => {
    const config = kerasPreset({ learning_rate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true, weight_decay: 0.004 });
    expect(config).toStrictEqual({
      learningRate: 0.01,
      rho: 0.8,
      epsilon: 1e-6,
      epsilonPlacement: 'inside',
      momentum: 0.5,
      nesterov: false,
      learningRateInMomentum: true,
      centered: true,
      weightDecay: 0.004,
      decoupledWeightDecay: true,
      maximize: false,
      initialMeanSquare: 0,
      biasCorrection: false,
    });
    expect(kerasPreset({ weight_decay: null }).weightDecay).toBe(0);
  });

  it('steps like keras.optimizers.RMSprop', () => {
    const args = { learning_rate: 0.05, rho: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true, weight_decay: 0.1 };
    expectClose(referenceRun(kerasPreset(args), THETA0, GRADS), kerasRun(args), TOL);
    const plain = { learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false, weight_decay: 0 };
    expectClose(referenceRun(kerasPreset(), THETA0, GRADS), kerasRun(plain), TOL);
  });
});

describe('tfjsPreset', () => {
  it('defaults: decay 0.9, epsilon 1e-7 (null too) inside, η in the buffer', () => {
    const expected = {
      learningRate: 0.01,
      rho: 0.9,
      epsilon: 1e-7,
      epsilonPlacement: 'inside',
      momentum: 0,
      nesterov: false,
      learningRateInMomentum: true,
      centered: false,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      initialMeanSquare: 0,
      biasCorrection: false,
    };
    expect(tfjsPreset({ learningRate: 0.01 })).toStrictEqual(expected);
    expect(tfjsPreset({ learningRate: 0.01, epsilon: null })).toStrictEqual(expected);
  });

  it('maps learningRate, decay, momentum, epsilon, centered', () => {
    const config = tfjsPreset({ learningRate: 0.1, decay: 0.95, momentum: 0.9, epsilon: 1e-4, centered: true });
    expect(config).toMatchObject({ learningRate: 0.1, rho: 0.95, momentum: 0.9, epsilon: 1e-4, centered: true, epsilonPlacement: 'inside', learningRateInMomentum: true });
  });

  it('steps like TF raw ops (tfjs non-centered is the same update)', () => {
    const args = { lr: 0.05, rho: 0.9, momentum: 0.7, epsilon: 1e-7, centered: false, ms0: 0 };
    expectClose(referenceRun(tfjsPreset({ learningRate: 0.05, momentum: 0.7 }), THETA0, GRADS), tfRawRun(args), TOL);
  });

  it('centered mode adds ε (the spec), so a zero gradient stays finite where tfjs-core 4.22 gives NaN', () => {
    // anchors.md: rmsprop(0.01, 0.9, 0, 1e-7, true), gradient [0, 0.5] on [1, 2] → tfjs gives [NaN, 1.9667].
    const config = tfjsPreset({ learningRate: 0.01, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: true });
    const out = referenceRun(config, [1, 2], [[0, 0.5]]);
    expect(out[0]).toBe(1);
    // Element 2: ms = 0.1·0.25 = 0.025, mg = 0.05, ms − mg² = 0.0225, den = √(0.0225 + 1e-7) ≈ 0.15,
    // θ = 2 − 0.01·0.5/0.15 = 1.96667 (tfjs's value there is the same to 4 decimals).
    expect(out[1]).toBeCloseTo(2 - 0.005 / Math.sqrt(0.0225 + 1e-7), 12);
    expect(out[1]).toBeCloseTo(1.9667, 4);
  });

  it('requires learningRate', () => {
    for (const args of [{}, undefined]) {
      const error = catchError(() => tfjsPreset(args as never)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toBeInstanceOf(RMSPropError);
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.field).toBe('learningRate');
      expect(error.message).toBe(
        'tfjs preset: learningRate = undefined is not allowed; expected a number (tfjs has no default for learningRate)',
      );
    }
  });
});

describe('tf1Preset', () => {
  it('defaults: decay 0.9, epsilon 1e-10 inside, η in the buffer, v starts at 1', () => {
    expect(tf1Preset({ learning_rate: 0.1 })).toStrictEqual({
      learningRate: 0.1,
      rho: 0.9,
      epsilon: 1e-10,
      epsilonPlacement: 'inside',
      momentum: 0,
      nesterov: false,
      learningRateInMomentum: true,
      centered: false,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      initialMeanSquare: 1,
      biasCorrection: false,
    });
  });

  it('maps learning_rate, decay, momentum, epsilon, centered', () => {
    expect(tf1Preset({ learning_rate: 0.2, decay: 0.5, momentum: 0.3, epsilon: 1e-6, centered: true })).toMatchObject({
      learningRate: 0.2,
      rho: 0.5,
      momentum: 0.3,
      epsilon: 1e-6,
      centered: true,
      initialMeanSquare: 1,
    });
  });

  it('steps like tf.compat.v1.train.RMSPropOptimizer (raw ops, ms from ones), centered and not', () => {
    for (const centered of [false, true]) {
      const args = { lr: 0.05, rho: 0.9, momentum: 0.5, epsilon: 1e-10, centered, ms0: 1 };
      const config = tf1Preset({ learning_rate: 0.05, momentum: 0.5, centered });
      expectClose(referenceRun(config, THETA0, GRADS), tfRawRun(args), TOL);
    }
    // η in the buffer under a changing learning rate, as TF does.
    const lrs = [0.1, 0.05, 0.01];
    const args = { lr: 0.1, rho: 0.9, momentum: 0.9, epsilon: 1e-10, centered: false, ms0: 1 };
    expectClose(referenceRun(tf1Preset({ learning_rate: 0.1, momentum: 0.9 }), THETA0, GRADS, lrs), tfRawRun(args, lrs), TOL);
  });

  it('requires learning_rate', () => {
    for (const args of [{}, undefined]) {
      const error = catchError(() => tf1Preset(args as never)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.field).toBe('learning_rate');
      expect(error.message).toBe(
        'tf1 preset: learning_rate = undefined is not allowed; expected a number (tf1 has no default for learning_rate)',
      );
    }
  });
});

describe('optaxPreset', () => {
  it('defaults: decay 0.9, eps 1e-8 inside, initial_scale 0, no momentum, no bias correction', () => {
    expect(optaxPreset({ learning_rate: 0.1 })).toStrictEqual({
      learningRate: 0.1,
      rho: 0.9,
      epsilon: 1e-8,
      epsilonPlacement: 'inside',
      momentum: 0,
      nesterov: false,
      learningRateInMomentum: true,
      centered: false,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      initialMeanSquare: 0,
      biasCorrection: false,
    });
  });

  it('maps decay, eps, initial_scale, eps_in_sqrt, centered, momentum, nesterov, bias_correction', () => {
    const config = optaxPreset({
      learning_rate: 0.3,
      decay: 0.8,
      eps: 1e-6,
      initial_scale: 0.5,
      eps_in_sqrt: false,
      centered: true,
      momentum: 0.9,
      nesterov: true,
      bias_correction: true,
    });
    expect(config).toStrictEqual({
      learningRate: 0.3,
      rho: 0.8,
      epsilon: 1e-6,
      epsilonPlacement: 'outside',
      momentum: 0.9,
      nesterov: true,
      learningRateInMomentum: true,
      centered: true,
      weightDecay: 0,
      decoupledWeightDecay: false,
      maximize: false,
      initialMeanSquare: 0.5,
      biasCorrection: true,
    });
    expect(optaxPreset({ learning_rate: 0.1, eps_in_sqrt: true }).epsilonPlacement).toBe('inside');
    expect(optaxPreset({ learning_rate: 0.1, eps_in_sqrt: false }).epsilonPlacement).toBe('outside');
  });

  it('ignores nesterov without momentum (None, absent or 0), as optax does', () => {
    for (const momentum of [null, undefined, 0]) {
      const config = optaxPreset({ learning_rate: 0.1, momentum, nesterov: true });
      expect(config.nesterov).toBe(false);
      expect(config.momentum).toBe(0);
    }
  });

  it('steps like optax.rmsprop (all switches, and with eps outside)', () => {
    const all = {
      learning_rate: 0.05,
      decay: 0.9,
      eps: 1e-8,
      initial_scale: 0.1,
      eps_in_sqrt: true,
      centered: true,
      momentum: 0.5,
      nesterov: true,
      bias_correction: true,
    };
    expectClose(referenceRun(optaxPreset(all), THETA0, GRADS), optaxRun(all), TOL);
    const outside = { ...all, eps_in_sqrt: false, centered: false, nesterov: false, initial_scale: 0 };
    expectClose(referenceRun(optaxPreset(outside), THETA0, GRADS), optaxRun(outside), TOL);
    const noTrace = { ...all, momentum: null, nesterov: true };
    expectClose(referenceRun(optaxPreset(noTrace), THETA0, GRADS), optaxRun({ ...noTrace, nesterov: false }), TOL);
  });

  it('requires learning_rate', () => {
    for (const args of [{}, undefined]) {
      const error = catchError(() => optaxPreset(args as never)) as ConfigError;
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.field).toBe('learning_rate');
      expect(error.message).toMatch(/^optax preset: learning_rate = undefined is not allowed; expected a number \(optax has no default for learning_rate\)$/);
    }
  });
});

describe('all presets', () => {
  const made: [string, Readonly<RMSPropConfig>][] = [
    ['pytorch', pytorchPreset()],
    ['keras', kerasPreset()],
    ['tfjs', tfjsPreset({ learningRate: 0.01 })],
    ['tf1', tf1Preset({ learning_rate: 0.01 })],
    ['optax', optaxPreset({ learning_rate: 0.01 })],
  ];

  it('return complete, frozen configs', () => {
    for (const [name, config] of made) {
      expect(Object.keys(config).sort(), name).toEqual([...CONFIG_FIELDS].sort());
      expect(Object.isFrozen(config), name).toBe(true);
      expect(() => {
        (config as RMSPropConfig).learningRate = 1;
      }, name).toThrow(TypeError);
    }
  });

  it('are listed by name in a frozen `presets` object', () => {
    expect(Object.keys(presets).sort()).toEqual(['keras', 'optax', 'pytorch', 'tf1', 'tfjs']);
    expect(presets.pytorch).toBe(pytorchPreset);
    expect(presets.keras).toBe(kerasPreset);
    expect(presets.tfjs).toBe(tfjsPreset);
    expect(presets.tf1).toBe(tf1Preset);
    expect(presets.optax).toBe(optaxPreset);
    expect(Object.isFrozen(presets)).toBe(true);
  });

  it('return a new object each call (no shared mutable state)', () => {
    expect(pytorchPreset()).not.toBe(pytorchPreset());
    expect(pytorchPreset({ lr: 0.5 }).learningRate).toBe(0.5);
    expect(pytorchPreset().learningRate).toBe(0.01);
  });

  // Each framework's arguments and their types, as its Python/JS signature has them (None → null).
  const KINDS: Record<string, [(args: never) => unknown, Record<string, 'number' | 'required' | 'nullable' | 'boolean'>]> = {
    pytorch: [pytorchPreset, { lr: 'number', alpha: 'number', eps: 'number', weight_decay: 'number', momentum: 'number', centered: 'boolean', maximize: 'boolean' }],
    keras: [kerasPreset, { learning_rate: 'number', rho: 'number', momentum: 'number', epsilon: 'number', centered: 'boolean', weight_decay: 'nullable' }],
    tfjs: [tfjsPreset, { learningRate: 'required', decay: 'number', momentum: 'number', epsilon: 'nullable', centered: 'boolean' }],
    tf1: [tf1Preset, { learning_rate: 'required', decay: 'number', momentum: 'number', epsilon: 'number', centered: 'boolean' }],
    optax: [
      optaxPreset,
      { learning_rate: 'required', decay: 'number', eps: 'number', initial_scale: 'number', eps_in_sqrt: 'boolean', centered: 'boolean', momentum: 'nullable', nesterov: 'boolean', bias_correction: 'boolean' },
    ],
  };
  const REQUIRED: Record<string, Record<string, number>> = { pytorch: {}, keras: {}, tfjs: { learningRate: 0.1 }, tf1: { learning_rate: 0.1 }, optax: { learning_rate: 0.1 } };

  it("type-check every argument, naming it: optaxPreset({ eps_in_sqrt: 'false' }) is not taken as true", () => {
    const error = catchError(() => optaxPreset({ learning_rate: 0.1, eps_in_sqrt: 'false' as never }), "eps_in_sqrt: 'false' was accepted") as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.field).toBe('eps_in_sqrt');
    expect(error.message).toBe('optax preset: eps_in_sqrt = "false" is not allowed; expected true or false');
  });

  it('type-check every argument of every preset: booleans are booleans, numbers numbers, null only where the framework takes None', () => {
    let tried = 0;
    for (const [preset, [make, kinds]] of Object.entries(KINDS)) {
      for (const [arg, kind] of Object.entries(kinds)) {
        const bad: unknown[] = kind === 'boolean' ? ['false', 'true', 0, 1, null, [], {}] : ['0.1', true, 1n, [0.1], {}, ...(kind === 'nullable' ? [] : [null])];
        const allowed = {
          boolean: 'true or false',
          number: 'a number',
          nullable: 'a number or null (None)',
          required: `a number (${preset} has no default for ${arg})`,
        }[kind];
        for (const value of bad) {
          const error = catchError(() => make({ ...REQUIRED[preset], [arg]: value } as never), `${preset}: ${arg} = ${String(value)} was accepted`) as ConfigError;
          expect(error, `${preset} ${arg}`).toBeInstanceOf(ConfigError);
          expect(error.field, `${preset} ${arg}`).toBe(arg);
          expect(error.value).toBe(value);
          expect(error.message, `${preset} ${arg}`).toMatch(new RegExp(`^${preset} preset: ${arg} = .+ is not allowed; expected ${allowed.replace(/[()]/g, '\\$&')}$`));
          tried++;
        }
        // The good kinds are accepted (range checks aside).
        const good: unknown[] = kind === 'boolean' ? [true, false] : kind === 'nullable' ? [0.01, null] : [arg === 'alpha' || arg === 'rho' || arg === 'decay' ? 0.5 : 0.01];
        for (const value of good) expect(() => make({ ...REQUIRED[preset], [arg]: value } as never), `${preset} ${arg} = ${String(value)}`).not.toThrow();
      }
    }
    expect(tried).toBeGreaterThan(100);
  });

  // BUG (reported): presets silently ignore argument names they do not know, so the common slip of
  // passing another framework's name (Keras' `learning_rate` to the PyTorch preset, PyTorch's `lr` to
  // the Keras one) trains with the default learning rate. The spec rejects unknown config fields for this
  // very reason ("a misspelt learning_rate must not be silently ignored"); presets should too.
  it('reject argument names the framework does not have', () => {
    const cases: [string, () => unknown, string][] = [
      ['pytorch', () => pytorchPreset({ learning_rate: 0.1 } as never), 'learning_rate'],
      ['keras', () => kerasPreset({ lr: 0.1 } as never), 'lr'],
      ['tfjs', () => tfjsPreset({ learningRate: 0.1, rho: 0.5 } as never), 'rho'],
      ['tf1', () => tf1Preset({ learning_rate: 0.1, lr: 0.2 } as never), 'lr'],
      ['optax', () => optaxPreset({ learning_rate: 0.1, epsilon: 1e-3 } as never), 'epsilon'],
    ];
    for (const [preset, fn, field] of cases) {
      const error = catchError(fn, `${preset}Preset silently ignored the unknown argument ${field}`) as ConfigError;
      expect(error, preset).toBeInstanceOf(ConfigError);
      expect(error.field, preset).toBe(field);
      expect(error.message, preset).toMatch(new RegExp(`^${preset} preset: ${field} = \\S+ is not allowed; expected `));
    }
  });
});
