import { ConfigError } from './errors.js';
import type { RMSPropConfig } from './rmsprop-config.js';
import { resolveConfig } from './validate-config.js';

/*
 * Presets map each framework's own argument names and defaults onto the spec, so that a config written
 * for that framework means exactly what it means there. Sources: ../shared/notes/anchors.md, from each
 * framework's code. A preset returns a complete, validated, frozen config.
 */

/** torch.optim.RMSprop(params, lr, alpha, eps, weight_decay, momentum, centered, maximize). */
export interface PyTorchRMSpropArgs {
  lr?: number;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/** keras.optimizers.RMSprop (Keras 3, tf.keras ≥ 2.11). `weight_decay: null` means none. */
export interface KerasRMSpropArgs {
  learning_rate?: number;
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
  weight_decay?: number | null;
}

/** tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered) in TensorFlow.js. */
export interface TfjsRMSPropArgs {
  learningRate: number;
  decay?: number;
  momentum?: number;
  /** tfjs's null means the backend's epsilon; for float32 backends that is 1e-7, used here. */
  epsilon?: number | null;
  centered?: boolean;
}

/** tf.compat.v1.train.RMSPropOptimizer(learning_rate, decay, momentum, epsilon, centered). */
export interface Tf1RMSPropArgs {
  learning_rate: number;
  decay?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

/** optax.rmsprop(learning_rate, decay, eps, initial_scale, eps_in_sqrt, centered, momentum, nesterov, bias_correction). */
export interface OptaxRMSpropArgs {
  learning_rate: number;
  decay?: number;
  eps?: number;
  initial_scale?: number;
  eps_in_sqrt?: boolean;
  centered?: boolean;
  /** optax's None (no trace) is `null` or absent. */
  momentum?: number | null;
  nesterov?: boolean;
  bias_correction?: boolean;
}

/**
 * The type of a preset argument: a number, a number the framework has no default for, a number or null
 * (the framework's None), or a boolean. Ranges are checked afterwards, under the spec field it maps to.
 */
type ArgKind = 'number' | 'required' | 'nullable' | 'boolean';

function allowedFor(kind: ArgKind, preset: string, arg: string): string {
  switch (kind) {
    case 'boolean':
      return 'true or false';
    case 'number':
      return 'a number';
    case 'nullable':
      return 'a number or null (None)';
    case 'required':
      return `a number (${preset} has no default for ${arg})`;
  }
}

/**
 * `args` is undefined or an object of `kinds`' arguments only, each absent (undefined) or of its kind; a
 * required one must be present. Throws a {@link ConfigError} naming the first bad argument by the
 * framework's name: `eps_in_sqrt: 'false'` must not be taken as true, nor `lr: null` as the default.
 */
function checkArgs(preset: string, args: unknown, kinds: Readonly<Record<string, ArgKind>>): void {
  const where = `${preset} preset`;
  const known = Object.keys(kinds);
  if (args !== undefined) {
    if (args === null || typeof args !== 'object' || Array.isArray(args)) {
      throw new ConfigError('args', args, `an object of ${preset} arguments`, where);
    }
    for (const [key, value] of Object.entries(args)) {
      if (!Object.prototype.hasOwnProperty.call(kinds, key)) {
        throw new ConfigError(key, value, `one of the ${preset} arguments ${known.join(', ')}`, where);
      }
    }
  }
  const given = (args ?? {}) as Record<string, unknown>;
  for (const arg of known) {
    const kind = kinds[arg];
    const value = given[arg];
    if (value === undefined && kind !== 'required') continue;
    const ok = kind === 'boolean' ? typeof value === 'boolean' : typeof value === 'number' || (kind === 'nullable' && value === null);
    if (!ok) throw new ConfigError(arg, value, allowedFor(kind, preset, arg), where);
  }
}

/**
 * PyTorch: lr 0.01, alpha 0.99, eps 1e-8 outside the square root, η applied after the momentum buffer,
 * coupled (L2) weight decay, v from 0.
 */
export function pytorchPreset(args: PyTorchRMSpropArgs = {}): Readonly<RMSPropConfig> {
  checkArgs('pytorch', args, { lr: 'number', alpha: 'number', eps: 'number', weight_decay: 'number', momentum: 'number', centered: 'boolean', maximize: 'boolean' });
  return resolveConfig({
    learningRate: args.lr ?? 0.01,
    rho: args.alpha ?? 0.99,
    epsilon: args.eps ?? 1e-8,
    epsilonPlacement: 'outside',
    momentum: args.momentum ?? 0,
    learningRateInMomentum: false,
    centered: args.centered ?? false,
    weightDecay: args.weight_decay ?? 0,
    decoupledWeightDecay: false,
    maximize: args.maximize ?? false,
    initialMeanSquare: 0,
  });
}

/**
 * Keras 3: learning_rate 0.001, rho 0.9, epsilon 1e-7 inside the square root, η inside the momentum
 * buffer, decoupled weight decay θ ← θ − η·wd·θ applied before the update.
 */
export function kerasPreset(args: KerasRMSpropArgs = {}): Readonly<RMSPropConfig> {
  checkArgs('keras', args, { learning_rate: 'number', rho: 'number', momentum: 'number', epsilon: 'number', centered: 'boolean', weight_decay: 'nullable' });
  return resolveConfig({
    learningRate: args.learning_rate ?? 0.001,
    rho: args.rho ?? 0.9,
    epsilon: args.epsilon ?? 1e-7,
    epsilonPlacement: 'inside',
    momentum: args.momentum ?? 0,
    learningRateInMomentum: true,
    centered: args.centered ?? false,
    weightDecay: args.weight_decay ?? 0,
    decoupledWeightDecay: true,
    initialMeanSquare: 0,
  });
}

/**
 * TensorFlow.js: decay 0.9, epsilon 1e-7 inside the square root, η inside the momentum buffer. Centered
 * mode follows the spec (ε added), not tfjs-core 4.22's sign error (ε subtracted, NaN on zero gradients).
 */
export function tfjsPreset(args: TfjsRMSPropArgs): Readonly<RMSPropConfig> {
  checkArgs('tfjs', args, { learningRate: 'required', decay: 'number', momentum: 'number', epsilon: 'nullable', centered: 'boolean' });
  return resolveConfig({
    learningRate: args.learningRate,
    rho: args.decay ?? 0.9,
    epsilon: args.epsilon ?? 1e-7,
    epsilonPlacement: 'inside',
    momentum: args.momentum ?? 0,
    learningRateInMomentum: true,
    centered: args.centered ?? false,
  });
}

/**
 * TensorFlow 1 (tf.compat.v1.train.RMSPropOptimizer): decay 0.9, epsilon 1e-10 inside the square root,
 * η inside the momentum buffer, and the mean square starting at 1, not 0.
 */
export function tf1Preset(args: Tf1RMSPropArgs): Readonly<RMSPropConfig> {
  checkArgs('tf1', args, { learning_rate: 'required', decay: 'number', momentum: 'number', epsilon: 'number', centered: 'boolean' });
  return resolveConfig({
    learningRate: args.learning_rate,
    rho: args.decay ?? 0.9,
    epsilon: args.epsilon ?? 1e-10,
    epsilonPlacement: 'inside',
    momentum: args.momentum ?? 0,
    learningRateInMomentum: true,
    centered: args.centered ?? false,
    initialMeanSquare: 1,
  });
}

/**
 * optax: decay 0.9, eps 1e-8 inside the square root (eps_in_sqrt true), v from initial_scale, η inside
 * the trace, optional nesterov and bias correction. optax ignores nesterov when momentum is None; so
 * does this preset.
 */
export function optaxPreset(args: OptaxRMSpropArgs): Readonly<RMSPropConfig> {
  checkArgs('optax', args, {
    learning_rate: 'required',
    decay: 'number',
    eps: 'number',
    initial_scale: 'number',
    eps_in_sqrt: 'boolean',
    centered: 'boolean',
    momentum: 'nullable',
    nesterov: 'boolean',
    bias_correction: 'boolean',
  });
  const momentum = args.momentum ?? 0;
  return resolveConfig({
    learningRate: args.learning_rate,
    rho: args.decay ?? 0.9,
    epsilon: args.eps ?? 1e-8,
    epsilonPlacement: (args.eps_in_sqrt ?? true) ? 'inside' : 'outside',
    initialMeanSquare: args.initial_scale ?? 0,
    centered: args.centered ?? false,
    momentum,
    nesterov: momentum > 0 && (args.nesterov ?? false),
    learningRateInMomentum: true,
    biasCorrection: args.bias_correction ?? false,
  });
}

/** The presets by name, for UIs and CLIs. */
export const presets = Object.freeze({
  pytorch: pytorchPreset,
  keras: kerasPreset,
  tfjs: tfjsPreset,
  tf1: tf1Preset,
  optax: optaxPreset,
});

export type PresetName = keyof typeof presets;
