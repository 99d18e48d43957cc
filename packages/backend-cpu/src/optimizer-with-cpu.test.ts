/**
 * RMSPropOptimizer (@rmsprop/core) on the real CPU backend: a small training run against the float64
 * reference group by group (float32 parameters against float32 arithmetic), atomicity of every kind of bad step, the non-finite policies, zero-copy access,
 * and state-dict round trips across dtypes.
 */
import {
  ArgumentError,
  cosineSchedule,
  createReferenceState,
  DisposedError,
  exponentialSchedule,
  linearWarmupSchedule,
  NonFiniteGradientError,
  ParameterNameError,
  referenceStep,
  resolveConfig,
  RMSPropOptimizer,
  ShapeError,
  type FloatArray,
  type LearningRateSchedule,
  type ParameterGroup,
  type ReferenceState,
  type RMSPropConfig,
  type RMSPropOptimizerOptions,
  type RMSPropStateDict,
} from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { bytesOf, firstMismatch } from './__fixtures__/compare.js';
import { expectError } from './__fixtures__/expect-error.js';
import { Rng } from './__fixtures__/random.js';
import { JsLoopBackend } from './js-loop-backend.js';
import { FLOAT32_OPS, modelStep } from './wasm/__fixtures__/wasm-fixtures.js';

/**
 * A model for the reference: each parameter's float64 θ and state under its group's config, η per group
 * from the group's schedule, else the optimizer's, else the config (an explicit override wins). float64
 * parameters step with `referenceStep`; float32 parameters with float32 arithmetic, every operation rounded
 * to float32 (`modelStep` with FLOAT32_OPS: what the backend computes on float32 data bit for bit, see
 * js-loop-backend.test.ts and wasm/wasm-float32.test.ts).
 */
class ReferenceModel {
  readonly params = new Map<string, Float64Array>();
  readonly state = new Map<string, ReferenceState>();
  readonly float32 = new Set<string>();
  readonly groups: { config: Readonly<RMSPropConfig>; schedule?: LearningRateSchedule; names: string[] }[] = [];
  t = 0;

  constructor(options: { base: Partial<RMSPropConfig>; schedule?: LearningRateSchedule; groups: ParameterGroup[] }) {
    for (const group of options.groups) {
      const { params, schedule, name: _name, ...overrides } = group;
      const config = resolveConfig(options.base, overrides);
      this.groups.push({ config, schedule: schedule ?? options.schedule, names: Object.keys(params) });
      for (const [name, values] of Object.entries(params)) {
        this.params.set(name, Float64Array.from(values));
        const state = createReferenceState(config, values.length);
        if (values instanceof Float32Array) {
          this.float32.add(name);
          state.meanSquare.fill(Math.fround(config.initialMeanSquare));
        }
        this.state.set(name, state);
      }
    }
  }

  step(grads: Record<string, ArrayLike<number>>, override?: number): void {
    this.t++;
    for (const group of this.groups) {
      const lr = override ?? (group.schedule ? group.schedule(this.t) : group.config.learningRate);
      for (const name of group.names) {
        const p = this.params.get(name)!;
        const s = this.state.get(name)!;
        if (this.float32.has(name)) {
          modelStep(group.config, lr, this.t, p, grads[name], s, FLOAT32_OPS);
          s.step = this.t;
        } else {
          referenceStep(group.config, p, grads[name], s, lr);
        }
      }
    }
  }

  /** The first difference from the optimizer's parameters and state dict, or null. */
  mismatch(opt: RMSPropOptimizer): string | null {
    const dict = opt.stateDict();
    if (dict.step !== this.t) return `step ${dict.step}, expected ${this.t}`;
    for (const [name, p] of this.params) {
      const s = this.state.get(name)!;
      const e = dict.state[name];
      const decode = (xs: (number | string)[]) => xs.map(Number);
      const m =
        firstMismatch(opt.parameter(name), p, `t=${this.t} ${name} θ`) ??
        firstMismatch(decode(e.meanSquare), s.meanSquare, `t=${this.t} ${name} v`) ??
        (s.meanGrad === null ? null : firstMismatch(decode(e.meanGrad!), s.meanGrad, `t=${this.t} ${name} m`)) ??
        (s.momentum === null ? null : firstMismatch(decode(e.momentum!), s.momentum, `t=${this.t} ${name} b`)) ??
        (e.step === this.t ? null : `${name}: step ${e.step}, expected ${this.t}`);
      if (m !== null) return m;
    }
    return null;
  }
}

/** Least squares on a fixed random linear map: gradient of ½‖A·θ − y‖² / rows, per parameter. */
function leastSquaresGradients(rng: Rng, sizes: Record<string, number>) {
  const problems = Object.entries(sizes).map(([name, n]) => {
    const rows = n + 2;
    const a = rng.normals64(rows * n, 1 / Math.sqrt(n));
    const y = rng.normals64(rows, 1);
    return { name, n, rows, a, y };
  });
  return (params: (name: string) => ArrayLike<number>, make: (name: string, n: number) => FloatArray) => {
    const grads: Record<string, FloatArray> = {};
    for (const { name, n, rows, a, y } of problems) {
      const theta = params(name);
      const g = make(name, n);
      for (let r = 0; r < rows; r++) {
        let residual = -y[r];
        for (let j = 0; j < n; j++) residual += a[r * n + j] * theta[j];
        for (let j = 0; j < n; j++) g[j] += (a[r * n + j] * residual) / rows;
      }
      grads[name] = g;
    }
    return grads;
  };
}

/** Σ g² over every gradient. */
function squaredNorm(grads: Record<string, FloatArray>): number {
  let sum = 0;
  for (const g of Object.values(grads)) for (let i = 0; i < g.length; i++) sum += g[i] * g[i];
  return sum;
}

function bytes(values: FloatArray): number[] {
  return Array.from(bytesOf(values)!);
}

describe('training with groups, overrides and schedules', () => {
  it('every step equals the reference run with each group\'s config (bit-identical; float32 parameters in float32 arithmetic)', () => {
    const rng = new Rng(2024);
    const init = { w1: rng.normals64(7), w2: rng.normals64(3), b: rng.normals64(5), h: rng.normals32(4) };
    const groupSpecs = (): ParameterGroup[] => [
      {
        name: 'weights',
        params: { w1: init.w1.slice(), w2: init.w2.slice() },
        momentum: 0.9,
        nesterov: true,
        centered: true,
        schedule: linearWarmupSchedule({ peak: 0.05, warmupSteps: 5, after: cosineSchedule({ initial: 0.05, totalSteps: 30, minimum: 0.001 }) }),
      },
      {
        name: 'biases',
        params: { b: init.b.slice(), h: init.h.slice() },
        rho: 0.5,
        epsilonPlacement: 'inside',
        epsilon: 1e-6,
        weightDecay: 0.01,
        decoupledWeightDecay: true,
        biasCorrection: true,
        momentum: 0.3,
        learningRateInMomentum: true,
        initialMeanSquare: 0.1,
      },
    ];
    const base: Partial<RMSPropConfig> = { rho: 0.95, epsilon: 1e-8, learningRate: 0.01 };
    const schedule = exponentialSchedule({ initial: 0.02, gamma: 0.97 });
    const specs = groupSpecs();
    const opt = new RMSPropOptimizer({ backend: new JsLoopBackend(), ...base, schedule, groups: specs });
    const ref = new ReferenceModel({ base, schedule, groups: groupSpecs() });
    expect(opt.groups.map((g) => g.params)).toEqual([['w1', 'w2'], ['b', 'h']]);
    expect(opt.configOf('w2')).toEqual(ref.groups[0].config);
    expect(opt.configOf('h')).toEqual(ref.groups[1].config);

    const gradients = leastSquaresGradients(rng, { w1: 7, w2: 3, b: 5, h: 4 });
    const make = (name: string, n: number) => (name === 'h' ? new Float32Array(n) : new Float64Array(n));
    let gradNormBefore = 0;
    for (let t = 1; t <= 40; t++) {
      const grads = gradients((name) => opt.parameter(name), make);
      if (t === 1) gradNormBefore = squaredNorm(grads);
      const override = t === 17 ? 0.003 : undefined;
      expect(opt.step(grads, override === undefined ? undefined : { learningRate: override })).toBe(true);
      ref.step(grads, override);
      const m = ref.mismatch(opt);
      if (m !== null) expect.fail(m);
    }
    // The user's arrays were trained in place, and training did something (the squared gradient norm fell).
    expect(opt.parameter('w1')).toBe(specs[0].params.w1);
    expect(firstMismatch(specs[1].params.h, ref.params.get('h')!)).toBeNull();
    const grads = gradients((name) => opt.parameter(name), make);
    const gradNormAfter = squaredNorm(grads);
    expect(gradNormAfter).toBeLessThan(gradNormBefore);
  });
});

describe('atomicity on the cpu backend', () => {
  /** Two groups (float64 a, b; float32 c, the last parameter), trained for 5 steps. */
  function trained(policy: RMSPropOptimizerOptions['nonFiniteGradients'] = 'error', badSchedule = { on: false }) {
    const rng = new Rng(31);
    const user = { a: rng.normals64(4), b: rng.normals64(3), c: rng.normals32(5) };
    const groups = (): ParameterGroup[] => [
      { params: { a: user.a, b: user.b }, momentum: 0.9, centered: true },
      { params: { c: user.c }, biasCorrection: true, weightDecay: 0.1, schedule: (t) => (badSchedule.on ? NaN : 0.01 / t) },
    ];
    const opt = new RMSPropOptimizer({ backend: new JsLoopBackend(), learningRate: 0.01, groups: groups(), nonFiniteGradients: policy });
    const ref = new ReferenceModel({ base: { learningRate: 0.01 }, groups: groups().map((g) => ({ ...g, params: Object.fromEntries(Object.entries(g.params).map(([k, v]) => [k, v.slice()])) })) });
    const good = () => ({ a: rng.normals64(4), b: rng.normals64(3), c: rng.normals32(5) });
    for (let t = 0; t < 5; t++) {
      const g = good();
      opt.step(g);
      ref.step(g);
    }
    return { opt, ref, user, good, badSchedule };
  }

  function snapshot(opt: RMSPropOptimizer) {
    return {
      params: opt.parameterNames.map((n) => bytes(opt.parameter(n))),
      state: JSON.stringify(opt.stateDict()),
      step: opt.stepCount,
      learningRates: opt.learningRates(),
    };
  }

  const cases: { what: string; run: (t: ReturnType<typeof trained>) => void; check: (e: unknown) => void }[] = [
    {
      what: 'a gradient of the wrong length in the last parameter',
      run: ({ opt, good }) => opt.step({ ...good(), c: new Float32Array(6) }),
      check: (e) => {
        expect(e).toBeInstanceOf(ShapeError);
        expect((e as ShapeError).code).toBe('LENGTH_MISMATCH');
        expect((e as ShapeError).parameter).toBe('c');
        expect((e as Error).message).toBe('gradient of "c" has length 6; expected 5');
      },
    },
    {
      what: 'a gradient of the wrong dtype in the last parameter',
      run: ({ opt, good }) => opt.step({ ...good(), c: new Float64Array(5) }),
      check: (e) => {
        expect(e).toBeInstanceOf(ShapeError);
        expect((e as ShapeError).code).toBe('DTYPE_MISMATCH');
        expect((e as ShapeError).parameter).toBe('c');
        expect((e as Error).message).toBe('gradient of "c" is float64; expected float32 (the parameter\'s dtype)');
      },
    },
    {
      what: 'a missing name',
      run: ({ opt, good }) => {
        const { c: _c, ...rest } = good();
        opt.step(rest);
      },
      check: (e) => {
        expect(e).toBeInstanceOf(ParameterNameError);
        expect((e as ParameterNameError).code).toBe('MISSING_PARAMETER');
        expect((e as ParameterNameError).parameter).toBe('c');
        expect((e as Error).message).toMatch(/^no gradient given for parameter "c"/);
      },
    },
    {
      what: 'an unknown name',
      run: ({ opt, good }) => opt.step({ ...good(), d: new Float64Array(1) }),
      check: (e) => {
        expect(e).toBeInstanceOf(ParameterNameError);
        expect((e as ParameterNameError).code).toBe('UNKNOWN_PARAMETER');
        expect((e as ParameterNameError).parameter).toBe('d');
        expect((e as Error).message).toMatch(/^gradient given for unknown parameter "d"; known parameters: a, b, c$/);
      },
    },
    ...[NaN, Infinity, -Infinity].map((value) => ({
      what: `a ${value} gradient element in the last parameter ('error' policy)`,
      run: ({ opt, good }: ReturnType<typeof trained>) => {
        const g = good();
        g.c[3] = value;
        opt.step(g);
      },
      check: (e: unknown) => {
        expect(e).toBeInstanceOf(NonFiniteGradientError);
        expect((e as NonFiniteGradientError).code).toBe('NON_FINITE_GRADIENT');
        expect((e as NonFiniteGradientError).parameter).toBe('c');
        expect((e as NonFiniteGradientError).index).toBe(3);
        expect((e as Error).message).toMatch(new RegExp(`^gradient of "c" has a non-finite value ${value} at index 3`));
      },
    })),
    ...[-0.1, NaN, Infinity].map((learningRate) => ({
      what: `a learning-rate override of ${learningRate}`,
      run: ({ opt, good }: ReturnType<typeof trained>) => opt.step(good(), { learningRate }),
      check: (e: unknown) => {
        expect(e).toBeInstanceOf(ArgumentError);
        expect((e as ArgumentError).field).toBe('options.learningRate');
        expect((e as Error).message).toBe(`options.learningRate = ${learningRate} is not allowed; expected a finite number ≥ 0`);
      },
    })),
    {
      what: 'a schedule returning NaN for the last group',
      run: ({ opt, good, badSchedule }) => {
        badSchedule.on = true;
        try {
          opt.step(good());
        } finally {
          badSchedule.on = false;
        }
      },
      check: (e) => {
        expect(e).toBeInstanceOf(ArgumentError);
        expect((e as Error).message).toBe('schedule(6) for group "group1" = NaN is not allowed; expected a finite number ≥ 0');
      },
    },
  ];

  for (const { what, run, check } of cases) {
    it(`${what}: typed error; parameters and stateDict() byte-identical`, () => {
      const t = trained();
      const before = snapshot(t.opt);
      let error: unknown;
      try {
        run(t);
      } catch (e) {
        error = e;
      }
      expect(error, 'expected the step to throw').toBeDefined();
      check(error);
      expect(snapshot(t.opt)).toEqual(before);
      // And the optimizer carries on exactly like the reference, which never saw the bad step.
      const g = t.good();
      t.opt.step(g);
      t.ref.step(g);
      expect(t.ref.mismatch(t.opt)).toBeNull();
    });
  }

  it('step after dispose: DisposedError; the caller\'s arrays are untouched', () => {
    const t = trained();
    const before = Object.values(t.user).map(bytes);
    t.opt.dispose();
    expect(t.opt.disposed).toBe(true);
    expectError(() => t.opt.step(t.good()), DisposedError, 'DISPOSED', /^this RMSPropOptimizer was disposed; step\(\) is not allowed after dispose\(\)$/);
    expectError(() => t.opt.stateDict(), DisposedError, 'DISPOSED', /stateDict\(\)/);
    expect(Object.values(t.user).map(bytes)).toEqual(before);
    // The optimizer freed its slots but left the backend (which it does not own) usable.
    expect(() => t.opt.backend.step([])).not.toThrow();
  });

  it("'skip': a NaN gradient skips the step (returns false, nothing changes, t unchanged)", () => {
    const t = trained('skip');
    const before = snapshot(t.opt);
    const g = t.good();
    g.c[4] = NaN;
    expect(t.opt.step(g)).toBe(false);
    expect(snapshot(t.opt)).toEqual(before);
    expect(t.opt.stepCount).toBe(5);
    const next = t.good();
    expect(t.opt.step(next)).toBe(true);
    t.ref.step(next); // the reference never saw the skipped step: same t, same schedule value
    expect(t.ref.mismatch(t.opt)).toBeNull();
  });

  it("'propagate': NaN goes through to θ and v of that element, the rest steps normally", () => {
    const t = trained('propagate');
    const g = t.good();
    g.a[1] = NaN;
    expect(t.opt.step(g)).toBe(true);
    t.ref.step(g);
    expect(t.ref.mismatch(t.opt)).toBeNull();
    expect(t.opt.stepCount).toBe(6);
    expect(Number.isNaN(t.opt.parameter('a')[1])).toBe(true);
    expect(t.opt.stateDict().state.a.meanSquare[1]).toBe('NaN');
    expect(Number.isFinite(t.opt.parameter('a')[0])).toBe(true);
  });
});

describe('zero-copy access', () => {
  it('parameter(name) is the caller\'s Float32Array/Float64Array, updated in place (inPlace default)', () => {
    const w = new Float64Array([1, 2, 3]);
    const h = new Float32Array([1, 2]);
    const opt = new RMSPropOptimizer({ backend: new JsLoopBackend(), learningRate: 0.5, rho: 0.75, epsilon: 2, params: { w, h } });
    expect(opt.parameter('w')).toBe(w);
    expect(opt.parameter('h')).toBe(h);
    // g = 4: v = 4, d = √4 + 2 = 4, u = 1, θ −= 0.5 (exact)
    opt.step({ w: new Float64Array([4, 4, 4]), h: new Float32Array([4, 4]) });
    expect(Array.from(w)).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(h)).toEqual([0.5, 1.5]);
  });

  it('inPlace: false copies: the caller\'s array stays as it was', () => {
    const w = new Float64Array([1, 2, 3]);
    const opt = new RMSPropOptimizer({ backend: new JsLoopBackend(), learningRate: 0.5, rho: 0.75, epsilon: 2, params: { w }, inPlace: false });
    expect(opt.parameter('w')).not.toBe(w);
    opt.step({ w: new Float64Array([4, 4, 4]) });
    expect(Array.from(w)).toEqual([1, 2, 3]);
    expect(Array.from(opt.parameter('w'))).toEqual([0.5, 1.5, 2.5]);
  });

  it('gradientBuffer(name), filled and passed to step, gives the same result as a separate gradient', () => {
    const rng = new Rng(3);
    const init = rng.normals32(9);
    const config = { learningRate: 0.01, momentum: 0.5, centered: true };
    const viaBuffer = new RMSPropOptimizer({ backend: new JsLoopBackend(), ...config, params: { w: init.slice() } });
    const viaArray = new RMSPropOptimizer({ backend: new JsLoopBackend(), ...config, params: { w: init.slice() } });
    const buffer = viaBuffer.gradientBuffer('w')!;
    expect(buffer).toBeInstanceOf(Float32Array);
    expect(buffer.length).toBe(9);
    for (let t = 0; t < 5; t++) {
      const g = rng.normals32(9);
      buffer.set(g);
      viaBuffer.step({ w: viaBuffer.gradientBuffer('w')! });
      viaArray.step({ w: g });
    }
    expect(viaBuffer.gradientBuffer('w')).toBe(buffer);
    expect(bytes(viaBuffer.parameter('w'))).toEqual(bytes(viaArray.parameter('w')));
    expect(JSON.stringify(viaBuffer.stateDict())).toBe(JSON.stringify(viaArray.stateDict()));
  });
});

describe('state dict round trips', () => {
  const groups = (params: Record<string, FloatArray>): ParameterGroup[] => [
    { name: 'main', params: { w: params.w }, momentum: 0.9, centered: true },
    { name: 'bias', params: { b: params.b }, rho: 0.5, biasCorrection: true, weightDecay: 0.01 },
  ];
  const schedule = cosineSchedule({ initial: 0.02, totalSteps: 40 });

  function make(dtype: 'float32' | 'float64', init: { w: ArrayLike<number>; b: ArrayLike<number> }, policy: 'error' | 'propagate' = 'error') {
    const Ctor = dtype === 'float32' ? Float32Array : Float64Array;
    return new RMSPropOptimizer({ backend: new JsLoopBackend(), schedule, nonFiniteGradients: policy, groups: groups({ w: Ctor.from(init.w), b: Ctor.from(init.b) }) });
  }

  function gradients(rng: Rng, dtype: 'float32' | 'float64') {
    return dtype === 'float32' ? { w: rng.normals32(6), b: rng.normals32(2) } : { w: rng.normals64(6), b: rng.normals64(2) };
  }

  it('float64: save as JSON, load into a fresh optimizer, continue: bit-identical to never stopping', () => {
    const rng = new Rng(11);
    const init = { w: rng.normals64(6), b: rng.normals64(2) };
    const a = make('float64', init);
    for (let t = 0; t < 10; t++) a.step(gradients(rng, 'float64'));
    const json = JSON.stringify(a.stateDict());
    const b = make('float64', { w: a.parameter('w'), b: a.parameter('b') });
    b.loadStateDict(JSON.parse(json) as RMSPropStateDict);
    expect(b.stepCount).toBe(10);
    expect(JSON.stringify(b.stateDict())).toBe(json);
    expect(b.learningRates()).toEqual(a.learningRates());
    for (let t = 0; t < 10; t++) {
      const g = gradients(rng, 'float64');
      a.step(g);
      b.step(g);
    }
    expect(bytes(b.parameter('w'))).toEqual(bytes(a.parameter('w')));
    expect(bytes(b.parameter('b'))).toEqual(bytes(a.parameter('b')));
    expect(JSON.stringify(b.stateDict())).toBe(JSON.stringify(a.stateDict()));
  });

  it('float64 saved, float32 loaded: every state value rounded to nearest (Math.fround)', () => {
    const rng = new Rng(12);
    const init = { w: rng.normals64(6), b: rng.normals64(2) };
    const a = make('float64', init);
    for (let t = 0; t < 10; t++) a.step(gradients(rng, 'float64'));
    const saved = JSON.parse(JSON.stringify(a.stateDict())) as RMSPropStateDict;
    const f = make('float32', { w: a.parameter('w'), b: a.parameter('b') });
    f.loadStateDict(saved);
    const loaded = f.stateDict();
    expect(loaded.step).toBe(10);
    for (const name of ['w', 'b']) {
      const s = saved.state[name];
      const l = loaded.state[name];
      expect(l.dtype).toBe('float32');
      expect(l.step).toBe(s.step);
      for (const field of ['meanSquare', 'meanGrad', 'momentum'] as const) {
        expect(l[field] === undefined, `${name}.${field}`).toBe(s[field] === undefined);
        if (s[field] === undefined) continue;
        const want = (s[field] as number[]).map(Math.fround);
        expect(l[field]).toEqual(want);
        // Rounding did something: these are not float32 values to begin with.
        expect(want).not.toEqual(s[field]);
      }
    }
  });

  it('float32 saved, float64 loaded: values carried exactly; continuing equals the reference from there', () => {
    const rng = new Rng(13);
    const init = { w: rng.normals32(6), b: rng.normals32(2) };
    const f = make('float32', init);
    for (let t = 0; t < 10; t++) f.step(gradients(rng, 'float32'));
    const saved = JSON.parse(JSON.stringify(f.stateDict())) as RMSPropStateDict;
    expect(saved.state.w.dtype).toBe('float32');
    const d = make('float64', { w: f.parameter('w'), b: f.parameter('b') });
    d.loadStateDict(saved);
    const loaded = d.stateDict();
    expect(loaded.state.w.dtype).toBe('float64');
    expect(loaded.state.w.meanSquare).toEqual(saved.state.w.meanSquare);
    expect(loaded.state.w.momentum).toEqual(saved.state.w.momentum);
    expect(loaded.state.b.meanSquare).toEqual(saved.state.b.meanSquare);

    // Continue in float64 and compare with referenceStep run from the saved values.
    const g = gradients(rng, 'float64');
    d.step(g);
    for (const [gi, name] of [[0, 'w'], [1, 'b']] as const) {
      const config = resolveConfig(saved.groups[gi].config);
      const params = Float64Array.from(f.parameter(name));
      const e = saved.state[name];
      const state: ReferenceState = {
        meanSquare: Float64Array.from(e.meanSquare as number[]),
        meanGrad: e.meanGrad ? Float64Array.from(e.meanGrad as number[]) : null,
        momentum: e.momentum ? Float64Array.from(e.momentum as number[]) : null,
        step: e.step,
      };
      referenceStep(config, params, g[name], state, schedule(11));
      expect(firstMismatch(d.parameter(name), params, name)).toBeNull();
    }
  });

  it('NaN and ±Infinity in the state are saved as strings and loaded back as numbers', () => {
    const rng = new Rng(14);
    const init = { w: rng.normals64(6), b: rng.normals64(2) };
    const a = make('float64', init, 'propagate');
    a.step(gradients(rng, 'float64'));
    const g = gradients(rng, 'float64');
    g.w[2] = NaN;
    g.b[1] = 1e200; // g² overflows: v = +∞
    a.step(g);
    const json = JSON.stringify(a.stateDict());
    const saved = JSON.parse(json) as RMSPropStateDict;
    expect(saved.state.w.meanSquare[2]).toBe('NaN');
    expect(saved.state.w.meanGrad![2]).toBe('NaN');
    expect(saved.state.b.meanSquare[1]).toBe('Infinity');
    for (const dtype of ['float64', 'float32'] as const) {
      const b = make(dtype, { w: a.parameter('w'), b: a.parameter('b') }, 'propagate');
      b.loadStateDict(JSON.parse(json) as RMSPropStateDict);
      const back = b.stateDict();
      expect(back.state.w.meanSquare[2]).toBe('NaN');
      expect(back.state.w.momentum![2]).toBe('NaN');
      expect(back.state.b.meanSquare[1]).toBe('Infinity');
      if (dtype === 'float64') expect(JSON.stringify(back)).toBe(json);
    }
  });
});
