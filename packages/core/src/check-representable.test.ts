import { describe, expect, it } from 'vitest';
import { checkRepresentable } from './check-representable.js';
import { ConfigError } from './errors.js';
import { resolveConfig } from './validate-config.js';

const hyper = (fields: Parameters<typeof resolveConfig>[0], learningRate?: number) => {
  const config = resolveConfig(fields);
  return { config, learningRate: learningRate ?? config.learningRate, step: 1 };
};

describe('checkRepresentable: the step constants in the slot dtype', () => {
  it('refuses, for float32, an ε that rounds to 0 and η, wd or η·wd that round to ∞, naming field, value and range', () => {
    const cases: [Parameters<typeof resolveConfig>[0], string, RegExp][] = [
      [{ epsilon: 1e-46 }, 'epsilon', /epsilon = 1e-46 is not allowed; expected a value float32 holds as a number > 0 \(≥ 1\.4\d*e-45\)/],
      [{ learningRate: 1e39 }, 'learningRate', /learningRate = 1e\+39 is not allowed; expected a value float32 holds as a finite number \(≤ 3\.40\d*e\+38\)/],
      [{ weightDecay: Number.MAX_VALUE }, 'weightDecay', /weightDecay = 1\.79\d*e\+308 is not allowed/],
      [{ learningRate: 1e20, weightDecay: 1e20, decoupledWeightDecay: true }, 'learningRate × weightDecay', /learningRate × weightDecay = 1e\+40 is not allowed.*η = 100000000000000000000, wd = 100000000000000000000/],
    ];
    for (const [fields, field, message] of cases) {
      let error: unknown;
      try {
        checkRepresentable(hyper(fields), 'float32', 'updates[0] (slot "w")');
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).field).toBe(field);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/^updates\[0\] \(slot "w"\): /);
      // float64 represents each of them except the overflowing product.
      if (field !== 'learningRate × weightDecay') expect(() => checkRepresentable(hyper(fields), 'float64', 'w')).not.toThrow();
    }
  });

  it('refuses, for float64, only a decoupled η·wd that overflows; the edges that round inside the range pass', () => {
    expect(() => checkRepresentable(hyper({ learningRate: 1e200, weightDecay: 1e200, decoupledWeightDecay: true }), 'float64', 'w')).toThrow(ConfigError);
    // Coupled decay never forms η·wd.
    expect(() => checkRepresentable(hyper({ learningRate: 1e200, weightDecay: 1e200 }), 'float64', 'w')).not.toThrow();
    expect(() => checkRepresentable(hyper({ epsilon: Number.MIN_VALUE }), 'float64', 'w')).not.toThrow();
    // float32's own edges: the smallest subnormal, a value just under half of it (rounds up to it), the largest finite.
    expect(() => checkRepresentable(hyper({ epsilon: 1.401298464324817e-45 }), 'float32', 'w')).not.toThrow();
    expect(() => checkRepresentable(hyper({ epsilon: 0.71e-45 }), 'float32', 'w')).not.toThrow();
    expect(() => checkRepresentable(hyper({ learningRate: 3.4028234663852886e38 }), 'float32', 'w')).not.toThrow();
    expect(() => checkRepresentable(hyper({ epsilon: 0.7e-45 }), 'float32', 'w')).toThrow(ConfigError);
    // A schedule's η is what is checked, not the config's.
    expect(() => checkRepresentable(hyper({}, 1e39), 'float32', 'w')).toThrow(/learningRate = 1e\+39/);
  });
});

describe('checkRepresentable where the arithmetic flushes subnormals (GPU shaders)', () => {
  it('requires ε to be a normal number of the dtype, naming the smallest one', () => {
    const h = hyper({ epsilon: 1e-40 });
    expect(() => checkRepresentable(h, 'float32', 'w')).not.toThrow();
    expect(() => checkRepresentable(h, 'float32', 'w', true)).toThrow(/epsilon = 1e-40 is not allowed; expected a value ≥ 1\.1754943508222875e-38, the smallest normal float32/);
    expect(() => checkRepresentable(hyper({ epsilon: 1.1754943508222875e-38 }), 'float32', 'w', true)).not.toThrow();
    expect(() => checkRepresentable(hyper({ epsilon: 1e-8 }), 'float32', 'w', true)).not.toThrow();
  });
});
