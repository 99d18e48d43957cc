import { SeededRandom } from '@rmsprop/app-kit';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { createReferenceState, DEFAULT_CONFIG, referenceStep, type BackendSlot, type RMSPropBackend } from '@rmsprop/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { preferredDtype, RMSPropAdapter } from './rmsprop-adapter.js';

/**
 * `inner` as a backend that keeps parameters off the host, as tfjs and gpu.js do: no host views, no
 * gradient buffers (`params` and `grads` null), values only through reads and writes.
 */
function offHost(inner: RMSPropBackend): RMSPropBackend {
  const innerOf = new Map<BackendSlot, BackendSlot>();
  return {
    specVersion: inner.specVersion,
    name: 'off-host',
    capabilities: { ...inner.capabilities, bufferLocation: 'gpu-texture', hostVisible: false, hostArrays: 'copied' },
    createSlot(request) {
      const slot = inner.createSlot({ ...request, adopt: false });
      const outer: BackendSlot = {
        name: slot.name,
        dtype: slot.dtype,
        length: slot.length,
        params: null,
        grads: null,
        readParams: () => slot.readParams(),
        writeParams: (values) => slot.writeParams(values),
        readState: () => slot.readState(),
        writeState: (state) => slot.writeState(state),
        dispose: () => slot.dispose(),
      };
      innerOf.set(outer, slot);
      return outer;
    },
    step(updates) {
      inner.step(updates.map((u) => ({ ...u, slot: innerOf.get(u.slot)! })));
    },
    dispose() {},
  };
}

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

  it('copies nothing per step: the live weights are the backend view and ∇L goes into its gradient buffer', () => {
    const adapter = new RMSPropAdapter(backend, [1, 2, 3], { learningRate: 0.01 });
    expect(adapter.gradient).toBe(adapter.optimizer.gradientBuffer('w'));
    const live = adapter.params;
    expect(Array.from(live)).toEqual(Array.from(adapter.optimizer.parameter('w')));
    const step = vi.spyOn(adapter.optimizer, 'step');
    adapter.gradient.set([1, -1, 0.5]);
    adapter.step();
    expect(step).toHaveBeenCalledWith();
    // The array taken before the step holds its result.
    expect(Array.from(live)).toEqual(Array.from(adapter.optimizer.readParameter('w')));
    expect(live[0]).toBeLessThan(1);
    adapter.dispose();
  });

  it('passes gradients explicitly on a backend without gradient buffers, with the same trajectory', async () => {
    const js = await createCpuBackend({ kernel: 'js' });
    const off = offHost(js);
    const initial = [0.5, -1, 2, 1e-3];
    const direct = new RMSPropAdapter(backend, initial, { learningRate: 0.01 });
    const passed = new RMSPropAdapter(off, initial, { learningRate: 0.01 });
    expect(passed.optimizer.gradientBuffer('w')).toBeNull();
    const random = new SeededRandom(5);
    for (let step = 0; step < 30; step++) {
      const g = initial.map((_, j) => random.normal() * Math.pow(10, j - 2));
      direct.gradient.set(g);
      passed.gradient.set(g);
      direct.step();
      passed.step();
      expect(bits(passed.params), `step ${step + 1}`).toEqual(bits(direct.params));
    }
    expect(bits(passed.effectiveLearningRates())).toEqual(bits(direct.effectiveLearningRates()));
    direct.dispose();
    passed.dispose();
    js.dispose();
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
