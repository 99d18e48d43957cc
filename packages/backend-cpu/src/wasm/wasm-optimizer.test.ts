/**
 * RMSPropOptimizer (@rmsprop/core) on the WebAssembly kernel: the arena's own views (`inPlace: false`) and
 * what happens to them as the arena grows, the gradient buffer, mirrored caller arrays (the default
 * `inPlace`), several groups with different configs, dtypes and schedules in one optimizer (the backend's
 * run-splitting, as the optimizer drives it), and state dicts moving between the WebAssembly and JS kernels.
 */
import {
  cosineSchedule,
  exponentialSchedule,
  RMSPropOptimizer,
  type FloatArray,
  type ParameterGroup,
  type RMSPropBackend,
  type RMSPropConfig,
  type RMSPropOptimizerOptions,
  type RMSPropStateDict,
} from '@rmsprop/core';
import { variantIndexOf } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { bytesOf, firstMismatch } from '../__fixtures__/compare.js';
import { Rng } from '../__fixtures__/random.js';
import { createCpuBackend } from '../create-cpu-backend.js';
import { FLOAT32_OPS, modelState, modelStep, wasmTestBackend, type ModelState } from './__fixtures__/wasm-fixtures.js';
import { overArena } from './__fixtures__/over-arena.js';

type Params = Record<string, FloatArray>;

/** Fresh copies of `params` (same dtypes). */
const copy = (params: Params): Params => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.slice()]));

/** A gradient for every parameter of `opt`, from `rng` (same dtypes and lengths). */
function gradients(rng: Rng, opt: RMSPropOptimizer): Params {
  return Object.fromEntries(
    opt.parameterNames.map((name) => {
      const p = opt.parameter(name);
      return [name, p instanceof Float32Array ? rng.normals32(p.length) : rng.normals64(p.length)];
    }),
  );
}

/** Null when every parameter and the whole state dict of `a` equal `b`'s (Object.is per element). */
function optimizerMismatch(a: RMSPropOptimizer, b: RMSPropOptimizer, where: string, names = a.parameterNames): string | null {
  for (const name of names) {
    const m = firstMismatch(a.parameter(name), b.parameter(name), `${where} ${name} θ`);
    if (m !== null) return m;
  }
  const da = a.stateDict();
  const db = b.stateDict();
  for (const name of names) {
    const x = JSON.stringify(da.state[name]);
    const y = JSON.stringify(db.state[name]);
    if (x !== y) return `${where} ${name} state: ${x.slice(0, 200)} vs ${y.slice(0, 200)}`;
  }
  return null;
}

describe('inPlace: false — the arena\'s own views', () => {
  it('parameter(name) is a view of the arena memory (a SharedArrayBuffer), and every step updates it in place', async () => {
    const { backend, arena } = await wasmTestBackend();
    const js = await createCpuBackend({ kernel: 'js' });
    const rng = new Rng(1);
    const init: Params = { w: rng.normals64(1000), h: rng.normals64(3) };
    const options = { inPlace: false, momentum: 0.9, centered: true, learningRate: 0.01 };
    const opt = new RMSPropOptimizer({ backend, params: copy(init), ...options });
    const twin = new RMSPropOptimizer({ backend: js, params: copy(init), ...options });
    const w = opt.parameter('w');
    expect(overArena(w, arena)).toBe(true);
    expect(overArena(opt.parameter('h'), arena)).toBe(true);
    for (let t = 1; t <= 5; t++) {
      const g = gradients(rng, opt);
      opt.step(g);
      twin.step(g);
      expect(opt.parameter('w')).toBe(w); // the same view every time
      const m = optimizerMismatch(opt, twin, `t=${t}`);
      if (m !== null) expect.fail(m);
    }
  });

  it('views made before the arena grows keep their full length and see every later update (many more and larger slots)', async () => {
    const { backend, arena } = await wasmTestBackend();
    const js = await createCpuBackend({ kernel: 'js' });
    const rng = new Rng(2);
    const init: Params = { w: rng.normals64(777), h: rng.normals32(33) };
    const options = { inPlace: false, momentum: 0.5, learningRate: 0.01 };
    const opt = new RMSPropOptimizer({ backend, params: copy(init), ...options });
    const twin = new RMSPropOptimizer({ backend: js, params: copy(init), ...options });
    const ref32 = new RMSPropOptimizer({ backend: await createCpuBackend(), params: copy(init), ...options }); // float32: wasm, never grown
    const w = opt.parameter('w');
    const h = opt.parameter('h');
    const gw = opt.gradientBuffer('w')!;
    const before = arena.memory.buffer.byteLength;
    const step = () => {
      const g = gradients(rng, opt);
      for (const o of [opt, twin, ref32]) o.step(g);
    };
    step();
    // Grow the arena: 40 more optimizers' worth of slots, the last ones large (3 × 2M float64 = 48 MiB each).
    const others: RMSPropOptimizer[] = [];
    for (let i = 0; i < 40; i++) {
      const n = i < 37 ? 1000 * (i + 1) : 2_000_000;
      others.push(new RMSPropOptimizer({ backend, inPlace: false, params: { [`big${i}`]: new Float64Array(n).fill(1) }, learningRate: 0.1 }));
      if (i % 10 === 0) step(); // steps between the growths too
    }
    expect(arena.memory.buffer.byteLength).toBeGreaterThan(before + 100 * 1024 * 1024);
    // The old views: same objects, full length, over the old (shorter) SharedArrayBuffer of the same memory.
    expect(opt.parameter('w')).toBe(w);
    expect(w.length).toBe(777);
    expect(h.length).toBe(33);
    expect(gw.length).toBe(777);
    expect(w.buffer.byteLength).toBe(before);
    expect(w.buffer).not.toBe(arena.memory.buffer);
    new Float64Array(arena.memory.buffer, w.byteOffset, 777)[776] = 0.5; // a write through the grown memory …
    expect(w[776]).toBe(0.5); // … is seen through the old view
    for (const o of [twin]) o.writeParameter('w', w); // (keep the twin in step with that write)
    ref32.writeParameter('w', w);
    for (let t = 0; t < 5; t++) {
      step();
      expect(firstMismatch(w, twin.parameter('w'), 'w after growth')).toBeNull();
      expect(firstMismatch(h, ref32.parameter('h'), 'h after growth')).toBeNull();
    }
    // The big slots work too, and their views are the live values.
    const big = others.at(-1)!;
    const name = big.parameterNames[0];
    const view = big.parameter(name);
    big.step({ [name]: new Float64Array(view.length).fill(1) });
    expect(view[view.length - 1]).toBeLessThan(1);
    expect(view[0]).toBe(view[view.length - 1]);
  });

  it('gradientBuffer(name) is a view of the arena: filling it and passing it gives the result of passing a separate array', async () => {
    const { backend, arena } = await wasmTestBackend();
    const rng = new Rng(3);
    const init: Params = { w: rng.normals64(101), h: rng.normals32(9) };
    const options = { momentum: 0.9, nesterov: true, biasCorrection: true, learningRate: 0.02 };
    for (const inPlace of [false, true]) {
      const a = new RMSPropOptimizer({ backend, params: copy(init), inPlace, ...options });
      const b = new RMSPropOptimizer({ backend, params: copy(init), inPlace, ...options });
      const buffers = { w: a.gradientBuffer('w')!, h: a.gradientBuffer('h')! };
      expect(buffers.w).toBeInstanceOf(Float64Array);
      expect(buffers.h).toBeInstanceOf(Float32Array);
      expect(buffers.w.length).toBe(101);
      expect(overArena(buffers.w, arena)).toBe(true);
      expect(a.gradientBuffer('w')).toBe(buffers.w);
      for (let t = 1; t <= 10; t++) {
        const g = gradients(rng, a);
        buffers.w.set(g.w);
        buffers.h.set(g.h);
        a.step(buffers);
        b.step(g);
        // The kernel reads the buffer and leaves it as it was.
        expect(firstMismatch(buffers.w, g.w)).toBeNull();
        const m = optimizerMismatch(a, b, `inPlace ${inPlace}, t=${t}`);
        if (m !== null) expect.fail(m);
      }
    }
  });
});

describe('inPlace (the default) — mirrored caller arrays', () => {
  it('the caller\'s array is parameter(name), updated in place by every step, and writes to it between steps are used', async () => {
    const rng = new Rng(4);
    const user: Params = { w: rng.normals64(37), h: rng.normals32(21) };
    const init = copy(user);
    const options = { momentum: 0.9, centered: true, learningRate: 0.01, weightDecay: 0.01 };
    const wasm = await createCpuBackend();
    const opt = new RMSPropOptimizer({ backend: wasm, params: user, ...options });
    // Expected: float64 from the JS kernel (adopting its own copy), float32 from the arena's own view.
    const twin = new RMSPropOptimizer({ backend: await createCpuBackend({ kernel: 'js' }), params: copy(init), ...options });
    const view = new RMSPropOptimizer({ backend: await createCpuBackend(), params: copy(init), inPlace: false, ...options });
    expect(opt.parameter('w')).toBe(user.w);
    expect(opt.parameter('h')).toBe(user.h);
    for (let t = 1; t <= 12; t++) {
      if (t % 4 === 0) {
        // The caller changes its arrays between steps (as a training loop might, e.g. clipping).
        for (const o of [twin, view]) {
          o.parameter('w')[t] = 0.125 * t;
          o.parameter('h')[t] = -0.5 * t;
        }
        user.w[t] = 0.125 * t;
        user.h[t] = -0.5 * t;
      }
      const g = gradients(rng, opt);
      opt.step(g);
      twin.step(g);
      view.step(g);
      expect(opt.parameter('w')).toBe(user.w);
      expect(firstMismatch(user.w, twin.parameter('w'), `t=${t} w`)).toBeNull();
      expect(firstMismatch(user.h, view.parameter('h'), `t=${t} h`)).toBeNull();
      expect(firstMismatch(opt.readParameter('w'), user.w)).toBeNull();
    }
    // writeParameter reaches both the arena and the caller's array.
    opt.writeParameter('w', new Float64Array(37).fill(2));
    expect(Array.from(user.w)).toEqual(Array(37).fill(2));
    twin.writeParameter('w', new Float64Array(37).fill(2));
    const g = gradients(rng, opt);
    opt.step(g);
    twin.step(g);
    expect(firstMismatch(user.w, twin.parameter('w'))).toBeNull();
    // Disposing leaves the caller's array to the caller, with the last values.
    const last = bytesOf(user.w);
    opt.dispose();
    expect(bytesOf(user.w)).toEqual(last);
  });
});

describe("inPlace: 'read-only' — mirrored out, not in", () => {
  it('gives the bits of the default mirroring when the caller does not write its arrays, on both kernels; a write of the caller is overwritten', async () => {
    for (const kernel of ['wasm-simd', 'js'] as const) {
      const run = async (inPlace: true | 'read-only') => {
        const backend = await createCpuBackend({ kernel });
        const w = Float32Array.from({ length: 37 }, (_, i) => Math.sin(i));
        const optimizer = new RMSPropOptimizer({ backend, params: { w }, inPlace, learningRate: 0.05, momentum: 0.5 });
        expect(optimizer.parameter('w')).toBe(w);
        for (let t = 0; t < 5; t++) optimizer.step({ w: Float32Array.from({ length: 37 }, (_, i) => Math.cos(i * (t + 1))) });
        // writeParameter is the way to write: the mirror and the backend both see it.
        optimizer.writeParameter('w', new Float32Array(37).fill(0.25));
        optimizer.step({ w: new Float32Array(37).fill(1) });
        return { w, optimizer, backend };
      };
      const mirrored = await run(true);
      const readOnly = await run('read-only');
      expect(bytesOf(readOnly.w)).toEqual(bytesOf(mirrored.w));
      expect(readOnly.optimizer.stateDict()).toEqual(mirrored.optimizer.stateDict());
      // A direct write between steps: seen with true; with 'read-only' the WebAssembly kernel does not copy it in.
      for (const r of [mirrored, readOnly]) {
        r.w.fill(100);
        r.optimizer.step({ w: new Float32Array(37).fill(1) });
      }
      expect(mirrored.w[0]).toBeGreaterThan(99);
      if (kernel === 'wasm-simd') expect(readOnly.w[0]).toBeLessThan(1);
      else expect(readOnly.w[0]).toBeGreaterThan(99); // the JS loops' storage is the array itself
      for (const r of [mirrored, readOnly]) {
        r.optimizer.dispose();
        r.backend.dispose();
      }
    }
  });
});

describe('groups with different configs, dtypes and schedules in one optimizer', () => {
  it('float64 equals the JS kernel and float32 equals float32 arithmetic, bit for bit, with one kernel call per run', async () => {
    const rng = new Rng(5);
    const A: Partial<RMSPropConfig> = { momentum: 0.9, centered: true, rho: 0.95 };
    const B: Partial<RMSPropConfig> = { rho: 0.5, epsilonPlacement: 'inside', epsilon: 1e-6, weightDecay: 0.01, decoupledWeightDecay: true, biasCorrection: true, momentum: 0.3, learningRateInMomentum: true, initialMeanSquare: 0.1 };
    const C: Partial<RMSPropConfig> = { momentum: 0.5, nesterov: true, maximize: true, weightDecay: 1e-3 };
    const warm = cosineSchedule({ initial: 0.05, totalSteps: 30, minimum: 0.001 });
    const init = {
      a1: rng.normals64(7),
      a2: rng.normals64(9),
      a3: rng.normals64(3),
      b1: rng.normals64(5),
      bh: rng.normals32(6),
      c1: rng.normals32(33),
      c2: rng.normals64(17),
      a4: rng.normals64(4),
      a5: rng.normals32(8),
    };
    const groups = (): ParameterGroup[] => {
      const p = copy(init);
      return [
        { name: 'A1', params: { a1: p.a1, a2: p.a2 }, ...A, schedule: warm },
        { name: 'A2', params: { a3: p.a3 }, ...A, schedule: warm }, // the same config and η as A1, right after it: one call with A1
        { name: 'B', params: { b1: p.b1, bh: p.bh }, ...B }, // float64 then float32: two calls
        { name: 'C', params: { c1: p.c1, c2: p.c2 }, ...C, schedule: exponentialSchedule({ initial: 0.02, gamma: 0.9 }) },
        { name: 'A3', params: { a4: p.a4, a5: p.a5 }, ...A }, // A's variant, the optimizer's schedule: another call per dtype
      ];
    };
    const options = (backend: RMSPropBackend): RMSPropOptimizerOptions => ({
      backend,
      learningRate: 0.01,
      schedule: (t) => 0.01 / Math.sqrt(t),
      groups: groups(),
    });
    const { backend, calls } = await wasmTestBackend();
    const opt = new RMSPropOptimizer(options(backend));
    const twin = new RMSPropOptimizer(options(await createCpuBackend({ kernel: 'js' })));
    // float32 parameters: the f32x4 arithmetic, modelled per parameter with its group's config and η.
    const float32 = ['bh', 'c1', 'a5'];
    const models = new Map<string, { config: Readonly<RMSPropConfig>; group: number; params: Float64Array; state: ModelState }>();
    opt.groups.forEach((group, gi) => {
      for (const name of group.params) {
        if (!float32.includes(name)) continue;
        models.set(name, { config: group.config, group: gi, params: Float64Array.from(opt.parameter(name)), state: modelState(group.config, opt.parameter(name).length, FLOAT32_OPS) });
      }
    });
    const float64 = opt.parameterNames.filter((n) => !float32.includes(n));
    const variant = (g: number) => variantIndexOf(opt.groups[g].config);
    for (let t = 1; t <= 30; t++) {
      const rates = opt.learningRates();
      const override = t === 17 ? 0.003 : undefined; // one step with an explicit η for every group
      const g = gradients(rng, opt);
      calls.length = 0;
      opt.step(g, override === undefined ? undefined : { learningRate: override });
      twin.step(g, override === undefined ? undefined : { learningRate: override });
      for (const [name, model] of models) modelStep(model.config, override ?? rates[model.group], t, model.params, g[name], model.state, FLOAT32_OPS);
      const m =
        optimizerMismatch(opt, twin, `t=${t}`, float64) ??
        [...models].map(([name, model]) => firstMismatch(opt.parameter(name), model.params, `t=${t} ${name} θ`)).find((x) => x !== null) ??
        null;
      if (m !== null) expect.fail(m);
      // A1 and A2 share config and η: one call. B, C and A3 each hold both dtypes: a call per dtype. A3 has
      // A1's variant but not its η (or, at t = 17, comes after other runs): its own calls.
      expect(calls.map((c) => [c.variant, c.dtype, c.count])).toEqual([
        [variant(0), 'float64', 3],
        [variant(2), 'float64', 1],
        [variant(2), 'float32', 1],
        [variant(3), 'float32', 1],
        [variant(3), 'float64', 1],
        [variant(4), 'float64', 1],
        [variant(4), 'float32', 1],
      ]);
    }
    expect(variant(0)).toBe(variant(4));
    const state = opt.stateDict().state;
    for (const name of float32) {
      const model = models.get(name)!;
      expect(state[name].meanSquare).toEqual(Array.from(model.state.meanSquare));
    }
  });
});

describe('state dicts move between the WebAssembly and JS kernels', () => {
  const groups = (init: Params): ParameterGroup[] => {
    const p = copy(init);
    return [
      { name: 'heavy', params: { w: p.w, v: p.v }, momentum: 0.9, nesterov: true, centered: true, schedule: cosineSchedule({ initial: 0.05, totalSteps: 40, minimum: 0.001 }) },
      { name: 'light', params: { b: p.b }, biasCorrection: true, weightDecay: 0.01, decoupledWeightDecay: true, rho: 0.8, momentum: 0.5, learningRateInMomentum: true },
      { name: 'plain', params: { c: p.c }, epsilonPlacement: 'inside', maximize: true, initialMeanSquare: 0.5 },
    ];
  };

  /** 40 steps of fixed gradients; `moveAt` (if set): after that many steps, save, load into `to` with the parameters copied, go on there. */
  async function run(init: Params, from: () => Promise<RMSPropBackend>, to: () => Promise<RMSPropBackend>, moveAt: number | null, gradientsAt: (t: number) => Params) {
    let opt = new RMSPropOptimizer({ backend: await from(), learningRate: 0.01, groups: groups(init) });
    for (let t = 1; t <= 40; t++) {
      if (moveAt !== null && t === moveAt + 1) {
        const saved: RMSPropStateDict = JSON.parse(JSON.stringify(opt.stateDict())); // as if written to disk
        const params = Object.fromEntries(opt.parameterNames.map((n) => [n, opt.readParameter(n)]));
        const next = new RMSPropOptimizer({ backend: await to(), learningRate: 0.01, groups: groups(params) });
        next.loadStateDict(saved);
        expect(next.stepCount).toBe(moveAt);
        expect(next.stateDict()).toEqual(opt.stateDict());
        opt.dispose();
        opt = next;
      }
      opt.step(gradientsAt(t));
    }
    return opt;
  }

  const wasm = () => createCpuBackend({ kernel: 'wasm-simd' });
  const js = () => createCpuBackend({ kernel: 'js' });

  it.each([
    ['wasm → js', wasm, js],
    ['js → wasm', js, wasm],
    ['wasm → wasm (a new backend)', wasm, wasm],
  ] as const)('%s after 20 steps, 20 more: float64 bit-identical to never having moved', async (_, from, to) => {
    const rng = new Rng(6);
    const init: Params = { w: rng.normals64(33), v: rng.normals64(4), b: rng.normals64(9), c: rng.normals64(1) };
    const grads = Array.from({ length: 41 }, () => ({ w: rng.normals64(33), v: rng.normals64(4), b: rng.normals64(9), c: rng.normals64(1) }));
    const stayed = await run(init, from, from, null, (t) => grads[t]);
    const moved = await run(init, from, to, 20, (t) => grads[t]);
    expect(moved.backend.capabilities.details.kernel).toBe(to === wasm ? 'wasm-simd' : 'js');
    const m = optimizerMismatch(moved, stayed, 'after 40 steps');
    if (m !== null) expect.fail(m);
    expect(moved.stateDict()).toEqual(stayed.stateDict());
  });

  it('float32: wasm → wasm continues bit for bit, and wasm → js loads exactly the saved float32 state', async () => {
    const rng = new Rng(7);
    const init: Params = { w: rng.normals32(33), v: rng.normals32(4), b: rng.normals32(9), c: rng.normals32(1) };
    const grads = Array.from({ length: 41 }, () => ({ w: rng.normals32(33), v: rng.normals32(4), b: rng.normals32(9), c: rng.normals32(1) }));
    const stayed = await run(init, wasm, wasm, null, (t) => grads[t]);
    const moved = await run(init, wasm, wasm, 20, (t) => grads[t]);
    const m = optimizerMismatch(moved, stayed, 'float32 after 40 steps');
    if (m !== null) expect.fail(m);
    // To the JS kernel: the state and parameters arrive exactly (float32 values survive JSON as numbers).
    const source = await run(init, wasm, wasm, null, (t) => grads[t]);
    const dict = JSON.parse(JSON.stringify(source.stateDict()));
    const params = Object.fromEntries(source.parameterNames.map((n) => [n, source.readParameter(n)]));
    const target = new RMSPropOptimizer({ backend: await js(), learningRate: 0.01, groups: groups(params) });
    target.loadStateDict(dict);
    expect(target.stateDict()).toEqual(source.stateDict());
    for (const n of source.parameterNames) expect(bytesOf(target.parameter(n))).toEqual(bytesOf(source.parameter(n)));
  });
});
