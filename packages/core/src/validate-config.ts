import { ConfigError } from './errors.js';
import { CONFIG_FIELDS, DEFAULT_CONFIG, type RMSPropConfig } from './rmsprop-config.js';

const NUMBER_RULES: Record<string, { check: (x: number) => boolean; allowed: string }> = {
  learningRate: { check: (x) => Number.isFinite(x) && x >= 0, allowed: 'a finite number ≥ 0' },
  rho: { check: (x) => x >= 0 && x < 1, allowed: 'a number in [0, 1)' },
  epsilon: { check: (x) => Number.isFinite(x) && x > 0, allowed: 'a finite number > 0' },
  momentum: { check: (x) => x >= 0 && x < 1, allowed: 'a number in [0, 1)' },
  weightDecay: { check: (x) => Number.isFinite(x) && x >= 0, allowed: 'a finite number ≥ 0' },
  initialMeanSquare: { check: (x) => Number.isFinite(x) && x >= 0, allowed: 'a finite number ≥ 0' },
};

const BOOLEAN_FIELDS = new Set<string>([
  'nesterov',
  'learningRateInMomentum',
  'centered',
  'decoupledWeightDecay',
  'maximize',
  'biasCorrection',
]);

const KNOWN_FIELDS = new Set<string>(CONFIG_FIELDS);

/**
 * Check a partial config against the spec's ranges. Throws {@link ConfigError} naming the first bad field,
 * its value and what is allowed. Unknown fields are errors too (a misspelt `learning_rate` must not be
 * silently ignored).
 */
export function validateConfig(config: Partial<RMSPropConfig>, where = 'RMSProp config'): void {
  validateFields(config, where);
  const momentum = config.momentum ?? DEFAULT_CONFIG.momentum;
  if (config.nesterov === true && !(momentum > 0)) {
    throw new ConfigError('nesterov', true, `nesterov only with momentum > 0 (momentum = ${momentum})`, where);
  }
}

function validateFields(config: Partial<RMSPropConfig>, where: string): void {
  if (config === null || typeof config !== 'object') {
    throw new ConfigError('config', config, 'an object of RMSProp config fields', where);
  }
  for (const key of Object.keys(config)) {
    const value = (config as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!KNOWN_FIELDS.has(key)) {
      throw new ConfigError(key, value, `one of the fields ${CONFIG_FIELDS.join(', ')}`, where);
    }
    const rule = NUMBER_RULES[key];
    if (rule !== undefined) {
      if (typeof value !== 'number' || !rule.check(value)) throw new ConfigError(key, value, rule.allowed, where);
    } else if (BOOLEAN_FIELDS.has(key)) {
      if (typeof value !== 'boolean') throw new ConfigError(key, value, 'true or false', where);
    } else if (key === 'epsilonPlacement') {
      if (value !== 'outside' && value !== 'inside') throw new ConfigError(key, value, "'outside' or 'inside'", where);
    }
  }
}

/**
 * Fill in the spec defaults, then apply each layer in order (later layers win) and validate. Each layer's
 * fields are checked on their own; rules that combine fields (nesterov needs momentum) are checked on the
 * result. The result is frozen.
 */
export function resolveConfig(...layers: (Partial<RMSPropConfig> | undefined)[]): Readonly<RMSPropConfig> {
  const merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  for (const layer of layers) {
    if (layer === undefined) continue;
    validateFields(layer, 'RMSProp config');
    for (const key of Object.keys(layer)) {
      const value = (layer as Record<string, unknown>)[key];
      if (value !== undefined) merged[key] = value;
    }
  }
  const config = merged as unknown as RMSPropConfig;
  validateConfig(config);
  return Object.freeze(config);
}
