import { SeededRandom } from '@rmsprop/app-kit';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { createReferenceState, DEFAULT_CONFIG, referenceStep, type RMSPropBackend } from '@rmsprop/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { preferredDtype, RMSPropAdapter } from './rmsprop-adapter.js';

/** The bits of each float64, so that equality means bit-identical (and tells +0 from −0). */
const bits = (values: ArrayLike<number>): bigint[] => Array.from(new BigUint64Array(Float64Array.from(values).buffer));

describe('RMSPropAdapter on the CPU backend', () => {
  let backend: RMSPropBackend;
  beforeAll(async () => {
    backend = await createCpuBackend();
  });
  afterAll(() => backend.dispose());

  it('trains in float64 on the CPU backend', () => {
    expect(preferredDtype(backend)).toBe('float64');
    const adapter = new RMSPropAdapter(backend, [1, 2], { learningRate: 0.01 });
    expect(adapter.dtype).toBe('float64');
    expect(adapter.params).toBeInstanceOf(Float64Array);
    expect(adapter.gradient).toBeInstanceOf(Float64Array);
    expect(adapter.name).toBe('RMSProp');
    adapter.dispose();
  });

  it('takes the same steps as the float64 reference with the spec defaults, bit for bit', () => {
    const learningRate = 0.00562;
    const initial = [0.5, -1, 2, 0, 1e-3, -7];
    const adapter = new RMSPropAdapter(backend, initial, { learningRate });
    const config = { ...DEFAULT_CONFIG, learningRate };
    const params = Float64Array.from(initial);
    const state = createReferenceState(config, params.length);
    const random = new SeededRandom(17);
    for (let step = 0; step < 50; step++) {
      // Gradients over many orders of magnitude, with a zero and sign changes.
      const g = initial.map((_, j) => (j === 3 && step % 5 === 0 ? 0 : random.normal() * Math.pow(10, j - 3)));
      adapter.gradient.set(g);
      adapter.step();
      referenceStep(config, params, g, state);
      expect(bits(adapter.params), `step ${step + 1}`).toEqual(bits(params));
    }
    // The effective rate is η/√v with the reference's v.
    const expected = Array.from(state.meanSquare, (v) => learningRate / Math.sqrt(v));
    expect(bits(adapter.effectiveLearningRates())).toEqual(bits(expected));
    // The adapter copied the initial weights.
    expect(initial).toEqual([0.5, -1, 2, 0, 1e-3, -7]);
    adapter.dispose();
  });

  it('matches the reference to float32 precision when asked for float32', () => {
    const learningRate = 0.01;
    const adapter = new RMSPropAdapter(backend, [1, -1, 0.25], { learningRate, dtype: 'float32' });
    expect(adapter.params).toBeInstanceOf(Float32Array);
    const config = { ...DEFAULT_CONFIG, learningRate };
    const params = Float64Array.from([1, -1, 0.25]);
    const state = createReferenceState(config, 3);
    for (let step = 0; step < 20; step++) {
      const g = [0.3 * (step + 1), -2, 1e-3 * (step % 3)];
      adapter.gradient.set(g);
      adapter.step();
      referenceStep(config, params, g, state);
    }
    for (let j = 0; j < 3; j++) expect(Math.abs(adapter.params[j] - params[j])).toBeLessThan(1e-5 * Math.max(1, Math.abs(params[j])));
    adapter.dispose();
  });

  it('prefers float32 on a backend without float64', () => {
    const float32Only = { capabilities: { dtypes: ['float32'] } } as unknown as RMSPropBackend;
    expect(preferredDtype(float32Only)).toBe('float32');
  });
});
