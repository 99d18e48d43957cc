/**
 * RMSPropTfjsOptimizer as a drop-in tf.Optimizer on TensorFlow.js's cpu backend in Node: model.fit against
 * the CPU backend's trajectory, tfjs-core's centered NaN, checkpoints in tf.train.rmsprop's layout, state
 * kept by variable name, tensor leaks, serialization, atomic input errors and every preset against the
 * float64 reference. Tolerances come from the tfjs-cpu row of the conformance table, never from here.
 */
import '@tensorflow/tfjs-backend-cpu';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { CONFORMANCE_BACKENDS, scaledUlpDistance } from '@rmsprop/conformance';
import {
  ArgumentError,
  ConfigError,
  createReferenceState,
  DEFAULT_CONFIG,
  DisposedError,
  kerasPreset,
  optaxPreset,
  pytorchPreset,
  ReentrancyError,
  referenceStep,
  resolveConfig,
  RMSPropOptimizer,
  ShapeError,
  StateDictError,
  tf1Preset,
  tfjsPreset,
  type ReferenceState,
  type RMSPropConfig,
} from '@rmsprop/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RMSPropTfjsOptimizer, type NamedTensor, type RMSPropTfjsOptimizerOptions } from './rmsprop-tfjs-optimizer.js';

// ---------------------------------------------------------------------------------------------------------
// The tolerance: the tfjs-cpu row of the conformance table (16 ulps of the trajectory scale, measured there).

const TFJS_CPU_ROW = CONFORMANCE_BACKENDS.find((row) => row.name === 'tfjs-cpu');
if (TFJS_CPU_ROW?.tolerance.float32?.ulps === undefined) throw new Error('the conformance table has no float32 ulp tolerance for tfjs-cpu');
const TOLERANCE_ULPS: number = TFJS_CPU_ROW.tolerance.float32.ulps;

/** Set RMSPROP_TFJS_REPORT=1 to print the measured numbers (losses, ulps) these tests assert on. */
function report(what: string, value: unknown): void {
  if (process.env.RMSPROP_TFJS_REPORT) console.log(`[measured] ${what}: ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------------------
// Helpers.

/** mulberry32: a small deterministic generator, so every gradient and weight here is fixed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uniform(next: () => number, length: number, lo: number, hi: number): Float32Array {
  return Float32Array.from({ length }, () => lo + (hi - lo) * next());
}

let nameCounter = 0;
const testVariables: tf.Variable[] = [];

/** A trainable float32 variable with a name no other test uses; freed after the test. */
function makeVariable(base: string, values: ArrayLike<number>, shape: number[] = [values.length]): tf.Variable {
  const init = tf.tensor(Float32Array.from(values), shape, 'float32');
  const v = tf.variable(init, true, `${base}_${++nameCounter}`);
  init.dispose();
  testVariables.push(v);
  return v;
}

/** Overwrite a variable's values (same shape). */
function setValues(v: tf.Variable, values: ArrayLike<number>): void {
  tf.tidy(() => v.assign(tf.tensor(Float32Array.from(values), v.shape, 'float32')));
}

function read(t: tf.Tensor): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** Apply float32 gradients given as arrays (tensors made and freed here). */
function applyArrays(opt: tf.Optimizer, grads: ReadonlyMap<tf.Variable, ArrayLike<number>>): void {
  const map: tf.NamedTensorMap = {};
  for (const [v, g] of grads) map[v.name] = tf.tensor(Float32Array.from(g), v.shape, 'float32');
  try {
    opt.applyGradients(map);
  } finally {
    tf.dispose(Object.values(map));
  }
}

/**
 * The largest distance of `actual` from `expected` (θ after each step, same length), in float32 ulps of
 * each element's scale: the running max |θ| of the expected trajectory, initial value included, as the
 * conformance suite's compareTrajectory measures θ.
 */
function trajectoryUlps(initial: ArrayLike<number>, expected: readonly ArrayLike<number>[], actual: readonly ArrayLike<number>[]): number {
  expect(actual.length).toBe(expected.length);
  const scale = Float64Array.from(initial, Math.abs);
  let max = 0;
  expected.forEach((e, step) => {
    const a = actual[step];
    expect(a.length).toBe(e.length);
    for (let i = 0; i < e.length; i++) {
      scale[i] = Math.max(scale[i], Math.abs(e[i]));
      max = Math.max(max, scaledUlpDistance(a[i], e[i], scale[i], 'float32'));
    }
  });
  return max;
}

/** Distance of a state buffer from the expected one, at the scale of its largest |value| (compareTrajectory's rule). */
function bufferUlps(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let max = 0;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, scaledUlpDistance(actual[i], expected[i], scale, 'float32'));
  return max;
}

/**
 * The spec's float32 trajectory: `referenceStep` in float64 from float32 values, θ and every state buffer
 * rounded to float32 after each step (float32 storage, as the conformance suite's reference column does).
 */
function referenceTrajectory(
  config: Readonly<RMSPropConfig>,
  initial: ArrayLike<number>,
  grads: readonly ArrayLike<number>[],
  state: ReferenceState = createReferenceState(config, initial.length),
): { params: Float64Array[]; state: ReferenceState } {
  const θ = Float64Array.from(initial, Math.fround);
  state.meanSquare.forEach((x, i) => (state.meanSquare[i] = Math.fround(x)));
  const params: Float64Array[] = [];
  for (const g of grads) {
    referenceStep(config, θ, Float64Array.from(g, Math.fround), state);
    for (const buffer of [θ, state.meanSquare, state.meanGrad, state.momentum]) {
      if (buffer !== null) for (let i = 0; i < buffer.length; i++) buffer[i] = Math.fround(buffer[i]);
    }
    params.push(Float64Array.from(θ));
  }
  return { params, state };
}

/** Everything an optimizer's getWeights() reports, as plain numbers (the `iter` scalar is freed here). */
async function weightsSnapshot(opt: tf.Optimizer): Promise<{ name: string; shape: number[]; values: number[] }[]> {
  const weights = await opt.getWeights();
  const out = weights.map((w) => ({ name: w.name, shape: [...w.tensor.shape], values: Array.from(w.tensor.dataSync()) }));
  weights[0].tensor.dispose();
  return out;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  for (const v of testVariables.splice(0)) if (!v.isDisposed) v.dispose();
});

// ---------------------------------------------------------------------------------------------------------

describe('model.fit with RMSPropTfjsOptimizer', () => {
  /** Records the gradients it is given and the weights after each step, keyed by variable name. */
  class RecordingOptimizer extends RMSPropTfjsOptimizer {
    readonly grads: Map<string, Float32Array>[] = [];
    readonly weights: Map<string, Float32Array>[] = [];
    override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
      const entries: [string, tf.Tensor][] = Array.isArray(variableGradients)
        ? variableGradients.map((e) => [e.name, e.tensor])
        : Object.entries(variableGradients);
      this.grads.push(new Map(entries.map(([name, g]) => [name, read(g)])));
      super.applyGradients(variableGradients);
      this.weights.push(new Map(entries.map(([name]) => [name, read(tf.engine().registeredVariables[name])])));
    }
  }

  it('decreases the loss and follows the CPU backend fed the same gradients, step by step', async () => {
    const config = tfjsPreset({ learningRate: 0.01, momentum: 0.9 });
    const next = rng(20240601);
    const n = 64;
    const x = uniform(next, 2 * n, -1, 1);
    const y = Float32Array.from({ length: n }, (_, i) => 0.6 * x[2 * i] - 0.3 * x[2 * i + 1] + 0.4 * x[2 * i] * x[2 * i + 1] + 0.2);
    const xs = tf.tensor2d(x, [n, 2]);
    const ys = tf.tensor2d(y, [n, 1]);

    const model = tfl.sequential();
    model.add(tfl.layers.dense({ units: 8, inputShape: [2], activation: 'tanh' }));
    model.add(tfl.layers.dense({ units: 1 }));
    const init = [uniform(next, 16, -0.8, 0.8), uniform(next, 8, -0.1, 0.1), uniform(next, 8, -0.5, 0.5), new Float32Array(1)];
    const shapes = [[2, 8], [8], [8, 1], [1]];
    const initTensors = init.map((values, i) => tf.tensor(values, shapes[i], 'float32'));
    model.setWeights(initTensors);
    tf.dispose(initTensors);
    const initial = new Map(model.trainableWeights.map((w) => [(w.read() as tf.Variable).name, read(w.read())]));
    expect(initial.size).toBe(4);

    const opt = new RecordingOptimizer(config);
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const epochs = 40;
    const history = await model.fit(xs, ys, { epochs, batchSize: n, shuffle: false, verbose: 0 });
    const losses = history.history.loss as number[];
    const finalLossTensor = model.evaluate(xs, ys, { batchSize: n }) as tf.Scalar;
    const finalLoss = finalLossTensor.dataSync()[0];
    tf.dispose([finalLossTensor, xs, ys]);
    report('model.fit loss (first, 10th, 20th, 40th epoch, after training)', [losses[0], losses[9], losses[19], losses[39], finalLoss]);

    // One step per epoch (the batch is the whole dataset), every step on all four variables.
    expect(opt.grads).toHaveLength(epochs);
    expect(opt.iterations).toBe(epochs);
    for (const g of opt.grads) expect([...g.keys()].sort()).toEqual([...initial.keys()].sort());
    // The loss falls: to under a fifth of where it started, and lower at every tenth epoch than at the one before.
    expect(finalLoss).toBeLessThan(losses[0] / 5);
    expect(losses[9]).toBeLessThan(losses[0]);
    expect(losses[19]).toBeLessThan(losses[9]);
    expect(losses[39]).toBeLessThan(losses[19]);

    // Replay the recorded gradients into @rmsprop/core's optimizer on the CPU backend, in float32, from the
    // same initial weights and the same config, and compare θ after every step.
    const backend = await createCpuBackend();
    const names = [...initial.keys()];
    const cpu = new RMSPropOptimizer({ backend, params: Object.fromEntries(names.map((name) => [name, initial.get(name)!.slice()])), ...config });
    const expected = new Map<string, Float32Array[]>(names.map((name) => [name, []]));
    for (const grads of opt.grads) {
      cpu.step(Object.fromEntries(grads));
      for (const name of names) expected.get(name)!.push(Float32Array.from(cpu.readParameter(name)));
    }
    let maxUlps = 0;
    for (const name of names) {
      const ulps = trajectoryUlps(
        initial.get(name)!,
        expected.get(name)!,
        opt.weights.map((w) => w.get(name)!),
      );
      maxUlps = Math.max(maxUlps, ulps);
    }
    // The state after the last step, too (v and b at their own scale).
    const dict = cpu.stateDict();
    let maxStateUlps = 0;
    for (const name of names) {
      const s = opt.stateOf(name)!;
      expect(s.step).toBe(epochs);
      maxStateUlps = Math.max(maxStateUlps, bufferUlps(dict.state[name].meanSquare as number[], read(s.meanSquare)));
      maxStateUlps = Math.max(maxStateUlps, bufferUlps(dict.state[name].momentum as number[], read(s.momentum!)));
    }
    report('model.fit max ulps from the CPU backend (θ over 40 steps, final v and b)', [maxUlps, maxStateUlps]);
    expect(maxUlps).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(maxStateUlps).toBeLessThanOrEqual(TOLERANCE_ULPS);
    cpu.dispose();
    backend.dispose?.();
    opt.dispose();
    model.dispose();
  });
});

describe("tfjs-core's centered zero-gradient NaN", () => {
  const initial = [1, 2];
  const grad = [0, 0.5];

  it('tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true) turns θ into NaN where the gradient is 0 (tfjs-core 4.22 bug)', () => {
    const v = makeVariable('tfjsCentered', initial);
    const opt = tf.train.rmsprop(0.01, 0.9, 0, 1e-7, true);
    applyArrays(opt, new Map([[v, grad]]));
    const [θ0, θ1] = read(v);
    report('tf.train.rmsprop centered, one step on [1, 2] with gradient [0, 0.5]', [θ0, θ1]);
    // √(v − (m² + ε)) = √(0 − 1e-7) = NaN, and 0 / NaN = NaN.
    expect(θ0).toBeNaN();
    expect(Number.isFinite(θ1)).toBe(true);
    opt.dispose();
  });

  it('the tfjs preset stays finite and equals the spec', () => {
    const config = tfjsPreset({ learningRate: 0.01, centered: true, epsilon: 1e-7 });
    const v = makeVariable('oursCentered', initial);
    const opt = new RMSPropTfjsOptimizer(config);
    const steps = 5;
    const actual: Float32Array[] = [];
    for (let s = 0; s < steps; s++) {
      applyArrays(opt, new Map([[v, grad]]));
      actual.push(read(v));
    }
    for (const θ of actual) expect(θ.every(Number.isFinite)).toBe(true);
    // Where g = 0 the spec's step is u = 0 / √(0 + ε) = 0: θ stays exactly 1.
    expect(actual.map((θ) => θ[0])).toEqual(Array(steps).fill(1));
    const expected = referenceTrajectory(config, initial, Array(steps).fill(grad)).params;
    const ulps = trajectoryUlps(initial, expected, actual);
    report('tfjs preset centered, 5 steps, ulps from the spec', { ulps, first: Array.from(actual[0]), expected: Array.from(expected[0]) });
    expect(ulps).toBeLessThanOrEqual(TOLERANCE_ULPS);
    opt.dispose();
  });
});

describe("checkpoints in tf.train.rmsprop's layout", () => {
  const lr = 0.01;
  const decay = 0.9;
  const momentum = 0.9;
  const eps = 1e-7;
  const ourConfig = () => tfjsPreset({ learningRate: lr, decay, momentum, epsilon: eps });
  const next = rng(77);
  const a0 = [0.5, -1.2, 2.0];
  const b0 = [0.3, -0.7, 1.5, -0.1];
  const gradsA = Array.from({ length: 10 }, () => uniform(next, 3, -1, 1));
  const gradsB = Array.from({ length: 10 }, () => uniform(next, 4, -1, 1));

  /** Steps `from` to `to` − 1 on a and b; θ after each step. */
  function run(opt: tf.Optimizer, a: tf.Variable, b: tf.Variable, from: number, to: number): { a: Float32Array[]; b: Float32Array[] } {
    const out = { a: [] as Float32Array[], b: [] as Float32Array[] };
    for (let s = from; s < to; s++) {
      applyArrays(
        opt,
        new Map([
          [a, gradsA[s]],
          [b, gradsB[s]],
        ]),
      );
      out.a.push(read(a));
      out.b.push(read(b));
    }
    return out;
  }

  it('continues a tf.train.rmsprop run after setWeights(getWeights()), reading the weights by name', async () => {
    const a = makeVariable('ckptA', a0);
    const b = makeVariable('ckptB', b0, [2, 2]);
    const theirs = tf.train.rmsprop(lr, decay, momentum, eps);
    run(theirs, a, b, 0, 5);
    const checkpoint = await theirs.getWeights();
    expect(checkpoint.map((w) => w.name)).toEqual(['iter', `${a.name}/rms`, `${b.name}/rms`, `${a.name}/momentum`, `${b.name}/momentum`]);
    const snapshot = { a: read(a), b: read(b) };
    const restore = (): void => {
      setValues(a, snapshot.a);
      setValues(b, snapshot.b);
    };

    const ours = new RMSPropTfjsOptimizer(ourConfig());
    await ours.setWeights(checkpoint);
    expect(ours.iterations).toBe(5);
    expect(ours.stateOf(a.name)?.step).toBe(5);

    // The same weights with everything after `iter` in reverse order: read by name, the result is the same.
    const shuffledOpt = new RMSPropTfjsOptimizer(ourConfig());
    await shuffledOpt.setWeights([checkpoint[0], ...checkpoint.slice(1).reverse()]);
    // And one that starts from scratch (no checkpoint): the control showing the comparison can fail.
    const fresh = new RMSPropTfjsOptimizer(ourConfig());

    const expected = run(theirs, a, b, 5, 10);
    restore();
    const continued = run(ours, a, b, 5, 10);
    restore();
    const shuffled = run(shuffledOpt, a, b, 5, 10);
    restore();
    const scratch = run(fresh, a, b, 5, 10);

    const ulps = Math.max(trajectoryUlps(snapshot.a, expected.a, continued.a), trajectoryUlps(snapshot.b, expected.b, continued.b));
    const controlUlps = Math.max(trajectoryUlps(snapshot.a, expected.a, scratch.a), trajectoryUlps(snapshot.b, expected.b, scratch.b));
    report('checkpoint: ulps of the continued run from tf.train.rmsprop (and of a fresh optimizer, the control)', [ulps, controlUlps]);
    expect(ulps).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(controlUlps).toBeGreaterThan(TOLERANCE_ULPS);
    expect(shuffled).toEqual(continued);

    tf.dispose(checkpoint[0].tensor);
    for (const o of [theirs, ours, shuffledOpt, fresh]) o.dispose();
  });

  it('rejects a weight name without /rms, /momentum or /mg, naming it, and keeps its state', async () => {
    const a = makeVariable('badA', a0);
    const b = makeVariable('badB', b0, [2, 2]);
    const ours = new RMSPropTfjsOptimizer(ourConfig());
    run(ours, a, b, 0, 3);
    const before = await weightsSnapshot(ours);
    const iter = tf.scalar(7, 'int32');
    const rms = tf.ones([3]);
    const velocity = tf.ones([3]);
    const bad: NamedTensor[] = [
      { name: 'iter', tensor: iter },
      { name: `${a.name}/rms`, tensor: rms },
      { name: `${a.name}/velocity`, tensor: velocity },
    ];
    const error = await ours.setWeights(bad).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toContain(`"${a.name}/velocity"`);
    expect(ours.iterations).toBe(3);
    expect(await weightsSnapshot(ours)).toEqual(before);
    tf.dispose([iter, rms, velocity]);
    ours.dispose();
  });

  it.each<[string, () => RMSPropTfjsOptimizerOptions]>([
    ['tfjs preset with momentum', ourConfig],
    ['centered, bias correction', () => ({ ...ourConfig(), centered: true, biasCorrection: true })],
    ['no momentum (zero buffers reported)', () => tfjsPreset({ learningRate: lr })],
  ])('%s: loads its own getWeights() output (the tensors are its own state variables)', async (_label, options) => {
    const a = makeVariable('selfA', a0);
    const b = makeVariable('selfB', b0, [2, 2]);
    const reloaded = new RMSPropTfjsOptimizer(options());
    run(reloaded, a, b, 0, 5);
    const before = await weightsSnapshot(reloaded);
    const expectedNames = ['iter', ...['rms', 'momentum', ...(reloaded.config.centered ? ['mg'] : [])].flatMap((s) => [`${a.name}/${s}`, `${b.name}/${s}`])];
    expect(before.map((w) => w.name)).toEqual(expectedNames);
    const snapshot = { a: read(a), b: read(b) };
    const own = await reloaded.getWeights();
    await reloaded.setWeights(own);
    own[0].tensor.dispose();
    expect(await weightsSnapshot(reloaded)).toEqual(before);
    const afterReload = run(reloaded, a, b, 5, 10);

    // The same run without the reload.
    setValues(a, a0);
    setValues(b, b0);
    const straight = new RMSPropTfjsOptimizer(options());
    run(straight, a, b, 0, 5);
    expect({ a: read(a), b: read(b) }).toEqual(snapshot);
    expect(run(straight, a, b, 5, 10)).toEqual(afterReload);
    reloaded.dispose();
    straight.dispose();
  });
});

describe('state kept by variable name', () => {
  const schedule = [['a', 'b'], ['b', 'c'], ['a'], ['a', 'b', 'c']] as const;
  const init = { a: [0.5, -1.0, 1.5], b: [2.0, -0.25, 0.75, -3.0], c: [0.1, 0.2, -0.3, 0.4] } as const;
  const shapes = { a: [3], b: [2, 2], c: [4] } as const;
  const next = rng(4290);
  const grads = schedule.map((names) => new Map(names.map((n) => [n, uniform(next, init[n].length, -1, 1)])));
  const variants: [string, Readonly<RMSPropConfig>][] = [
    ['tfjs preset with momentum', tfjsPreset({ learningRate: 0.01, momentum: 0.9 })],
    // initial_scale 0.1 keeps s = v̂ − m̂² away from 0 (see the preset tests below).
    [
      'optax preset with bias correction, centered, momentum',
      optaxPreset({ learning_rate: 0.01, bias_correction: true, centered: true, momentum: 0.9, initial_scale: 0.1 }),
    ],
  ];

  it.each(variants)('%s: each variable follows its own single-variable run when the set changes', (label, config) => {
    const together = new RMSPropTfjsOptimizer(config);
    const vars = { a: makeVariable('setA', init.a, [...shapes.a]), b: makeVariable('setB', init.b, [...shapes.b]), c: makeVariable('setC', init.c, [...shapes.c]) };
    const trajectories = { a: [] as Float32Array[], b: [] as Float32Array[], c: [] as Float32Array[] };
    for (const g of grads) {
      applyArrays(together, new Map([...g].map(([n, values]) => [vars[n], values])));
      for (const n of g.keys()) trajectories[n].push(read(vars[n]));
    }
    expect(together.iterations).toBe(4);
    expect([together.stateOf(vars.a.name)?.step, together.stateOf(vars.b.name)?.step, together.stateOf(vars.c.name)?.step]).toEqual([3, 3, 2]);

    let maxUlps = 0;
    for (const n of ['a', 'b', 'c'] as const) {
      const alone = new RMSPropTfjsOptimizer(config);
      const v = makeVariable(`alone${n}`, init[n], [...shapes[n]]);
      const own = grads.filter((g) => g.has(n)).map((g) => g.get(n)!);
      const trajectory: Float32Array[] = [];
      for (const g of own) {
        applyArrays(alone, new Map([[v, g]]));
        trajectory.push(read(v));
      }
      // Same ops on the same inputs: bit for bit.
      expect(trajectories[n]).toEqual(trajectory);
      // And that single-variable run is the spec's.
      maxUlps = Math.max(maxUlps, trajectoryUlps(init[n], referenceTrajectory(config, init[n], own).params, trajectory));
      alone.dispose();
    }
    report(`state by name (${label}): ulps of the single-variable runs from the spec`, maxUlps);
    expect(maxUlps).toBeLessThanOrEqual(TOLERANCE_ULPS);

    if (config.biasCorrection) {
      // Control: with bias correction, c's run under the optimizer's step count (t = 2, 4 instead of 1, 2)
      // is far outside the tolerance, so the per-variable t above is what made the runs agree.
      const ownC = grads.filter((g) => g.has('c')).map((g) => g.get('c')!);
      const state = createReferenceState(config, init.c.length);
      state.step = 1;
      const globalT = [referenceTrajectory(config, init.c, [ownC[0]], state).params[0]];
      state.step = 3;
      globalT.push(referenceTrajectory(config, globalT[0], [ownC[1]], state).params[0]);
      expect(trajectoryUlps(init.c, globalT, trajectories.c)).toBeGreaterThan(TOLERANCE_ULPS);
    }
    together.dispose();
  });

  it('tf.train.rmsprop keys state by position and gets this wrong; the tfjs preset does not', () => {
    // Same shapes, so tfjs does not throw: at step 2, q takes p's slots (position 0) and r takes q's.
    const p0 = [1, -2, 3];
    const q0 = [-1, 0.5, 2];
    const r0 = [0.25, 1, -1];
    const g = rng(11);
    const [gp1, gq1, gq2, gr2] = [uniform(g, 3, -1, 1), uniform(g, 3, -1, 1), uniform(g, 3, -1, 1), uniform(g, 3, -1, 1)];
    const final = (makeOpt: () => tf.Optimizer): { q: Float32Array; qAlone: Float32Array } => {
      const opt = makeOpt();
      const p = makeVariable('posP', p0);
      const q = makeVariable('posQ', q0);
      const r = makeVariable('posR', r0);
      applyArrays(opt, new Map([[p, gp1], [q, gq1]]));
      applyArrays(opt, new Map([[q, gq2], [r, gr2]]));
      const alone = makeOpt();
      const qAlone = makeVariable('posQAlone', q0);
      applyArrays(alone, new Map([[qAlone, gq1]]));
      applyArrays(alone, new Map([[qAlone, gq2]]));
      const out = { q: read(q), qAlone: read(qAlone) };
      opt.dispose();
      alone.dispose();
      return out;
    };
    const theirs = final(() => tf.train.rmsprop(0.01, 0.9, 0.9, 1e-7));
    const ours = final(() => new RMSPropTfjsOptimizer(tfjsPreset({ learningRate: 0.01, momentum: 0.9 })));
    const theirsUlps = trajectoryUlps(q0, [theirs.qAlone], [theirs.q]);
    report('tf.train.rmsprop by position: ulps of q from its single-variable run', theirsUlps);
    expect(theirsUlps).toBeGreaterThan(TOLERANCE_ULPS);
    expect(ours.q).toEqual(ours.qAlone);
  });
});

describe('tensors: no leaks', () => {
  const configs: [string, RMSPropTfjsOptimizerOptions][] = [
    ['plain (tfjs preset)', tfjsPreset({ learningRate: 0.01 })],
    ['centered + momentum + nesterov', { ...tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true }), nesterov: true }],
    ['pytorch: coupled weight decay, momentum outside η', pytorchPreset({ lr: 0.01, momentum: 0.9, weight_decay: 0.01, centered: true, maximize: true })],
    [
      'every switch: decoupled decay, bias correction, initial v, ε outside',
      {
        learningRate: 0.01,
        momentum: 0.5,
        nesterov: true,
        learningRateInMomentum: true,
        centered: true,
        biasCorrection: true,
        weightDecay: 0.01,
        decoupledWeightDecay: true,
        initialMeanSquare: 0.1,
        epsilonPlacement: 'outside',
      },
    ],
  ];

  it.each(configs)('%s: numTensors is constant from step 2 to step 1000 and dispose() frees every state tensor', async (_label, options) => {
    const before = tf.memory().numTensors;
    const v1 = makeVariable('leakW', [0.5, -0.5, 1, 2, -1, 0], [2, 3]);
    const v2 = makeVariable('leakB', [0.1, -0.2, 0.3]);
    const withVariables = tf.memory().numTensors;
    expect(withVariables).toBe(before + 2);
    const opt = new RMSPropTfjsOptimizer(options);
    expect(tf.memory().numTensors).toBe(withVariables);

    const config = resolveConfig(options as Partial<RMSPropConfig>);
    const perVariable = 1 + (config.centered ? 1 : 0) + (config.momentum > 0 ? 1 : 0);
    let atStep2 = -1;
    const changes: string[] = [];
    for (let step = 1; step <= 1000; step++) {
      const g1 = tf.tensor(Float32Array.from({ length: 6 }, (_, i) => Math.sin(step + i)), [2, 3]);
      const g2 = tf.tensor(Float32Array.from({ length: 3 }, (_, i) => Math.cos(step * (i + 1))));
      opt.applyGradients({ [v1.name]: g1, [v2.name]: g2 });
      tf.dispose([g1, g2]);
      const count = tf.memory().numTensors;
      if (step === 2) atStep2 = count;
      else if (step > 2 && count !== atStep2) changes.push(`step ${step}: ${count}`);
    }
    expect(changes).toEqual([]);
    // The only tensors kept: v (and m, b where the config has them) per variable.
    expect(atStep2).toBe(withVariables + 2 * perVariable);
    expect([...read(v1), ...read(v2)].every(Number.isFinite)).toBe(true);

    // getWeights() adds zero momentum buffers where momentum is off; dispose() frees those too.
    const weights = await opt.getWeights();
    weights[0].tensor.dispose(); // the iteration count is the caller's
    opt.dispose();
    expect(tf.memory().numTensors).toBe(withVariables);
    expect(() => opt.applyGradients({})).toThrow(DisposedError);
    v1.dispose();
    v2.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('minimize(f) (inherited from tf.Optimizer) takes the spec step, keeps no tensors and respects varList', () => {
    const x0 = [2, -1, 0.5];
    const target = tf.tensor1d([0.5, 0.25, -1]);
    const x = makeVariable('minX', x0);
    const other = makeVariable('minOther', [3, 3]);
    const f = (): tf.Scalar => tf.sum(tf.add(tf.square(tf.sub(x, target)), tf.mul(tf.sum(other), 0)));
    const config = tfjsPreset({ learningRate: 0.05 });
    const opt = new RMSPropTfjsOptimizer(config);

    // Step 1: the spec's step on the gradient 2(x − target).
    const first = opt.minimize(f, true, [x])!;
    const firstLoss = first.dataSync()[0];
    first.dispose();
    const grad = x0.map((xi, i) => 2 * (xi - [0.5, 0.25, -1][i]));
    const expected = referenceTrajectory(config, x0, [grad]).params;
    expect(trajectoryUlps(x0, expected, [read(x)])).toBeLessThanOrEqual(TOLERANCE_ULPS);

    opt.minimize(f, false, [x]);
    const count = tf.memory().numTensors;
    let loss = firstLoss;
    for (let i = 0; i < 200; i++) {
      const cost = opt.minimize(f, true, [x])!;
      loss = cost.dataSync()[0];
      cost.dispose();
    }
    expect(tf.memory().numTensors).toBe(count);
    report('minimize: loss at step 1 and step 202', [firstLoss, loss]);
    expect(loss).toBeLessThan(firstLoss / 100);
    // `other` had a (zero) gradient but was not in varList: untouched, and no state for it.
    expect(Array.from(read(other))).toEqual([3, 3]);
    expect(opt.stateOf(other.name)).toBeUndefined();
    target.dispose();
    opt.dispose();
  });
});

describe('serialization', () => {
  /** Every field differs from the spec's default. */
  const nonDefault: RMSPropConfig = {
    learningRate: 0.05,
    rho: 0.8,
    epsilon: 1e-6,
    epsilonPlacement: 'inside',
    momentum: 0.5,
    nesterov: true,
    learningRateInMomentum: true,
    centered: true,
    weightDecay: 0.01,
    decoupledWeightDecay: true,
    maximize: true,
    initialMeanSquare: 0.1,
    biasCorrection: true,
  };

  it("registers the class as 'RMSPropSpec' with tf.serialization", () => {
    const opt = new RMSPropTfjsOptimizer({ learningRate: 0.01 });
    expect(opt.getClassName()).toBe('RMSPropSpec');
    const entry = tf.serialization.SerializationMap.getMap().classNameMap['RMSPropSpec'];
    expect(entry).toBeDefined();
    expect(entry[0]).toBe(RMSPropTfjsOptimizer);
    opt.dispose();
  });

  it('getConfig() → fromConfig() round-trips every spec field of a non-default config, through JSON', () => {
    for (const key of Object.keys(DEFAULT_CONFIG) as (keyof RMSPropConfig)[]) expect(nonDefault[key], key).not.toEqual(DEFAULT_CONFIG[key]);
    const opt = new RMSPropTfjsOptimizer(nonDefault);
    const json = JSON.parse(JSON.stringify(opt.getConfig())) as tf.serialization.ConfigDict;
    expect(json).toEqual(nonDefault);
    const [cls, fromConfig] = tf.serialization.SerializationMap.getMap().classNameMap['RMSPropSpec'];
    const restored = fromConfig(cls, json) as RMSPropTfjsOptimizer;
    expect(restored).toBeInstanceOf(RMSPropTfjsOptimizer);
    expect(restored.config).toEqual(nonDefault);
    // tfjs-layers adds `customObjects` to every config it deserializes; it is not a config field.
    const viaLayers = fromConfig(cls, { ...json, customObjects: {} }) as RMSPropTfjsOptimizer;
    expect(viaLayers.config).toEqual(nonDefault);
    // Any other unknown field is still an error.
    expect(() => fromConfig(cls, { ...json, learning_rate: 0.1 })).toThrow(ArgumentError);
    for (const o of [opt, restored, viaLayers]) o.dispose();
  });

  it('a tfjs-layers model saved with includeOptimizer loads with the same optimizer config and weights', async () => {
    const config = tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true });
    const model = tfl.sequential();
    model.add(tfl.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 5 }) }));
    model.add(tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }) }));
    const opt = new RMSPropTfjsOptimizer(config);
    model.compile({ optimizer: opt, loss: 'meanSquaredError' });
    const xs = tf.tensor2d(uniform(rng(3), 16, -1, 1), [8, 2]);
    const ys = tf.tensor2d(uniform(rng(4), 8, -1, 1), [8, 1]);
    await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
      { includeOptimizer: true },
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved!));
    const loadedOpt = loaded.optimizer as unknown as RMSPropTfjsOptimizer;
    expect(loadedOpt).toBeInstanceOf(RMSPropTfjsOptimizer);
    expect(loadedOpt.config).toEqual(config);
    expect(loadedOpt.iterations).toBe(3);
    const original = await weightsSnapshot(opt);
    expect(original.map((w) => w.name.split('/').pop())).toEqual(['iter', ...Array(4).fill('rms'), ...Array(4).fill('momentum'), ...Array(4).fill('mg')]);
    expect(await weightsSnapshot(loadedOpt)).toEqual(original);
    // The loaded model's variables are renamed by tfjs-layers (`…/kernel_1`, …) because the original model
    // is still alive here; the saved state, keyed by the original names, moves to them on their first step.
    const loadedNames = loaded.trainableWeights.map((w) => w.name);
    expect(loadedNames.every((n) => /_\d+$/.test(n))).toBe(true);
    await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    await loaded.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    const after = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const afterLoaded = loaded.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    // The same ops on the same inputs: bit-identical, and far from a restart with fresh state.
    expect(afterLoaded).toEqual(after);
    for (const name of loadedNames) expect(loadedOpt.stateOf(name)?.step).toBe(5);
    tf.dispose([xs, ys]);
    loadedOpt.dispose();
    loaded.dispose();
    opt.dispose();
    model.dispose();
  });
});

describe('setWeights with state under other variable names', () => {
  const config = tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true });
  const a0 = [0.5, -1.2, 2.0];
  const b0 = [0.3, -0.7, 1.5, -0.1];
  const next = rng(808);
  const gradsA = Array.from({ length: 6 }, () => uniform(next, 3, -1, 1));
  const gradsB = Array.from({ length: 6 }, () => uniform(next, 4, -1, 1));

  /** An optimizer that took 3 steps on two variables a ([3]) and b ([2, 2]), and its weights. */
  async function trained(): Promise<{ opt: RMSPropTfjsOptimizer; a: tf.Variable; b: tf.Variable; weights: NamedTensor[] }> {
    const a = makeVariable('ownA', a0);
    const b = makeVariable('ownB', b0, [2, 2]);
    const opt = new RMSPropTfjsOptimizer(config);
    for (let s = 0; s < 3; s++) applyArrays(opt, new Map([[a, gradsA[s]], [b, gradsB[s]]]));
    return { opt, a, b, weights: await opt.getWeights() };
  }

  /** Everything a failed call must leave as it was. */
  async function snapshot(opt: RMSPropTfjsOptimizer, vars: tf.Variable[]): Promise<unknown> {
    return { values: vars.map((v) => Array.from(read(v))), weights: await weightsSnapshot(opt), iterations: opt.iterations, tensors: tf.memory().numTensors };
  }

  async function rejection(p: Promise<unknown> | (() => unknown)): Promise<unknown> {
    try {
      await (typeof p === 'function' ? p() : p);
    } catch (e) {
      return e;
    }
    return undefined;
  }

  it("a second identical model in one process (its layers named anew) continues from the first's optimizer weights, by position as tfjs's optimizers match", async () => {
    const build = (): tfl.Sequential => {
      const model = tfl.sequential();
      model.add(tfl.layers.dense({ units: 3, inputShape: [2], activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 15 }) }));
      model.add(tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 16 }) }));
      return model;
    };
    const xs = tf.tensor2d(uniform(rng(13), 16, -1, 1), [8, 2]);
    const ys = tf.tensor2d(uniform(rng(14), 8, -1, 1), [8, 1]);
    const first = build();
    const firstOpt = new RMSPropTfjsOptimizer(config);
    first.compile({ optimizer: firstOpt, loss: 'meanSquaredError' });
    await first.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });

    const second = build();
    const firstNames = first.trainableWeights.map((w) => w.name);
    const secondNames = second.trainableWeights.map((w) => w.name);
    // e.g. dense_Dense3/kernel for dense_Dense1/kernel: no name in common.
    expect(secondNames.filter((n) => firstNames.includes(n))).toEqual([]);
    second.setWeights(first.getWeights());
    const secondOpt = new RMSPropTfjsOptimizer(config);
    second.compile({ optimizer: secondOpt, loss: 'meanSquaredError' });
    const weights = await firstOpt.getWeights();
    await secondOpt.setWeights(weights);
    weights[0].tensor.dispose();
    expect(secondOpt.iterations).toBe(3);

    await first.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    await second.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    // The same ops on the same inputs from the same state: bit for bit.
    expect(second.trainableWeights.map((w) => Array.from(w.read().dataSync()))).toEqual(first.trainableWeights.map((w) => Array.from(w.read().dataSync())));
    for (const name of secondNames) expect(secondOpt.stateOf(name)?.step).toBe(5);
    for (const name of firstNames) expect(secondOpt.stateOf(name)).toBeUndefined();
    tf.dispose([xs, ys]);
    for (const o of [firstOpt, secondOpt]) o.dispose();
    for (const m of [first, second]) m.dispose();
  });

  it('loaded state that the variables of a step cannot take one to one (count or shapes): StateDictError listing the names, nothing changed', async () => {
    const { opt, a, b, weights } = await trained();
    const loaded = new RMSPropTfjsOptimizer(config);
    await loaded.setWeights(weights);
    const c = makeVariable('otherC', a0);
    const d = makeVariable('otherD', b0, [2, 2]);
    const before = await snapshot(loaded, [a, b, c, d]);
    // One variable for two loaded ones.
    const fewer = await rejection(() => applyArrays(loaded, new Map([[c, gradsA[3]]])));
    expect(fewer).toBeInstanceOf(StateDictError);
    for (const name of [a.name, b.name, c.name]) expect((fewer as Error).message).toContain(`"${name}"`);
    // Two, in an order whose shapes do not match the loaded ones'.
    const swapped = await rejection(() => applyArrays(loaded, new Map([[d, gradsB[3]], [c, gradsA[3]]])));
    expect(swapped).toBeInstanceOf(StateDictError);
    expect((swapped as Error).message).toContain(`"${d.name}"`);
    expect(await snapshot(loaded, [a, b, c, d])).toEqual(before);
    for (const v of [c, d]) expect(loaded.stateOf(v.name)).toBeUndefined();

    // In the loaded order they take it, as tf.train.rmsprop would, and follow the original optimizer.
    setValues(c, read(a));
    setValues(d, read(b));
    applyArrays(loaded, new Map([[c, gradsA[3]], [d, gradsB[3]]]));
    applyArrays(opt, new Map([[a, gradsA[3]], [b, gradsB[3]]]));
    expect([read(c), read(d)]).toEqual([read(a), read(b)]);
    expect([loaded.stateOf(c.name)?.step, loaded.stateOf(d.name)?.step]).toEqual([4, 4]);
    weights[0].tensor.dispose();
    for (const o of [opt, loaded]) o.dispose();
  });

  it('state loaded for a variable that no longer exists, while others matched by name: StateDictError at the step that would go on without it', async () => {
    const { opt, a, b, weights } = await trained();
    const loaded = new RMSPropTfjsOptimizer(config);
    await loaded.setWeights(weights);
    weights[0].tensor.dispose();
    opt.dispose();
    const e = makeVariable('newE', [1, 2]);
    // b still exists (not stepped now, say frozen): a continues and e, new, starts from fresh state.
    applyArrays(loaded, new Map<tf.Variable, ArrayLike<number>>([[a, gradsA[3]], [e, [0.5, -0.5]]]));
    expect([loaded.stateOf(a.name)?.step, loaded.stateOf(b.name)?.step, loaded.stateOf(e.name)?.step]).toEqual([4, 3, 1]);

    // Once b is gone, its loaded state belongs to no variable; a step with a variable that has no
    // state would continue with part of the checkpoint only.
    const again = new RMSPropTfjsOptimizer(config);
    const checkpoint = await loaded.getWeights();
    await again.setWeights(checkpoint.filter((w) => !w.name.startsWith(`${e.name}/`)));
    checkpoint[0].tensor.dispose();
    b.dispose();
    const f = makeVariable('newF', [3]);
    const before = await snapshot(again, [a, f]);
    const error = await rejection(() => applyArrays(again, new Map<tf.Variable, ArrayLike<number>>([[a, gradsA[4]], [f, [0.25]]])));
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toContain(`"${b.name}"`);
    expect((error as Error).message).toContain(`"${f.name}"`);
    expect(await snapshot(again, [a, f])).toEqual(before);
    // Without a new variable the step goes on (b's state waits for a variable of that name).
    applyArrays(again, new Map([[a, gradsA[4]]]));
    expect(again.stateOf(a.name)?.step).toBe(5);
    for (const o of [loaded, again]) o.dispose();
  });
});

describe('input errors leave everything unchanged', () => {
  it.each([
    ['epsilon', { learningRate: 0.01, epsilon: 1e-46 }],
    ['learningRate', { learningRate: 1e39 }],
    ['weightDecay', { learningRate: 0.01, weightDecay: Number.MAX_VALUE }],
    ['learningRate × weightDecay', { learningRate: 1e20, weightDecay: 1e20, decoupledWeightDecay: true }],
  ])('refuses %s that float32 cannot hold (NaN from zero gradients before), naming it', (field, options) => {
    let error: unknown;
    try {
      new RMSPropTfjsOptimizer(options as RMSPropTfjsOptimizerOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
  });

  it("refuses a schedule's η that float32 cannot hold at the step, with nothing changed", async () => {
    const w = tf.variable(tf.tensor1d([1, 2]), true, 'representable/w');
    const optimizer = new RMSPropTfjsOptimizer({ learningRate: 0.01, schedule: (t) => (t === 1 ? 0.01 : 1e39) });
    optimizer.applyGradients({ 'representable/w': tf.tensor1d([1, 1]) });
    const before = Array.from(w.dataSync());
    const weights = (await optimizer.getWeights()).map((x) => Array.from(x.tensor.dataSync()));
    expect(() => optimizer.applyGradients({ 'representable/w': tf.tensor1d([1, 1]) })).toThrow(ConfigError);
    expect(Array.from(w.dataSync())).toEqual(before);
    expect((await optimizer.getWeights()).map((x) => Array.from(x.tensor.dataSync()))).toEqual(weights);
    expect(optimizer.iterations).toBe(1);
    optimizer.dispose();
    w.dispose();
  });

  it('rejects an unknown option key, naming options.<key>', () => {
    const count = tf.memory().numTensors;
    let error: unknown;
    try {
      new RMSPropTfjsOptimizer({ learningRate: 0.01, learning_rate: 0.1 } as unknown as RMSPropTfjsOptimizerOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).field).toBe('options.learning_rate');
    expect(() => new RMSPropTfjsOptimizer({ schedule: 0.1 } as unknown as RMSPropTfjsOptimizerOptions)).toThrow(ArgumentError);
    expect(tf.memory().numTensors).toBe(count);
  });

  it.each([
    ['rho', { rho: 1 }],
    ['learningRate', { learningRate: -0.1 }],
    ['epsilon', { epsilon: 0 }],
    ['momentum', { momentum: 1 }],
    ['nesterov', { nesterov: true }],
    ['epsilonPlacement', { epsilonPlacement: 'under' }],
    ['centered', { centered: 'yes' }],
  ])('rejects an invalid %s with a ConfigError naming it', (field, options) => {
    let error: unknown;
    try {
      new RMSPropTfjsOptimizer(options as unknown as RMSPropTfjsOptimizerOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
  });

  /** Three variables with two steps of state, and a fourth that has none yet. */
  async function setup(): Promise<{
    opt: RMSPropTfjsOptimizer;
    vars: tf.Variable[];
    snapshot: () => Promise<unknown>;
  }> {
    const opt = new RMSPropTfjsOptimizer({ ...tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true }), biasCorrection: true });
    const vars = [makeVariable('errA', [1, 2, 3]), makeVariable('errB', [4, 5], [2, 1]), makeVariable('errC', [-1, -2, -3, -4], [2, 2]), makeVariable('errD', [7])];
    const g = rng(9);
    for (let s = 0; s < 2; s++) applyArrays(opt, new Map(vars.slice(0, 3).map((v) => [v, uniform(g, v.size, -1, 1)])));
    const snapshot = async (): Promise<unknown> => ({
      values: vars.map((v) => Array.from(read(v))),
      weights: await weightsSnapshot(opt),
      iterations: opt.iterations,
      steps: vars.map((v) => opt.stateOf(v.name)?.step),
      tensors: tf.memory().numTensors,
    });
    return { opt, vars, snapshot };
  }

  it('a gradient whose shape differs from its variable, among valid ones: ShapeError, nothing changed', async () => {
    const { opt, vars, snapshot } = await setup();
    const before = await snapshot();
    const [a, b, c, d] = vars;
    const grads = { [a.name]: tf.ones([3]), [d.name]: tf.ones([1]), [b.name]: tf.ones([2]), [c.name]: tf.ones([2, 2]) };
    let error: unknown;
    try {
      opt.applyGradients(grads);
    } catch (e) {
      error = e;
    }
    tf.dispose(Object.values(grads));
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as ShapeError).parameter).toBe(b.name);
    expect(await snapshot()).toEqual(before);
    expect(opt.stateOf(d.name)).toBeUndefined();
    opt.dispose();
  });

  it('a gradient of another dtype: ShapeError, nothing changed', async () => {
    const { opt, vars, snapshot } = await setup();
    const before = await snapshot();
    const grads = [
      { name: vars[0].name, tensor: tf.ones([3]) },
      { name: vars[1].name, tensor: tf.ones([2, 1], 'int32') },
    ];
    expect(() => opt.applyGradients(grads)).toThrow(ShapeError);
    tf.dispose(grads.map((g) => g.tensor));
    expect(await snapshot()).toEqual(before);
    opt.dispose();
  });

  it('an unregistered variable name: ArgumentError, nothing changed', async () => {
    const { opt, vars, snapshot } = await setup();
    const before = await snapshot();
    const grads = { [vars[0].name]: tf.ones([3]), [vars[3].name]: tf.ones([1]), 'no such variable': tf.ones([3]) };
    let error: unknown;
    try {
      opt.applyGradients(grads);
    } catch (e) {
      error = e;
    }
    tf.dispose(Object.values(grads));
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as Error).message).toContain('no such variable');
    expect(await snapshot()).toEqual(before);
    expect(opt.stateOf(vars[3].name)).toBeUndefined();
    opt.dispose();
  });

  it('a schedule returning NaN: ArgumentError, nothing changed', async () => {
    const opt = new RMSPropTfjsOptimizer({ learningRate: 0.01, schedule: (t) => (t < 3 ? 0.01 : Number.NaN) });
    const v = makeVariable('schedV', [1, 2]);
    const w = makeVariable('schedW', [3]);
    applyArrays(opt, new Map([[v, [0.1, 0.2]]]));
    applyArrays(opt, new Map([[v, [0.1, 0.2]]]));
    const values = [read(v), read(w)];
    const weights = await weightsSnapshot(opt);
    expect(() => applyArrays(opt, new Map([[v, [0.1, 0.2]], [w, [1]]]))).toThrow(ArgumentError);
    expect([read(v), read(w)]).toEqual(values);
    expect(await weightsSnapshot(opt)).toEqual(weights);
    expect(opt.stateOf(w.name)).toBeUndefined();
    opt.dispose();
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 5],
    ['a string', 'w'],
    ['true', true],
    ['an array with null', [null]],
    ['an array with a string', ['w']],
    ['an array with a nameless entry', [{ tensor: 1 }]],
  ])('applyGradients(%s): ArgumentError, nothing changed', async (_label, bad) => {
    const { opt, snapshot } = await setup();
    const before = await snapshot();
    expect(() => opt.applyGradients(bad as tf.NamedTensorMap)).toThrow(ArgumentError);
    expect(await snapshot()).toEqual(before);
    opt.dispose();
  });

  it('a disposed gradient tensor among valid ones: ArgumentError naming it, nothing changed', async () => {
    const { opt, vars, snapshot } = await setup();
    const before = await snapshot();
    const [a, b, , d] = vars;
    const disposed = tf.ones([2, 1]);
    disposed.dispose();
    const grads = { [d.name]: tf.ones([1]), [a.name]: tf.ones([3]), [b.name]: disposed };
    let error: unknown;
    try {
      opt.applyGradients(grads);
    } catch (e) {
      error = e;
    }
    tf.dispose(Object.values(grads));
    expect(error).toBeInstanceOf(ArgumentError);
    expect((error as ArgumentError).field).toBe(`variableGradients["${b.name}"]`);
    expect((error as Error).message).toContain('disposed');
    expect(await snapshot()).toEqual(before);
    expect(opt.stateOf(d.name)).toBeUndefined();
    opt.dispose();
  });

  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    'a gradient named %s (a member every object inherits, no variable): ArgumentError, nothing changed',
    async (name) => {
      const { opt, vars, snapshot } = await setup();
      const before = await snapshot();
      const g = tf.ones([3]);
      const map: tf.NamedTensorMap = { [vars[0].name]: g };
      Object.defineProperty(map, name, { value: g, enumerable: true });
      for (const given of [map, [{ name: vars[0].name, tensor: g }, { name, tensor: g }]]) {
        let error: unknown;
        try {
          opt.applyGradients(given);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as ArgumentError).field).toBe(`variableGradients["${name}"]`);
      }
      g.dispose();
      expect(await snapshot()).toEqual(before);
      opt.dispose();
    },
  );

  it.each(['applyGradients', 'setWeights', 'dispose'])(
    '%s from the schedule during a step: ReentrancyError, and the step applies its own gradient once',
    async (operation) => {
      const w = tf.variable(tf.tensor1d([1, 2]), true);
      const inner: unknown[] = [];
      let weights: NamedTensor[] = [];
      const reenter: Record<string, () => unknown> = {
        applyGradients: () => opt.applyGradients({ [w.name]: tf.tensor1d([100, 100]) }),
        setWeights: () => opt.setWeights(weights),
        dispose: () => opt.dispose(),
      };
      const opt: RMSPropTfjsOptimizer = new RMSPropTfjsOptimizer({
        ...tfjsPreset({ learningRate: 0.5, decay: 0, epsilon: 2 }),
        schedule: () => {
          try {
            const result = reenter[operation]();
            if (result instanceof Promise) result.catch((e: unknown) => inner.push(e));
          } catch (e) {
            inner.push(e);
          }
          return 0.5;
        },
      });
      weights = await opt.getWeights();
      const g = tf.tensor1d([2, -2]);
      opt.applyGradients({ [w.name]: g });
      await Promise.resolve();
      expect(inner).toHaveLength(1);
      expect(inner[0]).toBeInstanceOf(ReentrancyError);
      expect((inner[0] as ReentrancyError).message).toBe(
        `RMSPropTfjsOptimizer.${operation}() was called while its applyGradients() runs (from a schedule or a gradient getter); call it after applyGradients() returns`,
      );
      // ρ = 0, ε = 2 (tfjs places ε inside the root: d = √(4 + 2)): one step of η·g/√6 against g = (2, −2).
      const step = Math.fround(0.5 * 2 / Math.fround(Math.sqrt(6)));
      const got = Array.from(read(w));
      expect(got[0]).toBeCloseTo(1 - step, 6);
      expect(got[1]).toBeCloseTo(2 + step, 6);
      expect(opt.iterations).toBe(1);
      expect(opt.stateOf(w.name)!.step).toBe(1);
      // Usable again once the step returned.
      opt.applyGradients({ [w.name]: g });
      expect(opt.iterations).toBe(2);
      tf.dispose([g, w]);
      opt.dispose();
    },
  );

  it('setWeights for variables named like inherited members (constructor/rms, toString/rms) keeps them as names', async () => {
    const opt = new RMSPropTfjsOptimizer(tfjsPreset({ learningRate: 0.01 }));
    const iter = tf.scalar(4, 'int32');
    const rms = [tf.fill([3], 0.5), tf.fill([2], 0.25)];
    await opt.setWeights([
      { name: 'iter', tensor: iter },
      { name: 'constructor/rms', tensor: rms[0] },
      { name: 'toString/rms', tensor: rms[1] },
    ]);
    expect(opt.iterations).toBe(4);
    expect(Array.from(read(opt.stateOf('constructor')!.meanSquare))).toEqual([0.5, 0.5, 0.5]);
    expect(opt.stateOf('toString')!.meanSquare.shape).toEqual([2]);
    expect(opt.stateOf('valueOf')).toBeUndefined();
    tf.dispose([iter, ...rms]);
    opt.dispose();
  });

  it.each<[string, number[], number, string]>([
    ['a negative mean square', [0.5, 0.25, -0.5], 2, '-0.5'],
    ['a mean square of −∞', [-Infinity, 1, 1], 0, '-Infinity'],
    ['a mean square of −1e-30', [1, -1e-30, 1], 1, String(Math.fround(-1e-30))],
  ])('setWeights with %s: StateDictError naming the weight, index and value, nothing changed', async (_label, values, index, shown) => {
    const { opt, vars, snapshot } = await setup();
    const before = await snapshot();
    const [a, b] = vars;
    const iter = tf.scalar(9, 'int32');
    const given = [tf.tensor(Float32Array.from(values)), tf.ones([2, 1])];
    let error: unknown;
    try {
      await opt.setWeights([
        { name: 'iter', tensor: iter },
        { name: `${b.name}/rms`, tensor: given[1] },
        { name: `${a.name}/rms`, tensor: given[0] },
      ]);
    } catch (e) {
      error = e;
    }
    tf.dispose([iter, ...given]);
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toContain(`"${a.name}/rms"`);
    expect((error as Error).message).toContain(`[${index}]`);
    expect((error as Error).message).toContain(` ${shown}`);
    expect(await snapshot()).toEqual(before);
    opt.dispose();
  });

  it.each([2 ** 31, 2 ** 40])("setWeights with iter = %d (beyond tfjs's int32 iteration count): StateDictError, nothing changed", async (count) => {
    const { opt, vars, snapshot } = await setup();
    const before = await snapshot();
    const iter = tf.scalar(count, 'float32');
    const rms = tf.ones([3]);
    let error: unknown;
    try {
      await opt.setWeights([
        { name: 'iter', tensor: iter },
        { name: `${vars[0].name}/rms`, tensor: rms },
      ]);
    } catch (e) {
      error = e;
    }
    tf.dispose([iter, rms]);
    expect(error).toBeInstanceOf(StateDictError);
    expect((error as Error).message).toContain(String(count));
    expect((error as Error).message).toContain('2147483647');
    expect(await snapshot()).toEqual(before);
    opt.dispose();
  });
});

describe('every preset against the spec', () => {
  const presets: [string, Readonly<RMSPropConfig>][] = [
    ['pytorch (momentum, coupled weight decay, centered)', pytorchPreset({ lr: 0.01, momentum: 0.9, weight_decay: 0.05, centered: true })],
    ['keras (momentum, decoupled weight decay)', kerasPreset({ learning_rate: 0.01, momentum: 0.9, weight_decay: 0.05 })],
    ['tf1 (momentum, v from 1)', tf1Preset({ learning_rate: 0.01, momentum: 0.9 })],
    // initial_scale 0.1: from v = 0, centered with bias correction has s = v̂ − m̂² = 0 exactly at t = 1 and
    // near 0 while the first gradients are alike; tfjs's float32 ops then leave rounding noise (~1e-7·g²) where
    // the spec has 0 or a small variance, which swamps ε (measured: 13% of 10⁴ elements beyond the tolerance
    // at t = 1, up to 1.5e7 ulps; 1540 ulps on this vector at t = 2, where the first two gradients of
    // element 0 are 1.815 and 1.828). That is float32 cancellation in tfjs-update.ts's ops, not this
    // optimizer's doing, and it is not covered by a tolerance. With v from 0.1, s stays well away from 0.
    [
      'optax (nesterov, bias correction, centered, initial_scale 0.1)',
      optaxPreset({ learning_rate: 0.01, momentum: 0.9, nesterov: true, bias_correction: true, centered: true, initial_scale: 0.1 }),
    ],
    ['tfjs (centered, momentum)', tfjsPreset({ learningRate: 0.01, momentum: 0.9, centered: true })],
  ];
  const initial = [1.5, -0.75, 0.25, -2, 0.01, 3];
  const next = rng(2718);
  // Mixed magnitudes and signs, and a gradient element that is 0 on every other step.
  const grads = Array.from({ length: 10 }, (_, step) => {
    const g = uniform(next, initial.length, -2, 2);
    g[1] *= 1e-3;
    if (step % 2 === 0) g[4] = 0;
    return g;
  });

  it.each(presets)('%s: 10 steps match referenceStep', (label, config) => {
    const opt = new RMSPropTfjsOptimizer(config);
    const v = makeVariable('preset', initial);
    const actual: Float32Array[] = [];
    for (const g of grads) {
      applyArrays(opt, new Map([[v, g]]));
      actual.push(read(v));
    }
    const reference = referenceTrajectory(config, initial, grads);
    const ulps = trajectoryUlps(initial, reference.params, actual);
    const s = opt.stateOf(v.name)!;
    const stateUlps = Math.max(
      bufferUlps(reference.state.meanSquare, read(s.meanSquare)),
      reference.state.meanGrad ? bufferUlps(reference.state.meanGrad, read(s.meanGrad!)) : 0,
      reference.state.momentum ? bufferUlps(reference.state.momentum, read(s.momentum!)) : 0,
    );
    report(`preset ${label}: ulps from the spec (θ, final state)`, [ulps, stateUlps]);
    expect(ulps).toBeLessThanOrEqual(TOLERANCE_ULPS);
    expect(stateUlps).toBeLessThanOrEqual(TOLERANCE_ULPS);
    // The run moved θ well beyond the tolerance (a no-op optimizer would fail above).
    expect(trajectoryUlps(initial, reference.params, reference.params.map(() => initial))).toBeGreaterThan(1000 * TOLERANCE_ULPS);
    opt.dispose();
  });
});
