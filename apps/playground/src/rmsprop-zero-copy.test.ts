import { createCpuBackend } from '@rmsprop/backend-cpu';
import type { BackendSlot, RMSPropBackend } from '@rmsprop/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lossSurface } from './loss-surface.js';
import { NetworkTrainer } from './network-trainer.js';
import { RMSPropPoint } from './rmsprop-point.js';
import { rmspropConfig, type RMSPropSettings } from './rmsprop-settings.js';
import { runRace } from './run-race.js';
import { PARAM_NAMES } from './tiny-mlp.js';
import { twoSpirals } from './two-spirals.js';

const settings: RMSPropSettings = { preset: 'spec', learningRate: 0.01, rho: 0.9, epsilon: 1e-8, momentum: 0.5, centered: true };

/** The bits of each float64, so that equality means bit-identical. */
const bits = (values: ArrayLike<number>): bigint[] => Array.from(new BigUint64Array(Float64Array.from(values).buffer));

/**
 * `inner` as a backend that keeps parameters off the host, as tfjs and gpu.js do: no host views and no
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

describe('RMSProp in the playground: zero copy where the backend offers it, explicit gradients elsewhere', () => {
  let wasm: RMSPropBackend;
  let js: RMSPropBackend;
  beforeAll(async () => {
    wasm = await createCpuBackend();
    js = await createCpuBackend({ kernel: 'js' });
  });
  afterAll(() => {
    wasm.dispose();
    js.dispose();
  });

  it('on the CPU backend a point steps with step() and no gradients, from its gradient buffer', () => {
    const point = new RMSPropPoint(wasm, rmspropConfig(settings), [1, -2]);
    const step = vi.spyOn(point.optimizer, 'step');
    const position = Float64Array.from([1, -2]);
    point.step(position, Float64Array.from([0.5, -3]));
    expect(step).toHaveBeenCalledWith();
    expect(Array.from(point.optimizer.gradientBuffer('p')!)).toEqual([0.5, -3]);
    expect(Array.from(position)).toEqual(Array.from(point.optimizer.parameter('p')));
    point.dispose();
  });

  it('a race on a backend without gradient buffers or host views runs the same path as on its inner backend, bit for bit', () => {
    const s = lossSurface('rosenbrock');
    const [passed] = runRace(s, settings, offHost(js), s.start, 200, ['rmsprop']);
    const [jsDirect] = runRace(s, settings, js, s.start, 200, ['rmsprop']);
    expect(passed!.length).toBe(jsDirect!.length);
    expect(bits(passed!.x)).toEqual(bits(jsDirect!.x));
    expect(bits(passed!.y)).toEqual(bits(jsDirect!.y));
    expect(bits(passed!.second!)).toEqual(bits(jsDirect!.second!));
  });

  it('the network trains the same on a backend without gradient buffers, bit for bit', () => {
    const data = twoSpirals(20);
    const own = new NetworkTrainer('rmsprop', settings, js, data, 2);
    const passed = new NetworkTrainer('rmsprop', settings, offHost(js), data, 2);
    for (let t = 0; t < 50; t++) expect(passed.step(), `step ${t + 1}`).toBe(own.step());
    for (const name of PARAM_NAMES) expect(bits(passed.params[name]), name).toEqual(bits(own.params[name]));
    own.dispose();
    passed.dispose();
  });
});
