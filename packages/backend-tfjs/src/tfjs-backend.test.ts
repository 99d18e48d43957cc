import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { CONFORMANCE_BACKENDS, scaledUlpDistance } from '@rmsprop/conformance';
import {
  ArgumentError,
  BackendRegistry,
  BackendUnavailableError,
  DisposedError,
  RMSPropOptimizer,
  ShapeError,
  tfjsPreset,
  type RMSPropConfig,
  type SlotUpdate,
} from '@rmsprop/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTfjsBackend, TfjsBackend } from './tfjs-backend.js';
import type { TfjsSlot } from './tfjs-slot.js';

/** The tfjs-cpu row's float32 tolerance in ulps of the trajectory scale (measured; see backend-table.ts). */
const ULPS = CONFORMANCE_BACKENDS.find((b) => b.name === 'tfjs-cpu')!.tolerance.float32!.ulps!;

/** A deterministic gradient sequence: element i at step t. */
function gradient(n: number, t: number, salt = 0): Float32Array {
  const g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = Math.sin(1.3 * i + 0.7 * t + salt) * (1 + (i % 5)) * 10 ** ((i % 3) - 1);
  return g;
}

function initial(n: number, salt = 0): Float32Array {
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) p[i] = Math.cos(0.9 * i + salt);
  return p;
}

/** max over elements of |a − b| in float32 ulps of `scale`. */
function maxUlps(a: ArrayLike<number>, b: ArrayLike<number>, scale: number): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, scaledUlpDistance(a[i], b[i], scale, 'float32'));
  return worst;
}

const maxAbs = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

let backend: TfjsBackend;
beforeEach(async () => {
  backend = await createTfjsBackend({ tfjsBackend: 'cpu' });
});
afterEach(() => {
  backend.dispose();
});

describe('createTfjsBackend', () => {
  it('runs on the tfjs backend asked for, float32 only, with state in tf.Variables', async () => {
    expect(backend.name).toBe('tfjs');
    expect(backend.specVersion).toBe('v1');
    expect(backend.tfjsBackend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(backend.capabilities.dtypes).toEqual(['float32']);
    expect(backend.capabilities.bufferLocation).toBe('tfjs-variable');
    expect(backend.capabilities.hostVisible).toBe(false);
    expect(backend.capabilities.adoptsHostArrays).toBe(false);
    expect(backend.capabilities.details).toMatchObject({ tfjsBackend: 'cpu', tfjsVersion: tf.version_core });
  });

  it('without a name takes the active tfjs backend', async () => {
    await tf.setBackend('wasm');
    const b = await createTfjsBackend();
    expect(b.tfjsBackend).toBe('wasm');
    b.dispose();
    await tf.setBackend('cpu');
  });

  it('rejects a tfjs backend that is not registered, saying which package to import', async () => {
    const error = await createTfjsBackend({ tfjsBackend: 'webgl' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as Error).message).toContain("'webgl' is not registered (import '@tensorflow/tfjs-backend-webgl' first)");
  });

  it('rejects a malformed option, naming it', async () => {
    await expect(createTfjsBackend({ tfjsBackend: '' })).rejects.toThrow(ArgumentError);
    await expect(createTfjsBackend({ tfjsBackend: 7 as unknown as string })).rejects.toThrow(/options\.tfjsBackend = 7/);
  });

  it('lets the registry fall back from a tfjs backend that cannot start to one that can, with the reason', async () => {
    const registry = new BackendRegistry()
      .register('tfjs-webgl', () => createTfjsBackend({ tfjsBackend: 'webgl' }), 20)
      .register('tfjs-cpu', () => createTfjsBackend({ tfjsBackend: 'cpu' }), 10);
    const selection = await registry.select();
    expect(selection.name).toBe('tfjs-cpu');
    expect(selection.skipped).toEqual([{ name: 'tfjs-webgl', reason: expect.stringContaining("'webgl' is not registered") }]);
    selection.backend.dispose();
  });
});

describe('slots', () => {
  const request = (name: string, values: Float32Array, state = { meanGrad: false, momentum: false, initialMeanSquare: 0 }) =>
    ({ name, dtype: 'float32' as const, length: values.length, values, adopt: true, state });

  it('copy the initial values into tf.Variables (never adopting the caller array) and read back copies', () => {
    const values = Float32Array.of(1, 2, 3);
    const slot = backend.createSlot(request('w', values)) as TfjsSlot;
    expect(slot.params).toBeNull();
    expect(slot.grads).toBeNull();
    values[0] = 99;
    const read = slot.readParams();
    expect(Array.from(read)).toEqual([1, 2, 3]);
    read[1] = 42;
    expect(Array.from(slot.readParams())).toEqual([1, 2, 3]);
    expect(slot.variables.param).toBeInstanceOf(tf.Variable);
    expect(slot.variables.param.trainable).toBe(false);
    expect(Array.from(slot.readState().meanSquare)).toEqual([0, 0, 0]);
  });

  it('read asynchronously the same values as synchronously (cpu reads both ways)', async () => {
    expect(backend.syncReadBack).toBe(true);
    expect(backend.capabilities.details.syncReadBack).toBe(true);
    const slot = backend.createSlot(request('w', Float32Array.of(1, 2, 3), { meanGrad: true, momentum: true, initialMeanSquare: 0.5 }));
    slot.writeState({ meanSquare: [1, 2, 3], meanGrad: [4, 5, 6], momentum: [7, 8, 9] });
    expect(await slot.readParamsAsync!()).toEqual(slot.readParams());
    expect(await slot.readStateAsync!()).toEqual(slot.readState());
  });

  it('start v at initialMeanSquare and allocate m and b only when asked', () => {
    const slot = backend.createSlot(request('w', Float32Array.of(1, 2), { meanGrad: true, momentum: false, initialMeanSquare: 1 }));
    const state = slot.readState();
    expect(Array.from(state.meanSquare)).toEqual([1, 1]);
    expect(Array.from(state.meanGrad!)).toEqual([0, 0]);
    expect(state.momentum).toBeNull();
  });

  it('refuse float64, naming the field and what is allowed', () => {
    expect(() => backend.createSlot({ ...request('w', Float32Array.of(1)), dtype: 'float64', values: Float64Array.of(1) })).toThrow(
      /request\.dtype = "float64" is not allowed; expected 'float32' \(the tfjs backend runs float32 only\)/,
    );
  });

  it('refuse values of the wrong length and a malformed state request', () => {
    expect(() => backend.createSlot({ ...request('w', Float32Array.of(1, 2)), length: 3 })).toThrow(ShapeError);
    expect(() => backend.createSlot(request('w', Float32Array.of(1), { meanGrad: true, momentum: false, initialMeanSquare: -1 }))).toThrow(
      /request\.state\.initialMeanSquare = -1/,
    );
  });

  it('write state all or nothing: a wrong buffer leaves every buffer as it was', () => {
    const slot = backend.createSlot(request('w', Float32Array.of(1, 2), { meanGrad: true, momentum: true, initialMeanSquare: 0 }));
    slot.writeState({ meanSquare: [1, 2], meanGrad: [3, 4], momentum: [5, 6] });
    expect(() => slot.writeState({ meanSquare: [9, 9], meanGrad: [9, 9], momentum: [9] })).toThrow(ShapeError);
    expect(() => slot.writeState({ meanSquare: [9, 9], meanGrad: null, momentum: [9, 9] })).toThrow(/state\.meanGrad = null/);
    const state = slot.readState();
    expect([Array.from(state.meanSquare), Array.from(state.meanGrad!), Array.from(state.momentum!)]).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('throw DisposedError after dispose, and free their variables', () => {
    const before = tf.memory().numTensors;
    const slot = backend.createSlot(request('w', Float32Array.of(1, 2), { meanGrad: true, momentum: true, initialMeanSquare: 0 }));
    expect(tf.memory().numTensors).toBe(before + 4);
    slot.dispose();
    slot.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => slot.readParams()).toThrow(DisposedError);
  });
});

describe('step', () => {
  const config: RMSPropConfig = { ...tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true }) };

  function twoSlots(): [TfjsSlot, TfjsSlot] {
    const state = { meanGrad: true, momentum: true, initialMeanSquare: 0 };
    return [
      backend.createSlot({ name: 'a', dtype: 'float32', length: 4, values: initial(4), adopt: false, state }) as TfjsSlot,
      backend.createSlot({ name: 'b', dtype: 'float32', length: 3, values: initial(3, 1), adopt: false, state }) as TfjsSlot,
    ];
  }

  it('is atomic: a bad update anywhere leaves every slot as it was', () => {
    const [a, b] = twoSlots();
    const hyper = { config, learningRate: 0.01, step: 1 };
    backend.step([
      { slot: a, grads: gradient(4, 1), hyper },
      { slot: b, grads: gradient(3, 1), hyper },
    ]);
    const before = [a.readParams(), a.readState(), b.readParams(), b.readState()];
    const bad: SlotUpdate[][] = [
      [
        { slot: a, grads: gradient(4, 2), hyper: { ...hyper, step: 2 } },
        { slot: b, grads: gradient(4, 2), hyper: { ...hyper, step: 2 } },
      ],
      [
        { slot: a, grads: gradient(4, 2), hyper: { ...hyper, step: 2 } },
        { slot: b, grads: Float64Array.from(gradient(3, 2)), hyper: { ...hyper, step: 2 } },
      ],
      [
        { slot: a, grads: gradient(4, 2), hyper: { ...hyper, step: 2 } },
        { slot: a, grads: gradient(4, 2), hyper: { ...hyper, step: 2 } },
      ],
      [
        { slot: a, grads: gradient(4, 2), hyper: { ...hyper, step: 2 } },
        { slot: b, grads: gradient(3, 2), hyper: { ...hyper, learningRate: Number.NaN } },
      ],
    ];
    for (const updates of bad) expect(() => backend.step(updates)).toThrow();
    expect([a.readParams(), a.readState(), b.readParams(), b.readState()]).toEqual(before);
  });

  it('refuses a slot from another backend, and a config that needs state the slot lacks', async () => {
    const other = await createTfjsBackend({ tfjsBackend: 'cpu' });
    const foreign = other.createSlot({ name: 'x', dtype: 'float32', length: 1, values: Float32Array.of(1), adopt: false, state: { meanGrad: false, momentum: false, initialMeanSquare: 0 } });
    const hyper = { config: { ...config, centered: false, momentum: 0 }, learningRate: 0.01, step: 1 };
    expect(() => backend.step([{ slot: foreign, grads: Float32Array.of(1), hyper }])).toThrow(/updates\[0\]\.slot/);
    const plain = backend.createSlot({ name: 'p', dtype: 'float32', length: 1, values: Float32Array.of(1), adopt: false, state: { meanGrad: false, momentum: false, initialMeanSquare: 0 } });
    expect(() => backend.step([{ slot: plain, grads: Float32Array.of(1), hyper: { ...hyper, config } }])).toThrow(/config\.centered = true/);
    other.dispose();
  });

  it('refuses to run when tfjs has switched to another backend since it was created, naming both', async () => {
    const [a] = twoSlots();
    const hyper = { config, learningRate: 0.01, step: 1 };
    await tf.setBackend('wasm');
    try {
      expect(() => backend.step([{ slot: a, grads: gradient(4, 1), hyper }])).toThrow(
        /active TensorFlow\.js backend is now 'wasm', but this RMSProp backend's variables live on 'cpu'/,
      );
    } finally {
      await tf.setBackend('cpu');
    }
    backend.step([{ slot: a, grads: gradient(4, 1), hyper }]);
  });

  it('takes no tensors from step to step: numTensors is the same after 1 and 1,000 steps, and back to the start after dispose', async () => {
    const start = tf.memory().numTensors;
    const opt = new RMSPropOptimizer({
      backend,
      groups: [
        { params: { w: initial(64), b: initial(8, 2) }, ...tfjsPreset({ learningRate: 0.001, momentum: 0.9, centered: true }) },
        { params: { v: initial(16, 3) }, learningRate: 0.01, weightDecay: 0.1, decoupledWeightDecay: true, biasCorrection: true },
      ],
    });
    const grads = (t: number) => ({ w: gradient(64, t), b: gradient(8, t, 1), v: gradient(16, t, 2) });
    opt.step(grads(1));
    const afterOne = tf.memory().numTensors;
    for (let t = 2; t <= 1000; t++) opt.step(grads(t));
    expect(tf.memory().numTensors).toBe(afterOne);
    expect(Number.isFinite(opt.readParameter('w')[0])).toBe(true);
    opt.dispose();
    backend.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('keeps NaN from a propagated gradient, as the spec does (the clamp is no NaN filter)', () => {
    const opt = new RMSPropOptimizer({ backend, params: { w: Float32Array.of(1, 2) }, centered: true, nonFiniteGradients: 'propagate' });
    opt.step({ w: Float32Array.of(Number.NaN, 1) });
    const w = opt.readParameter('w');
    expect(Number.isNaN(w[0])).toBe(true);
    expect(Number.isFinite(w[1])).toBe(true);
  });
});

describe('state moves between backends', () => {
  const config = { learningRate: 0.01, momentum: 0.9, centered: true, rho: 0.95 };
  const names = { w: 33, b: 5 };
  const grads = (t: number) => ({ w: gradient(names.w, t), b: gradient(names.b, t, 1) });

  it.each([
    ['cpu → tfjs', 'cpu', 'tfjs'],
    ['tfjs → cpu', 'tfjs', 'cpu'],
  ] as const)('%s: state and parameters saved after 20 steps, the loaded optimizer continues on the same trajectory as the original', async (_, from, to) => {
    const cpu = await createCpuBackend();
    const make = (which: 'cpu' | 'tfjs') =>
      new RMSPropOptimizer({ backend: which === 'cpu' ? cpu : backend, params: { w: initial(names.w), b: initial(names.b, 1) }, ...config });
    const original = make(from);
    for (let t = 1; t <= 20; t++) original.step(grads(t));
    const moved = make(to);
    // The state dict holds state, not parameters (they belong to the model, as in PyTorch): carry both.
    moved.loadStateDict(JSON.parse(JSON.stringify(original.stateDict())));
    for (const name of ['w', 'b']) moved.writeParameter(name, original.readParameter(name));
    expect(moved.stepCount).toBe(20);
    let worst = 0;
    for (let t = 21; t <= 40; t++) {
      original.step(grads(t));
      moved.step(grads(t));
      for (const name of ['w', 'b']) {
        const expected = original.readParameter(name);
        worst = Math.max(worst, maxUlps(moved.readParameter(name), expected, maxAbs(expected)));
      }
    }
    expect(worst).toBeLessThanOrEqual(ULPS);
    original.dispose();
    moved.dispose();
    cpu.dispose();
  });
});
