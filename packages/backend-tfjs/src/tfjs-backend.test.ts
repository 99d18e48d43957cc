import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { CONFORMANCE_BACKENDS, scaledUlpDistance } from '@rmsprop/conformance';
import {
  ArgumentError,
  BackendRegistry,
  BackendUnavailableError,
  initialState,
  RMSPropOptimizer,
  tfjsPreset,
  type RMSPropConfig,
} from '@rmsprop/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTfjsBackend, TfjsBackend, type TfjsBackendOptions } from './tfjs-backend.js';
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
    expect(backend.capabilities.hostArrays).toBe('copied');
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

  it("leaves the user's active tfjs backend as it was: a backend on 'cpu', then one on 'wasm', then the first steps correctly", async () => {
    await tf.setBackend('cpu');
    const onWasm = await createTfjsBackend({ tfjsBackend: 'wasm' });
    expect(onWasm.tfjsBackend).toBe('wasm');
    expect(tf.getBackend()).toBe('cpu');
    await tf.setBackend('wasm');
    const onCpu = await createTfjsBackend({ tfjsBackend: 'cpu' });
    expect(tf.getBackend()).toBe('wasm');
    await tf.setBackend('cpu');
    // The first backend (`backend`, on cpu) steps after both were created; so does the one on wasm.
    const config = tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true });
    const cpuReference = await createCpuBackend({ kernel: 'js' });
    const make = (b: TfjsBackend | typeof cpuReference) => new RMSPropOptimizer({ backend: b, params: { w: initial(7) }, ...config });
    const [first, second, third, reference] = [make(backend), make(onWasm), make(onCpu), make(cpuReference)];
    for (let t = 1; t <= 5; t++) for (const o of [first, second, third, reference]) o.step({ w: gradient(7, t) });
    expect(tf.getBackend()).toBe('cpu');
    const expected = reference.readParameter('w');
    for (const o of [first, second, third]) expect(maxUlps(o.readParameter('w'), expected, maxAbs(expected))).toBeLessThanOrEqual(ULPS);
    for (const o of [first, second, third, reference]) o.dispose();
    for (const b of [onWasm, onCpu, cpuReference]) b.dispose();
  });

  it("a registry's list() after select() leaves the selected tfjs backend usable and the active tfjs backend as it was", async () => {
    await tf.setBackend('cpu');
    const registry = new BackendRegistry()
      .register('tfjs-cpu', () => createTfjsBackend({ tfjsBackend: 'cpu' }), 20)
      .register('tfjs-wasm', () => createTfjsBackend({ tfjsBackend: 'wasm' }), 10);
    const selection = await registry.select();
    expect(selection.name).toBe('tfjs-cpu');
    const listed = await registry.list();
    expect(listed.map((entry) => [entry.name, entry.available])).toEqual([
      ['tfjs-cpu', true],
      ['tfjs-wasm', true],
    ]);
    expect(tf.getBackend()).toBe('cpu');
    const opt = new RMSPropOptimizer({ backend: selection.backend, params: { w: initial(5) }, learningRate: 0.01 });
    const control = new RMSPropOptimizer({ backend, params: { w: initial(5) }, learningRate: 0.01 });
    opt.step({ w: gradient(5, 1) });
    control.step({ w: gradient(5, 1) });
    expect(opt.readParameter('w')).toEqual(control.readParameter('w'));
    opt.dispose();
    control.dispose();
    selection.backend.dispose();
  });

  it('rejects an unknown option key or a non-object, naming it, as createCpuBackend does', async () => {
    const unknown = await createTfjsBackend({ tfjsBackend: 'cpu', threads: 2 } as unknown as TfjsBackendOptions).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ArgumentError);
    expect((unknown as ArgumentError).field).toBe('options.threads');
    expect((unknown as Error).message).toMatch(/^options\.threads = 2 is not allowed; expected tfjsBackend/);
    const misspelt = await createTfjsBackend({ backend: 'wasm' } as unknown as TfjsBackendOptions).catch((e: unknown) => e);
    expect((misspelt as ArgumentError).field).toBe('options.backend');
    for (const bad of [null, 'cpu', 7, ['cpu']]) {
      const error = await createTfjsBackend(bad as unknown as TfjsBackendOptions).catch((e: unknown) => e);
      expect(error, String(bad)).toBeInstanceOf(ArgumentError);
      expect((error as ArgumentError).field).toBe('options');
    }
    expect(tf.getBackend()).toBe('cpu');
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
  it('keep θ, v, m and b in non-trainable tf.Variables on the tfjs backend, with no host view', () => {
    const state = initialState(tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true }));
    const slot = backend.createSlot({ name: 'w', dtype: 'float32', length: 3, values: Float32Array.of(1, 2, 3), adopt: true, state }) as TfjsSlot;
    expect(slot.params).toBeNull();
    expect(slot.grads).toBeNull();
    for (const v of Object.values(slot.variables)) {
      expect(v).toBeInstanceOf(tf.Variable);
      expect(v!.trainable).toBe(false);
    }
    expect(backend.syncReadBack).toBe(true);
    expect(backend.capabilities.details.syncReadBack).toBe(true);
  });
});

describe('step', () => {
  const config: RMSPropConfig = { ...tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true }) };

  function twoSlots(): [TfjsSlot, TfjsSlot] {
    const state = initialState(config);
    return [
      backend.createSlot({ name: 'a', dtype: 'float32', length: 4, values: initial(4), adopt: false, state }) as TfjsSlot,
      backend.createSlot({ name: 'b', dtype: 'float32', length: 3, values: initial(3, 1), adopt: false, state }) as TfjsSlot,
    ];
  }

  it('runs on its own tfjs backend whichever is active, leaving the active one as it was and its variables where they are', async () => {
    const [a] = twoSlots();
    // The control: the same steps on a second backend on tfjs cpu, taken while 'cpu' is active.
    const control = await createTfjsBackend({ tfjsBackend: 'cpu' });
    const c = control.createSlot({ name: 'a', dtype: 'float32', length: 4, values: initial(4), adopt: false, state: initialState(config) }) as TfjsSlot;
    await tf.setBackend('wasm'); // initialised, so that findBackend gives it
    const [cpu, wasm] = [tf.findBackend('cpu')!, tf.findBackend('wasm')!];
    const held = () => [cpu.numDataIds(), wasm.numDataIds()];
    try {
      for (let t = 1; t <= 6; t++) {
        await tf.setBackend('cpu');
        control.step([{ slot: c, grads: gradient(4, t), hyper: { config, learningRate: 0.01, step: t } }]);
        // The user's active backend alternates between steps: 'wasm' on odd steps.
        await tf.setBackend(t % 2 === 1 ? 'wasm' : 'cpu');
        const before = held();
        backend.step([{ slot: a, grads: gradient(4, t), hyper: { config, learningRate: 0.01, step: t } }]);
        expect(tf.getBackend()).toBe(t % 2 === 1 ? 'wasm' : 'cpu');
        // Nothing moved between tfjs backends, and nothing was left behind.
        expect(held()).toEqual(before);
        expect(a.readParams()).toEqual(c.readParams());
        expect(a.readState()).toEqual(c.readState());
      }
      // Writes, too, stay on the slot's own backend.
      await tf.setBackend('wasm');
      const before = held();
      a.writeParams(initial(4, 5));
      a.writeState({ meanSquare: new Float32Array(4).fill(0.5), meanGrad: new Float32Array(4), momentum: new Float32Array(4) });
      expect(held()).toEqual(before);
      expect(a.readParams()).toEqual(Float32Array.from(initial(4, 5)));
      expect(tf.getBackend()).toBe('wasm');
    } finally {
      await tf.setBackend('cpu');
      control.dispose();
    }
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

describe('the checks before a step are linear in the number of parameters', () => {
  // A nested loop over the updates (to find a slot given twice) took 27 s per step at 100,000 parameters;
  // one step number written on each slot finds it in O(1). The step is refused at its last update (the
  // first slot again), so the test's time is the checks' alone: about 50 ms here, with 15 s allowed. The
  // 100,000 slots are made first, outside that limit (2 s here, over 15 s while CI runs suites side by side).
  let backend: TfjsBackend;
  let slots: TfjsSlot[];
  const config = tfjsPreset({ learningRate: 0.01 });
  beforeAll(async () => {
    backend = await createTfjsBackend({ tfjsBackend: 'cpu' });
    const state = initialState(config);
    slots = Array.from({ length: 100_000 }, (_, i) => backend.createSlot({ name: `p${i}`, dtype: 'float32', length: 1, values: new Float32Array(1), adopt: false, state }) as TfjsSlot);
  }, 180_000);
  afterAll(() => backend.dispose());

  it('100,000 slots: a slot given twice at the end is found, nothing computed', { timeout: 15_000 }, () => {
    const hyper = { config, learningRate: 0.01, step: 1 };
    const grads = new Float32Array([1]);
    const updates = slots.map((slot) => ({ slot, grads, hyper }));
    updates.push({ slot: slots[0], grads, hyper });
    const before = tf.memory().numTensors;
    expect(() => backend.step(updates)).toThrow(/^updates\[100000\]\.slot = "p0" is not allowed; expected a slot not already updated in this step$/);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(slots[0].readParams())).toEqual([0]);
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
    for (const name of ['w', 'b'] as const) moved.writeParameter(name, original.readParameter(name));
    expect(moved.stepCount).toBe(20);
    let worst = 0;
    for (let t = 21; t <= 40; t++) {
      original.step(grads(t));
      moved.step(grads(t));
      for (const name of ['w', 'b'] as const) {
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
