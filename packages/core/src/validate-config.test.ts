import { describe, expect, it } from 'vitest';
import { ConfigError, RMSPropError } from './errors.js';
import { CONFIG_FIELDS, DEFAULT_CONFIG, SPEC_VERSION, type RMSPropConfig } from './rmsprop-config.js';
import { resolveConfig, validateConfig } from './validate-config.js';

/** Escape a string for use inside a RegExp. */
function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Run `fn`, expect a ConfigError, check its class, code, field and value, and return it. */
function configError(fn: () => unknown, field: string): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected a ConfigError').toBeInstanceOf(ConfigError);
  const error = caught as ConfigError;
  expect(error).toBeInstanceOf(RMSPropError);
  expect(error).toBeInstanceOf(Error);
  expect(error.name).toBe('ConfigError');
  expect(error.code).toBe('INVALID_CONFIG');
  expect(error.field).toBe(field);
  return error;
}

/** The message must name the field, render the value, and state what is allowed. */
function expectMessage(error: ConfigError, field: string, shown: string, allowed: string, where = 'RMSProp config'): void {
  expect(error.message).toMatch(new RegExp(`^${re(where)}: ${re(field)} = ${re(shown)} is not allowed; expected ${re(allowed)}$`));
  expect(error.allowed).toBe(allowed);
}

describe('the spec defaults', () => {
  it('are the documented values, in the spec order, frozen', () => {
    expect(DEFAULT_CONFIG).toStrictEqual({
      learningRate: 0.001,
      rho: 0.9,
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
    expect(Object.isFrozen(DEFAULT_CONFIG)).toBe(true);
    expect([...CONFIG_FIELDS]).toEqual([
      'learningRate',
      'rho',
      'epsilon',
      'epsilonPlacement',
      'momentum',
      'nesterov',
      'learningRateInMomentum',
      'centered',
      'weightDecay',
      'decoupledWeightDecay',
      'maximize',
      'initialMeanSquare',
      'biasCorrection',
    ]);
    expect(Object.isFrozen(CONFIG_FIELDS)).toBe(true);
    expect(SPEC_VERSION).toBe('v1');
  });

  it('validate', () => {
    expect(() => validateConfig(DEFAULT_CONFIG)).not.toThrow();
    expect(() => validateConfig({})).not.toThrow();
  });
});

describe('resolveConfig', () => {
  it('with no layers returns a frozen copy of the defaults', () => {
    const config = resolveConfig();
    expect(config).toStrictEqual({ ...DEFAULT_CONFIG });
    expect(config).not.toBe(DEFAULT_CONFIG);
    expect(Object.isFrozen(config)).toBe(true);
    expect(() => {
      (config as RMSPropConfig).rho = 0.5;
    }).toThrow(TypeError);
  });

  it('applies layers in order (later wins), skips undefined layers and undefined values, leaves layers alone', () => {
    const a = { rho: 0.5, momentum: 0.9 };
    const b = { rho: 0.25, centered: true, momentum: undefined };
    const config = resolveConfig(a, undefined, b);
    expect(config.rho).toBe(0.25);
    expect(config.momentum).toBe(0.9);
    expect(config.centered).toBe(true);
    expect(config.learningRate).toBe(0.001);
    expect(a).toEqual({ rho: 0.5, momentum: 0.9 });
    expect(b).toEqual({ rho: 0.25, centered: true, momentum: undefined });
  });

  it('accepts every boundary value that is allowed', () => {
    const config = resolveConfig({
      learningRate: 0,
      rho: 0,
      epsilon: Number.MIN_VALUE,
      momentum: 0,
      weightDecay: 0,
      initialMeanSquare: 0,
    });
    expect(config.epsilon).toBe(Number.MIN_VALUE);
    const upper = resolveConfig({ rho: 1 - 2 ** -53, momentum: 1 - 2 ** -53, learningRate: Number.MAX_VALUE });
    expect(upper.rho).toBeLessThan(1);
    expect(() => resolveConfig({ epsilonPlacement: 'inside' })).not.toThrow();
    expect(() => resolveConfig({ epsilonPlacement: 'outside' })).not.toThrow();
  });

  it('checks each layer on its own: a bad value is rejected even when a later layer replaces it', () => {
    const error = configError(() => resolveConfig({ rho: 2 }, { rho: 0.5 }), 'rho');
    expectMessage(error, 'rho', '2', 'a number in [0, 1)');
  });

  it('checks combined rules on the result: nesterov is accepted when a later layer adds momentum', () => {
    const config = resolveConfig({ nesterov: true }, { momentum: 0.9 });
    expect(config.nesterov).toBe(true);
    expect(config.momentum).toBe(0.9);
    // … and rejected when a later layer takes the momentum away.
    const error = configError(() => resolveConfig({ momentum: 0.9, nesterov: true }, { momentum: 0 }), 'nesterov');
    expectMessage(error, 'nesterov', 'true', 'nesterov only with momentum > 0 (momentum = 0)');
  });

  it('rejects a layer that is not an object', () => {
    const error = configError(() => resolveConfig(null as unknown as Partial<RMSPropConfig>), 'config');
    expectMessage(error, 'config', 'null', 'an object of RMSProp config fields');
    const error2 = configError(() => resolveConfig(5 as unknown as Partial<RMSPropConfig>), 'config');
    expectMessage(error2, 'config', '5', 'an object of RMSProp config fields');
  });
});

describe('validateConfig: numeric fields', () => {
  const cases: { field: keyof RMSPropConfig; allowed: string; bad: [unknown, string][] }[] = [
    {
      field: 'learningRate',
      allowed: 'a finite number ≥ 0',
      bad: [
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        [-Infinity, '-Infinity'],
        [-1e-3, '-0.001'],
        ['0.01', '"0.01"'],
        [null, 'null'],
        [true, 'true'],
        [[0.01], 'Array(1)'],
      ],
    },
    {
      field: 'rho',
      allowed: 'a number in [0, 1)',
      bad: [
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        [-Infinity, '-Infinity'],
        [-0.1, '-0.1'],
        [1, '1'],
        [1.5, '1.5'],
        ['0.9', '"0.9"'],
        [null, 'null'],
      ],
    },
    {
      field: 'epsilon',
      allowed: 'a finite number > 0',
      bad: [
        [0, '0'],
        [-0, '-0'],
        [-1e-8, '-1e-8'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['1e-8', '"1e-8"'],
        [10n, '10'],
      ],
    },
    {
      field: 'momentum',
      allowed: 'a number in [0, 1)',
      bad: [
        [1, '1'],
        [-0.5, '-0.5'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        [false, 'false'],
      ],
    },
    {
      field: 'weightDecay',
      allowed: 'a finite number ≥ 0',
      bad: [
        [-1, '-1'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        ['0', '"0"'],
      ],
    },
    {
      field: 'initialMeanSquare',
      allowed: 'a finite number ≥ 0',
      bad: [
        [-1, '-1'],
        [NaN, 'NaN'],
        [Infinity, 'Infinity'],
        [{}, 'Object'],
      ],
    },
  ];

  for (const { field, allowed, bad } of cases) {
    for (const [value, shown] of bad) {
      it(`${field} = ${shown} is rejected with a message naming field, value and range`, () => {
        const config = { [field]: value } as Partial<RMSPropConfig>;
        const error = configError(() => validateConfig(config), field);
        expect(Object.is(error.value, value)).toBe(true);
        expectMessage(error, field, shown, allowed);
        // resolveConfig reports the same.
        expectMessage(configError(() => resolveConfig(config), field), field, shown, allowed);
      });
    }
  }

  it('rho = 1 and momentum = 1 are rejected (the averages would never move / the buffer never decay)', () => {
    expect(configError(() => resolveConfig({ rho: 1 }), 'rho').message).toBe(
      'RMSProp config: rho = 1 is not allowed; expected a number in [0, 1)',
    );
    expect(configError(() => resolveConfig({ momentum: 1 }), 'momentum').message).toBe(
      'RMSProp config: momentum = 1 is not allowed; expected a number in [0, 1)',
    );
  });

  it('epsilon = 0 is rejected', () => {
    expect(configError(() => resolveConfig({ epsilon: 0 }), 'epsilon').message).toBe(
      'RMSProp config: epsilon = 0 is not allowed; expected a finite number > 0',
    );
  });

  it('names the first bad field, in the key order of the object', () => {
    configError(() => validateConfig({ rho: 2, epsilon: 0 }), 'rho');
    configError(() => validateConfig({ epsilon: 0, rho: 2 }), 'epsilon');
  });

  it('uses the `where` prefix', () => {
    const error = configError(() => validateConfig({ rho: -1 }, 'group "head"'), 'rho');
    expectMessage(error, 'rho', '-1', 'a number in [0, 1)', 'group "head"');
  });
});

describe('validateConfig: boolean and enum fields', () => {
  const booleans = ['nesterov', 'learningRateInMomentum', 'centered', 'decoupledWeightDecay', 'maximize', 'biasCorrection'] as const;
  for (const field of booleans) {
    it(`${field} must be a boolean`, () => {
      for (const [value, shown] of [
        ['true', '"true"'],
        [1, '1'],
        [null, 'null'],
      ] as const) {
        const error = configError(() => validateConfig({ [field]: value } as Partial<RMSPropConfig>), field);
        expectMessage(error, field, shown, 'true or false');
      }
      expect(() => validateConfig({ [field]: false })).not.toThrow();
    });
  }

  it("epsilonPlacement must be 'outside' or 'inside'", () => {
    for (const [value, shown] of [
      ['Inside', '"Inside"'],
      ['sqrt', '"sqrt"'],
      [1, '1'],
      [null, 'null'],
    ] as const) {
      const error = configError(() => validateConfig({ epsilonPlacement: value } as unknown as Partial<RMSPropConfig>), 'epsilonPlacement');
      expectMessage(error, 'epsilonPlacement', shown, "'outside' or 'inside'");
    }
  });
});

describe('validateConfig: unknown fields and nesterov', () => {
  it('rejects an unknown field such as learning_rate, listing the known fields', () => {
    const error = configError(() => validateConfig({ learning_rate: 0.1 } as unknown as Partial<RMSPropConfig>), 'learning_rate');
    expectMessage(error, 'learning_rate', '0.1', `one of the fields ${CONFIG_FIELDS.join(', ')}`);
    expect(error.message).toContain('learningRate');
    configError(() => resolveConfig({ lr: 0.1 } as unknown as Partial<RMSPropConfig>), 'lr');
    configError(() => resolveConfig({ eps: 1e-8 } as unknown as Partial<RMSPropConfig>), 'eps');
  });

  it('rejects nesterov without momentum > 0', () => {
    const error = configError(() => validateConfig({ nesterov: true }), 'nesterov');
    expectMessage(error, 'nesterov', 'true', 'nesterov only with momentum > 0 (momentum = 0)');
    const error2 = configError(() => resolveConfig({ nesterov: true, momentum: 0 }), 'nesterov');
    expect(error2.message).toMatch(/nesterov = true .*momentum > 0 \(momentum = 0\)/);
  });

  it('accepts nesterov with momentum > 0, and nesterov false without momentum', () => {
    expect(() => validateConfig({ nesterov: true, momentum: 0.9 })).not.toThrow();
    expect(() => validateConfig({ nesterov: false })).not.toThrow();
  });

  it('reports a bad momentum before the nesterov rule', () => {
    configError(() => validateConfig({ nesterov: true, momentum: 1 }), 'momentum');
  });
});
