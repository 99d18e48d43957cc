/**
 * RMSPropOptimizer on a test-only backend that runs the float64 reference (src/__fixtures__), so the
 * optimizer's plumbing (groups, schedules, checks, atomicity, disposal, parameter access) is tested
 * without any compute package. Numbers are chosen so the arithmetic is exact: with ρ = 0, ε = 2 and
 * g = 2, v = 4, d = √4 + 2 = 4 and u = 0.5 at every step, so θ moves by exactly η/2 per step.
 */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend, type ReferenceBackend } from './__fixtures__/reference-backend.js';
import type { RMSPropBackend, SlotRequest } from './backend.js';
import type { FloatArray } from './dtype.js';
import {
  ArgumentError,
  DisposedError,
  NonFiniteGradientError,
  ParameterNameError,
  RMSPropError,
  ReentrancyError,
  ShapeError,
  StateDictError,
} from './errors.js';
import { constantSchedule, exponentialSchedule } from './learning-rate-schedule.js';
import type { RMSPropConfig } from './rmsprop-config.js';
import { RMSPropOptimizer, type RMSPropOptimizerOptions } from './rmsprop-optimizer.js';
import { resolveConfig } from './validate-config.js';

/** ρ = 0, ε = 2: with g = ±2, u = ±0.5 at every step (exact). */
const HALF: Partial<RMSPropConfig> = { rho: 0, epsilon: 2 };

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error to be thrown');
}

function expectError<T extends RMSPropError>(
  fn: () => unknown,
  type: abstract new (...args: never[]) => T,
  code: string,
  message: RegExp,
): T {
  const error = catchError(fn);
  expect(error).toBeInstanceOf(type);
  expect(error).toBeInstanceOf(RMSPropError);
  expect((error as T).code).toBe(code);
  expect(error.message).toMatch(message);
  return error as T;
}

function bytes(values: FloatArray): number[] {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Everything observable about an optimizer: parameter bytes, the state dict, the step count, next η. */
function snapshot(opt: RMSPropOptimizer) {
  return {
    params: Object.fromEntries(opt.parameterNames.map((n) => [n, bytes(opt.readParameter(n))])),
    state: opt.stateDict(),
    step: opt.stepCount,
    learningRates: opt.learningRates(),
  };
}

const f64 = (...xs: number[]) => Float64Array.from(xs);
const f32 = (...xs: number[]) => Float32Array.from(xs);

// Each check by message, and the plan they resolve: plan-parameter-groups.test.ts. Here: that the
// constructor reports them unchanged, before the backend allocates anything.
describe('constructor errors', () => {
  const backend = createReferenceBackend();

  it('needs an options object with a backend', () => {
    expectError(() => new RMSPropOptimizer(null as never), ArgumentError, 'INVALID_ARGUMENT', /^options = null is not allowed; expected an object with a backend and params or groups$/);
    const e = expectError(
      () => new RMSPropOptimizer({ params: { w: f64(1) } } as never),
      ArgumentError,
      'INVALID_ARGUMENT',
      /^options\.backend = undefined is not allowed; expected a ready RMSPropBackend \(from BackendRegistry\.select\)$/,
    );
    expect(e.field).toBe('options.backend');
    expectError(() => new RMSPropOptimizer({ backend: {} as never, params: {} }), ArgumentError, 'INVALID_ARGUMENT', /^options\.backend = Object is not allowed/);
    // A factory instead of a backend (forgot to await select()).
    expectError(() => new RMSPropOptimizer({ backend: (async () => backend) as never, params: {} }), ArgumentError, 'INVALID_ARGUMENT', /^options\.backend = a function is not allowed/);
  });

  it('allocates nothing when a later group is bad', () => {
    const fresh = createReferenceBackend();
    catchError(() => new RMSPropOptimizer({ backend: fresh, groups: [{ params: { w: f64(1) } }, { params: { b: [1] as never } }] }));
    catchError(() => new RMSPropOptimizer({ backend: fresh, groups: [{ params: { w: f64(1) } }, { params: { b: f64(1) }, momentum: 2 }] }));
    expect(fresh.requests).toEqual([]);
  });
});

describe('construction', () => {
  it('asks the backend for one slot per parameter with the group\'s state buffers', () => {
    const backend = createReferenceBackend();
    const w = f64(1, 2);
    const b = f32(3);
    new RMSPropOptimizer({
      backend,
      groups: [
        { params: { w }, centered: true, initialMeanSquare: 1 },
        { params: { b }, momentum: 0.5 },
      ],
      inPlace: false,
    });
    expect(backend.requests.map((r) => ({ name: r.name, dtype: r.dtype, length: r.length, adopt: r.adopt, state: r.state }))).toEqual([
      { name: 'w', dtype: 'float64', length: 2, adopt: false, state: { meanSquare: 1, meanGrad: 0, momentum: null } },
      { name: 'b', dtype: 'float32', length: 1, adopt: false, state: { meanSquare: 0, meanGrad: null, momentum: 0 } },
    ]);
    expect(backend.requests[0].values).toBe(w);
  });

  it('creates every slot in one createSlots call where the backend has it, in parameter order', () => {
    const backend = createReferenceBackend();
    const batches: string[][] = [];
    const batching = {
      ...backend,
      createSlots: (requests: readonly SlotRequest[]) => {
        batches.push(requests.map((r) => r.name));
        return requests.map((r) => backend.createSlot(r));
      },
      createSlot: () => {
        throw new Error('createSlot must not be called when createSlots exists');
      },
    } as RMSPropBackend;
    const opt = new RMSPropOptimizer({ backend: batching, groups: [{ params: { a: f64(1), b: f64(2) } }, { params: { c: f64(3) }, momentum: 0.5 }] });
    expect(batches).toEqual([['a', 'b', 'c']]);
    opt.step({ a: f64(2), b: f64(2), c: f64(2) });
    expect(backend.calls[0].map((u) => u.name)).toEqual(['a', 'b', 'c']);
  });

  it('resolves each group\'s config from the defaults, the optimizer fields and the group overrides', () => {
    const backend = createReferenceBackend();
    const opt = new RMSPropOptimizer({
      backend,
      learningRate: 0.25,
      rho: 0.5,
      groups: [{ name: 'body', params: { w: f64(1), v: f64(2) } }, { params: { b: f64(1) }, learningRate: 0.5, momentum: 0.5 }],
    });
    expect(opt.parameterNames).toEqual(['w', 'v', 'b']);
    expect(opt.groups).toEqual([
      { name: 'body', config: resolveConfig({ learningRate: 0.25, rho: 0.5 }), params: ['w', 'v'] },
      { name: 'group1', config: resolveConfig({ learningRate: 0.5, rho: 0.5, momentum: 0.5 }), params: ['b'] },
    ]);
    expect(opt.configOf('v')).toBe(opt.configOf('w'));
    expect(opt.configOf('b').momentum).toBe(0.5);
    expect(Object.isFrozen(opt.configOf('b'))).toBe(true);
    expect(opt.stepCount).toBe(0);
    expect(opt.disposed).toBe(false);
    expect(opt.nonFiniteGradients).toBe('error');
    expect(opt.backend).toBe(backend);
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    expectError(() => opt.configOf('nope'), ParameterNameError, 'UNKNOWN_PARAMETER', /^unknown parameter "nope"; known parameters: w, v, b$/);
  });

  it('accepts a config spread from a preset (the README usage)', () => {
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params: { w: f32(0, 0) }, ...resolveConfig({ learningRate: 0.01 }) });
    expect(opt.configOf('w').learningRate).toBe(0.01);
  });
});

describe('groups, overrides and learning rates', () => {
  function twoGroups(extra: Partial<RMSPropOptimizerOptions> = {}, g1: object = {}) {
    const backend = createReferenceBackend();
    const w = f64(1, 2);
    const b = f64(0);
    const opt = new RMSPropOptimizer({ backend, ...HALF, learningRate: 0.5, groups: [{ params: { w } }, { params: { b }, learningRate: 0.25, ...g1 }], ...extra });
    const grads = { w: f64(2, -2), b: f64(2) };
    return { backend, opt, w, b, grads };
  }

  it('each group steps with its own config', () => {
    const { opt, w, b, grads } = twoGroups();
    expect(opt.step(grads)).toBe(true);
    // u = ±0.5: w moves by 0.5·0.5 = 0.25, b by 0.25·0.5 = 0.125.
    expect(Array.from(w)).toEqual([0.75, 2.25]);
    expect(Array.from(b)).toEqual([-0.125]);
    expect(opt.stepCount).toBe(1);
  });

  it('per-group switches: momentum in one group only', () => {
    const { opt, w, b, grads } = twoGroups({}, { momentum: 0.5 });
    opt.step(grads);
    opt.step(grads);
    // w: two plain steps of 0.25. b (μ = 0.5, η outside): b1 = 0.5, b2 = 0.75 → −0.25·(0.5 + 0.75) = −0.3125.
    expect(Array.from(w)).toEqual([0.5, 2.5]);
    expect(b[0]).toBe(-0.3125);
  });

  it('learningRates() reports η per group for the next step', () => {
    const { opt } = twoGroups();
    expect(opt.learningRates()).toEqual([0.5, 0.25]);
  });

  it('optimizer schedule for groups without their own; group schedule wins; both see t = stepCount + 1', () => {
    const seen: number[] = [];
    const groupSchedule = (t: number) => {
      seen.push(t);
      return 1 / 2 ** t;
    };
    const { backend, opt, w, b, grads } = twoGroups({ schedule: exponentialSchedule({ initial: 1, gamma: 0.5 }) }, { schedule: groupSchedule });
    expect(opt.learningRates()).toEqual([1, 0.5]);
    opt.step(grads);
    expect(opt.learningRates()).toEqual([0.5, 0.25]);
    opt.step(grads);
    // w: 1 − 0.5·(1 + 0.5) = 0.25. b: 0 − 0.5·(0.5 + 0.25) = −0.375.
    expect(w[0]).toBe(0.25);
    expect(b[0]).toBe(-0.375);
    expect(seen).toEqual([1, 1, 2, 2]); // learningRates() at t = 1, step 1, learningRates() at t = 2, step 2
    expect(backend.calls.map((call) => call.map((u) => [u.name, u.learningRate, u.step]))).toEqual([
      [
        ['w', 1, 1],
        ['b', 0.5, 1],
      ],
      [
        ['w', 0.5, 2],
        ['b', 0.25, 2],
      ],
    ]);
  });

  it('step({ learningRate }) overrides every group and schedule for that step only', () => {
    let calls = 0;
    const schedule = (t: number) => {
      calls += 1;
      return 0.5 / t;
    };
    const { backend, opt, w, b, grads } = twoGroups({ schedule });
    opt.step(grads, { learningRate: 2 });
    expect(calls).toBe(0);
    expect(backend.calls[0].map((u) => u.learningRate)).toEqual([2, 2]);
    expect(w[0]).toBe(0); // 1 − 2·0.5
    expect(b[0]).toBe(-1);
    expect(opt.learningRates()).toEqual([0.25, 0.25]); // schedule(2) for both groups
    opt.step(grads, { learningRate: 0 });
    expect(w[0]).toBe(0);
    expect(opt.stepCount).toBe(2);
  });

  it('rejects a bad step learning rate, and a schedule value that is not a finite number ≥ 0', () => {
    const { opt } = twoGroups({ schedule: (t) => (t === 1 ? NaN : 0.1) });
    const before = snapshotWithout(opt);
    for (const [value, shown] of [
      [-1, '-1'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      ['0.1', '"0.1"'],
    ] as const) {
      expectError(
        () => opt.step({ w: f64(2, 2), b: f64(2) }, { learningRate: value as number }),
        ArgumentError,
        'INVALID_ARGUMENT',
        new RegExp(`^options\\.learningRate = ${shown.replace('.', '\\.')} is not allowed; expected a finite number ≥ 0$`),
      );
    }
    expectError(() => opt.learningRates(), ArgumentError, 'INVALID_ARGUMENT', /^schedule\(1\) for group "group0" = NaN is not allowed; expected a finite number ≥ 0$/);
    expectError(() => opt.step({ w: f64(2, 2), b: f64(2) }), ArgumentError, 'INVALID_ARGUMENT', /^schedule\(1\) for group "group0" = NaN/);
    expect(snapshotWithout(opt)).toEqual(before);
  });

  it('rejects step options that are not an object of known fields (a misspelt lr must not be ignored), with nothing changed', () => {
    const { opt } = twoGroups();
    const before = snapshotWithout(opt);
    const grads = () => ({ w: f64(2, 2), b: f64(2) });
    expectError(() => opt.step(grads(), { lr: 0.5 } as never), ArgumentError, 'INVALID_ARGUMENT', /^options\.lr = 0\.5 is not allowed; expected a step option \(learningRate\)$/);
    for (const [bad, shown] of [[0.5, '0\\.5'], ['fast', '"fast"'], [null, 'null'], [[0.5], 'Array\\(1\\)']] as const) {
      expectError(() => opt.step(grads(), bad as never), ArgumentError, 'INVALID_ARGUMENT', new RegExp(`^options = ${shown} is not allowed; expected an object \\{ learningRate \\} or undefined$`));
    }
    expect(snapshotWithout(opt)).toEqual(before);
    expect(opt.step(grads(), {})).toBe(true); // an empty object is fine
  });

  function snapshotWithout(opt: RMSPropOptimizer) {
    return { params: opt.parameterNames.map((n) => bytes(opt.readParameter(n))), state: opt.stateDict() };
  }

  it('schedules work with the built-ins (constant)', () => {
    const { opt, w } = twoGroups({ schedule: constantSchedule(1) });
    opt.step({ w: f64(2, 2), b: f64(2) });
    expect(w[0]).toBe(0.5);
  });
});

describe('gradient errors', () => {
  function setup() {
    const backend = createReferenceBackend();
    const opt = new RMSPropOptimizer({ backend, params: { w: f64(1, 2), b: f64(3, 4) } });
    return { backend, opt };
  }

  it('unknown parameter', () => {
    const { opt } = setup();
    const e = expectError(
      // @ts-expect-error -- the types refuse it too; untyped callers get this error
      () => opt.step({ w: f64(1, 1), b: f64(1, 1), c: f64(1) }),
      ParameterNameError,
      'UNKNOWN_PARAMETER',
      /^gradient given for unknown parameter "c"; known parameters: w, b$/,
    );
    expect(e.parameter).toBe('c');
  });

  it('missing parameter', () => {
    const { opt } = setup();
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    const e = expectError(() => opt.step({ w: f64(1, 1) }), ParameterNameError, 'MISSING_PARAMETER', /^no gradient given for parameter "b"; every parameter needs one each step$/);
    expect(e.parameter).toBe('b');
  });

  it('wrong length', () => {
    const { opt } = setup();
    const e = expectError(() => opt.step({ w: f64(1, 1), b: f64(1, 1, 1) }), ShapeError, 'LENGTH_MISMATCH', /^gradient of "b" has length 3; expected 2$/);
    expect(e.parameter).toBe('b');
  });

  it('wrong dtype', () => {
    const { opt } = setup();
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    expectError(() => opt.step({ w: f64(1, 1), b: f32(1, 1) }), ShapeError, 'DTYPE_MISMATCH', /^gradient of "b" is float32; expected float64 \(the parameter's dtype\)$/);
    expectError(() => opt.step({ w: f64(1, 1), b: [1, 1] as never }), ShapeError, 'DTYPE_MISMATCH', /^gradient of "b" is Array\(2\); expected float64/);
    expectError(() => opt.step({ w: f64(1, 1), b: null as never }), ShapeError, 'DTYPE_MISMATCH', /^gradient of "b" is null; expected float64/);
  });

  it('a Map of gradients steps exactly as the same object does, and gets the same errors', () => {
    const a = setup();
    const b = setup();
    a.opt.step({ w: f64(2, -2), b: f64(2, 2) });
    b.opt.step(new Map([['b', f64(2, 2)], ['w', f64(2, -2)]]));
    expect(snapshot(b.opt)).toEqual(snapshot(a.opt));
    expectError(
      () => b.opt.step(new Map([['w', f64(1, 1)], ['b', f64(1, 1)], ['c', f64(1)]])),
      ParameterNameError,
      'UNKNOWN_PARAMETER',
      /^gradient given for unknown parameter "c"; known parameters: w, b$/,
    );
    // A typo: as many entries as parameters, one name unknown: the unknown name is reported, not the missing one.
    expectError(() => b.opt.step(new Map([['w', f64(1, 1)], ['bb', f64(1, 1)]])), ParameterNameError, 'UNKNOWN_PARAMETER', /unknown parameter "bb"/);
    expectError(() => b.opt.step(new Map([['w', f64(1, 1)]])), ParameterNameError, 'MISSING_PARAMETER', /^no gradient given for parameter "b"/);
    expectError(() => b.opt.step(new Map([[1 as never, f64(1, 1)], ['w', f64(1, 1)], ['b', f64(1, 1)]])), ParameterNameError, 'UNKNOWN_PARAMETER', /unknown parameter "1"/);
    expectError(() => b.opt.step(new Map<string, FloatArray>([['w', f64(1, 1)], ['b', f32(1, 1)]])), ShapeError, 'DTYPE_MISMATCH', /^gradient of "b" is float32/);
    expect(b.opt.stepCount).toBe(1);
    expect(snapshot(b.opt)).toEqual(snapshot(a.opt));
  });

  it('grads not an object', () => {
    const { opt } = setup();
    expectError(() => opt.step(null as never), ArgumentError, 'INVALID_ARGUMENT', /^grads = null is not allowed; expected an object or Map mapping each parameter name to its gradient$/);
  });
});

describe('non-finite gradients', () => {
  function setup(policy?: 'error' | 'skip' | 'propagate') {
    const backend = createReferenceBackend();
    const w = f64(1, 2);
    const b = f32(3, 4);
    const opt = new RMSPropOptimizer({ backend, ...HALF, learningRate: 0.5, params: { w, b }, nonFiniteGradients: policy });
    return { backend, opt, w, b };
  }

  it("'error' (the default) throws naming the parameter, index and value", () => {
    const { opt } = setup();
    expect(opt.nonFiniteGradients).toBe('error');
    for (const value of [NaN, Infinity, -Infinity]) {
      const e = expectError(
        () => opt.step({ w: f64(2, 2), b: f32(2, value) }),
        NonFiniteGradientError,
        'NON_FINITE_GRADIENT',
        new RegExp(`^gradient of "b" has a non-finite value ${value} at index 1; expected finite numbers \\(set nonFiniteGradients to 'skip' to skip such steps, or 'propagate' to apply them\\)$`),
      );
      expect(e.parameter).toBe('b');
      expect(e.index).toBe(1);
      expect(Object.is(e.value, value)).toBe(true);
    }
    expect(opt.stepCount).toBe(0);
  });

  it("'skip' returns false and changes nothing, not even t", () => {
    const backend = createReferenceBackend();
    const w = f64(1);
    // Bias correction makes a wrong t visible: with ρ = 0.5, ε = 2, g = 2, u = 0.5 exactly only if t is right.
    const opt = new RMSPropOptimizer({ backend, rho: 0.5, epsilon: 2, learningRate: 0.5, biasCorrection: true, params: { w }, nonFiniteGradients: 'skip' });
    expect(opt.step({ w: f64(2) })).toBe(true);
    const before = snapshot(opt);
    expect(opt.step({ w: f64(NaN) })).toBe(false);
    expect(opt.step({ w: f64(-Infinity) })).toBe(false);
    expect(snapshot(opt)).toEqual(before);
    expect(backend.calls.length).toBe(1);
    expect(opt.step({ w: f64(2) })).toBe(true);
    expect(backend.calls[1][0].step).toBe(2);
    expect(w[0]).toBe(0.5); // 1 − 2·0.25
    expect(opt.stepCount).toBe(2);
  });

  it("'propagate' applies the step, NaN and all", () => {
    const { opt, w, b } = setup('propagate');
    expect(opt.step({ w: f64(2, NaN), b: f32(Infinity, 2) })).toBe(true);
    expect(w[0]).toBe(0.75);
    expect(Number.isNaN(w[1])).toBe(true);
    expect(Number.isNaN(b[0])).toBe(true); // ∞/∞
    expect(b[1]).toBe(3.75);
    expect(opt.stepCount).toBe(1);
  });
});

describe('atomicity: a bad input mid-training leaves parameters and state byte-identical', () => {
  // Every check must run before anything is written, so the bad gradient goes in the LAST parameter.
  function trained(policy: 'error' | 'skip' = 'error') {
    const backend = createReferenceBackend();
    const opt = new RMSPropOptimizer({
      backend,
      learningRate: 0.01,
      nonFiniteGradients: policy,
      groups: [
        { params: { w: f64(1, -2), v: f32(0.5) }, momentum: 0.9, centered: true },
        { params: { b: f32(0.5, 0.25, -1) }, biasCorrection: true, schedule: (t) => (t === 3 && failSchedule ? NaN : 0.01 / t) },
      ],
    });
    let failSchedule = false;
    const good = () => ({ w: f64(0.1, -0.2), v: f32(0.3), b: f32(0.3, -0.1, 0.2) });
    opt.step(good());
    opt.step({ w: f64(-0.3, 0.05), v: f32(-0.2), b: f32(0.1, 0.4, -0.2) });
    return { backend, opt, good, breakSchedule: () => (failSchedule = true) };
  }

  const cases: [string, (t: ReturnType<typeof trained>) => unknown, RegExp][] = [
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    ['unknown name', (t) => t.opt.step({ ...t.good(), c: f64(1) }), /unknown parameter "c"/],
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    ['missing last parameter', (t) => t.opt.step({ w: f64(1, 1), v: f32(1) }), /no gradient given for parameter "b"/],
    ['wrong length in the last parameter', (t) => t.opt.step({ ...t.good(), b: f32(1, 1) }), /gradient of "b" has length 2; expected 3/],
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    ['wrong dtype in the last parameter', (t) => t.opt.step({ ...t.good(), b: f64(1, 1, 1) }), /gradient of "b" is float64; expected float32/],
    ['NaN in the last element of the last parameter', (t) => t.opt.step({ ...t.good(), b: f32(1, 1, NaN) }), /gradient of "b" has a non-finite value NaN at index 2/],
    ['bad step learning rate', (t) => t.opt.step(t.good(), { learningRate: -0.1 }), /options\.learningRate = -0\.1/],
    [
      'the last group\'s schedule returns NaN',
      (t) => {
        t.breakSchedule();
        return t.opt.step(t.good());
      },
      /schedule\(3\) for group "group1" = NaN/,
    ],
  ];

  for (const [label, bad, message] of cases) {
    it(label, () => {
      const t = trained();
      const control = trained();
      const before = snapshotParamsAndState(t.opt);
      const calls = t.backend.calls.length;
      expect(catchError(() => bad(t)).message).toMatch(message);
      expect(t.backend.calls.length).toBe(calls);
      expect(snapshotParamsAndState(t.opt)).toEqual(before);
      // Training goes on exactly as if the bad call had never happened.
      t.opt.step(t.good(), { learningRate: 0.005 });
      control.opt.step(control.good(), { learningRate: 0.005 });
      expect(snapshotParamsAndState(t.opt)).toEqual(snapshotParamsAndState(control.opt));
    });
  }

  it("a non-finite last gradient under 'skip' returns false with nothing changed", () => {
    const t = trained('skip');
    const before = snapshot(t.opt);
    expect(t.opt.step({ ...t.good(), b: f32(1, 1, -Infinity) })).toBe(false);
    expect(snapshot(t.opt)).toEqual(before);
  });

  /** As `snapshot` but without learningRates() (which would call the broken schedule). */
  function snapshotParamsAndState(opt: RMSPropOptimizer) {
    return {
      params: Object.fromEntries(opt.parameterNames.map((n) => [n, bytes(opt.readParameter(n))])),
      state: opt.stateDict(),
      step: opt.stepCount,
    };
  }
});

describe('parameter access', () => {
  it('parameter() is the caller\'s own array when the backend adopts it (inPlace default)', () => {
    const w = f64(1, 2);
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), ...HALF, learningRate: 0.5, params: { w } });
    expect(opt.parameter('w')).toBe(w);
    opt.step({ w: f64(2, 2) });
    expect(Array.from(w)).toEqual([0.75, 1.75]);
  });

  it('inPlace: false leaves the caller\'s array alone; parameter() holds the live values', () => {
    const w = f64(1, 2);
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), ...HALF, learningRate: 0.5, params: { w }, inPlace: false });
    expect(opt.parameter('w')).not.toBe(w);
    opt.step({ w: f64(2, 2) });
    expect(Array.from(w)).toEqual([1, 2]);
    expect(Array.from(opt.parameter('w'))).toEqual([0.75, 1.75]);
    expect(opt.parameter('w')).toBe(opt.parameter('w')); // a stable view, not a copy
  });

  it('a backend that cannot adopt copies the values in', () => {
    const w = f32(1);
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend({ hostArrays: 'copied' }), ...HALF, learningRate: 0.5, params: { w } });
    opt.step({ w: f32(2) });
    expect(w[0]).toBe(1);
    expect(opt.parameter('w')[0]).toBe(0.75);
    expect(opt.parameter('w')).toBeInstanceOf(Float32Array);
  });

  it('readParameter() returns a copy; writeParameter() overwrites, checking the length', () => {
    const w = f64(1, 2);
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params: { w } });
    const copy = opt.readParameter('w');
    expect(copy).not.toBe(w);
    expect(Array.from(copy)).toEqual([1, 2]);
    copy[0] = 99;
    expect(w[0]).toBe(1);
    opt.writeParameter('w', [5, 6]);
    expect(Array.from(w)).toEqual([5, 6]);
    opt.writeParameter('w', f32(7, 8));
    expect(Array.from(opt.readParameter('w'))).toEqual([7, 8]);
    const e = expectError(() => opt.writeParameter('w', [1, 2, 3]), ShapeError, 'LENGTH_MISMATCH', /^values for parameter "w" have length 3; expected 2$/);
    expect(e.parameter).toBe('w');
    expectError(() => opt.writeParameter('w', null as never), ShapeError, 'LENGTH_MISMATCH', /^values for parameter "w" have length undefined; expected 2$/);
    expectError(() => opt.writeParameter('w', 'ab' as never), ShapeError, 'LENGTH_MISMATCH', /^values for parameter "w" /); // a string is not an array of numbers
    expect(Array.from(w)).toEqual([7, 8]);
  });

  it('unknown names are reported with the known ones', () => {
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params: { w: f64(1), b: f64(1) } });
    // The types refuse an unknown name too; untyped callers get the runtime error.
    const untyped = opt as RMSPropOptimizer;
    for (const fn of [() => untyped.parameter('x'), () => untyped.readParameter('x'), () => untyped.writeParameter('x', [1]), () => untyped.gradientBuffer('x')]) {
      expectError(fn, ParameterNameError, 'UNKNOWN_PARAMETER', /^unknown parameter "x"; known parameters: w, b$/);
    }
  });

  it('messages about names stay short: a huge name, a thousand known ones', () => {
    const params: Record<string, Float64Array> = {};
    for (let i = 0; i < 1000; i++) params[`p${i}`] = f64(1);
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params });
    const huge = 'x'.repeat(1e6);
    const first20 = Object.keys(params).slice(0, 20).join(', ');
    for (const fn of [() => opt.configOf(huge), () => opt.parameter(huge), () => opt.writeParameter(huge, [1])]) {
      const e = expectError(fn, ParameterNameError, 'UNKNOWN_PARAMETER', /^unknown parameter "x{100}"… \(1000000 characters\); known parameters: /);
      expect(e.message).toBe(`unknown parameter "${'x'.repeat(100)}"… (1000000 characters); known parameters: ${first20}, … (1000 in all)`);
      expect(e.parameter).toBe(huge);
    }
  });

  it('refuses two parameters sharing one array (or overlapping views) before the backend allocates anything', () => {
    const backend = createReferenceBackend();
    const w = f64(1, 2);
    const e = expectError(
      () => new RMSPropOptimizer({ backend, groups: [{ params: { a: w } }, { params: { b: w } }] }),
      ArgumentError,
      'INVALID_ARGUMENT',
      /^options\.groups\[1\]\.params\.b = Float64Array\(2\) is not allowed; expected an array of its own, not the one parameter "a" \(options\.groups\[0\]\.params\.a\) has; /,
    );
    expect(e.field).toBe('options.groups[1].params.b');
    const buffer = new ArrayBuffer(32);
    expectError(
      () => new RMSPropOptimizer({ backend, params: { a: new Float32Array(buffer, 0, 4), b: new Float32Array(buffer, 12, 4) } }),
      ArgumentError,
      'INVALID_ARGUMENT',
      /^options\.params\.b = Float32Array\(4\) is not allowed; expected an array of its own: its bytes 12 to 28 overlap bytes 0 to 16 of parameter "a" \(options\.params\.a\) in the same buffer; /,
    );
    expect(backend.requests).toEqual([]);
    expect(Array.from(w)).toEqual([1, 2]);
    // Copied in once, a shared array is only the initial values: each parameter then has its own.
    const copied = new RMSPropOptimizer({ backend, ...HALF, learningRate: 0.5, params: { a: w, b: w }, inPlace: false });
    copied.step({ a: f64(2, 2), b: f64(-2, -2) });
    expect(Array.from(copied.readParameter('a'))).toEqual([0.75, 1.75]);
    expect(Array.from(copied.readParameter('b'))).toEqual([1.25, 2.25]);
    expect(Array.from(w)).toEqual([1, 2]);
  });

  it('on a backend without host views parameter() explains to use readParameter(); gradientBuffer() is null', () => {
    const backend = createReferenceBackend({ name: 'gpu', hostVisible: false });
    const opt = new RMSPropOptimizer({ backend, ...HALF, learningRate: 0.5, params: { w: f32(1, 2) } });
    const e = expectError(
      () => opt.parameter('w'),
      ArgumentError,
      'INVALID_ARGUMENT',
      /^name = "w" is not allowed; expected a parameter with a host view; backend "gpu" keeps parameters in gpu-texture: use readParameter\(\)$/,
    );
    expect(e.field).toBe('name');
    expect(opt.gradientBuffer('w')).toBeNull();
    opt.step({ w: f32(2, -2) });
    expect(Array.from(opt.readParameter('w'))).toEqual([0.75, 2.25]);
  });

  it('gradientBuffer() is the backend\'s buffer, which can be passed to step()', () => {
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), ...HALF, learningRate: 0.5, params: { w: f64(1, 2) } });
    const g = opt.gradientBuffer('w')!;
    expect(g).toBeInstanceOf(Float64Array);
    expect(g.length).toBe(2);
    expect(opt.gradientBuffer('w')).toBe(g);
    g.set([2, -2]);
    opt.step({ w: g });
    expect(Array.from(opt.parameter('w'))).toEqual([0.75, 2.25]);
  });

  it('step() without gradients takes every parameter\'s gradient buffer, as step() with them does', () => {
    const make = () => new RMSPropOptimizer({ backend: createReferenceBackend(), ...HALF, learningRate: 0.5, params: { w: f64(1, 2), b: f32(3) } });
    const implicit = make();
    const explicit = make();
    for (let t = 0; t < 3; t++) {
      for (const opt of [implicit, explicit]) {
        opt.gradientBuffer('w')!.set([2 - t, -2 * t]);
        opt.gradientBuffer('b')!.set([t + 0.5]);
      }
      expect(implicit.step()).toBe(true);
      expect(explicit.step({ w: explicit.gradientBuffer('w')!, b: explicit.gradientBuffer('b')! })).toBe(true);
    }
    expect(Array.from(implicit.parameter('w'))).toEqual(Array.from(explicit.parameter('w')));
    expect(Array.from(implicit.parameter('b'))).toEqual(Array.from(explicit.parameter('b')));
    expect(implicit.stateDict()).toEqual(explicit.stateDict());
    // undefined is the same as no argument; options still apply.
    implicit.gradientBuffer('w')!.set([1, 1]);
    implicit.gradientBuffer('b')!.set([1]);
    expect(implicit.step(undefined, { learningRate: 0 })).toBe(true);
    expect(Array.from(implicit.parameter('w'))).toEqual(Array.from(explicit.parameter('w')));
  });

  it('step() without gradients on a backend without gradient buffers is an ArgumentError naming grads, and nothing changes', () => {
    const backend = createReferenceBackend({ name: 'gpu', hostVisible: false });
    const opt = new RMSPropOptimizer({ backend, ...HALF, learningRate: 0.5, params: { w: f32(1, 2) } });
    expectError(() => opt.step(), ArgumentError, 'INVALID_ARGUMENT', /^grads = undefined is not allowed; expected gradients by parameter name: backend "gpu" has no gradient buffers \(gradientBuffer\("w"\) is null\), so step\(\) needs them passed$/);
    expect(opt.stepCount).toBe(0);
    expect(Array.from(opt.readParameter('w'))).toEqual([1, 2]);
  });
});

describe('float32 parameters', () => {
  it('step in float32 with float32 gradients; values stay float32', () => {
    const b = f32(1, 0.1);
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), ...HALF, learningRate: 0.5, params: { b } });
    opt.step({ b: f32(2, 2) });
    expect(b[0]).toBe(0.75);
    // 0.1 is not exact in float32: the result is the float32 nearest to fround(0.1) − 0.25.
    expect(b[1]).toBe(Math.fround(Math.fround(0.1) - 0.25));
  });
});

describe('dispose', () => {
  it('frees every slot once, leaves the backend alone, is idempotent', () => {
    const backend = createReferenceBackend();
    const opt = new RMSPropOptimizer({ backend, groups: [{ params: { w: f64(1) } }, { params: { b: f32(1), c: f32(2) } }] });
    opt.dispose();
    opt.dispose();
    expect(opt.disposed).toBe(true);
    expect(backend.disposedSlots).toEqual(['w', 'b', 'c']);
    expect(backend.disposeCount).toBe(0); // the optimizer does not own the backend
  });

  it('later calls throw DisposedError naming the operation', () => {
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params: { w: f64(1) } });
    const dict = opt.stateDict();
    opt.dispose();
    const calls: [string, () => unknown][] = [
      ['step', () => opt.step({ w: f64(1) })],
      ['stateDict', () => opt.stateDict()],
      ['loadStateDict', () => opt.loadStateDict(dict)],
      ['learningRates', () => opt.learningRates()],
      ['parameter', () => opt.parameter('w')],
      ['readParameter', () => opt.readParameter('w')],
      ['writeParameter', () => opt.writeParameter('w', [1])],
      ['gradientBuffer', () => opt.gradientBuffer('w')],
      ['configOf', () => opt.configOf('w')],
    ];
    for (const [operation, fn] of calls) {
      const e = expectError(fn, DisposedError, 'DISPOSED', new RegExp(`^this RMSPropOptimizer was disposed; ${operation}\\(\\) is not allowed after dispose\\(\\)$`));
      expect(e.name).toBe('DisposedError');
    }
    // Plain getters keep working.
    expect(opt.parameterNames).toEqual(['w']);
    expect(opt.stepCount).toBe(0);
  });
});

describe('asynchronous reads', () => {
  const grads = (t: number) => ({ w: Float64Array.of(0.5 * t, -1, 2), b: Float64Array.of(t) });

  it('readParameterAsync and stateDictAsync equal their synchronous forms where a backend reads synchronously', async () => {
    const backend = createReferenceBackend();
    const opt = new RMSPropOptimizer({ backend, params: { w: Float64Array.of(1, 2, 3), b: Float64Array.of(4) }, momentum: 0.9, centered: true });
    for (let t = 1; t <= 3; t++) opt.step(grads(t));
    expect(bytes(await opt.readParameterAsync('w'))).toEqual(bytes(opt.readParameter('w')));
    expect(await opt.stateDictAsync()).toEqual(opt.stateDict());
  });

  it('work on a backend whose slots read asynchronously only, where the synchronous forms throw', async () => {
    const syncBackend = createReferenceBackend();
    const asyncBackend = createReferenceBackend({ asyncReadsOnly: true, hostVisible: false });
    const make = (backend: ReferenceBackend) =>
      new RMSPropOptimizer({ backend, params: { w: Float64Array.of(1, 2, 3), b: Float64Array.of(4) }, momentum: 0.9, centered: true });
    const expected = make(syncBackend);
    const opt = make(asyncBackend);
    for (let t = 1; t <= 3; t++) {
      expected.step(grads(t));
      opt.step(grads(t));
    }
    expect(() => opt.readParameter('w')).toThrow(/asynchronously only/);
    expect(() => opt.stateDict()).toThrow(/asynchronously only/);
    expect(bytes(await opt.readParameterAsync('w'))).toEqual(bytes(expected.readParameter('w')));
    expect(await opt.stateDictAsync()).toEqual(expected.stateDict());
  });

  it('stateDictAsync is the state at the call, even when a step is taken before it resolves', async () => {
    const backend = createReferenceBackend({ asyncReadsOnly: true, hostVisible: false });
    const reference = createReferenceBackend();
    const make = (b: ReferenceBackend) => new RMSPropOptimizer({ backend: b, params: { w: Float64Array.of(1, 2, 3), b: Float64Array.of(4) }, momentum: 0.9 });
    const opt = make(backend);
    const twin = make(reference);
    opt.step(grads(1));
    twin.step(grads(1));
    const pending = opt.stateDictAsync();
    opt.step(grads(2));
    const dict = await pending;
    expect(dict.step).toBe(1);
    expect(dict).toEqual(twin.stateDict());
  });

  it('readParameterAsync names an unknown parameter', async () => {
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params: { w: Float64Array.of(1) } });
    // @ts-expect-error -- the types refuse it too; untyped callers get this error
    await expect(opt.readParameterAsync('nope')).rejects.toThrow(ParameterNameError);
  });
});

describe('re-entrancy: user code a step runs cannot change the optimizer under it', () => {
  // A step runs user code before it writes anything: schedules, and getters of the gradients object (or
  // a Proxy). The step's update list is shared, so a step started from there would overwrite the outer
  // step's gradients, and its count would disagree with the state's.
  type Reenter = (opt: RMSPropOptimizer, dict: ReturnType<RMSPropOptimizer['stateDict']>) => unknown;
  const reentries: [string, Reenter][] = [
    ['step', (opt) => opt.step({ w: f64(100, 100) })],
    ['loadStateDict', (opt, dict) => opt.loadStateDict(dict)],
    ['writeParameter', (opt) => opt.writeParameter('w', [7, 7])],
    ['dispose', (opt) => opt.dispose()],
  ];

  for (const [operation, reenter] of reentries) {
    it(`${operation}() from a schedule throws ReentrancyError; the outer step applies its own gradient`, () => {
      const inner: unknown[] = [];
      let dict: ReturnType<RMSPropOptimizer['stateDict']> | null = null;
      const opt: RMSPropOptimizer = new RMSPropOptimizer({
        backend: createReferenceBackend(),
        params: { w: f64(1, 2) },
        ...HALF,
        schedule: () => {
          try {
            reenter(opt, dict!);
          } catch (error) {
            inner.push(error);
          }
          return 0.5;
        },
      });
      dict = opt.stateDict();
      expect(opt.step({ w: f64(2, -2) })).toBe(true);
      expect(inner).toHaveLength(1);
      const e = inner[0] as ReentrancyError;
      expect(e).toBeInstanceOf(ReentrancyError);
      expect(e).toBeInstanceOf(RMSPropError);
      expect(e.code).toBe('REENTRANT_CALL');
      expect(e.message).toBe(`RMSPropOptimizer.${operation}() was called while its step() runs (from a schedule or a gradient getter); call it after step() returns`);
      // The outer step took its own gradient: θ moved by η/2 = 0.25 against g = (2, −2).
      expect(Array.from(opt.readParameter('w'))).toEqual([0.75, 2.25]);
      expect(opt.stepCount).toBe(1);
      expect(opt.stateDict().state.w.step).toBe(1);
      expect(opt.disposed).toBe(false);
      // Once the step has returned, every operation works again.
      expect(opt.step({ w: f64(2, -2) })).toBe(true);
      expect(opt.stepCount).toBe(2);
    });
  }

  it('a gradient getter that steps is refused the same way', () => {
    let inner: unknown = null;
    const opt: RMSPropOptimizer = new RMSPropOptimizer({ backend: createReferenceBackend(), params: { w: f64(1, 2) }, ...HALF, learningRate: 0.5 });
    const grads = {
      get w() {
        try {
          opt.step({ w: f64(100, 100) });
        } catch (error) {
          inner = error;
        }
        return f64(2, -2);
      },
    };
    opt.step(grads);
    expect(inner).toBeInstanceOf(ReentrancyError);
    expect(Array.from(opt.readParameter('w'))).toEqual([0.75, 2.25]);
    expect(opt.stepCount).toBe(1);
    expect(opt.stateDict().state.w.step).toBe(1);
  });

  it('a step that throws from user code leaves the optimizer usable', () => {
    let fail = true;
    const opt = new RMSPropOptimizer({
      backend: createReferenceBackend(),
      params: { w: f64(1, 2) },
      ...HALF,
      schedule: () => {
        if (fail) throw new Error('schedule failed');
        return 0.5;
      },
    });
    expect(() => opt.step({ w: f64(2, -2) })).toThrow('schedule failed');
    fail = false;
    expect(opt.step({ w: f64(2, -2) })).toBe(true);
    expect(Array.from(opt.readParameter('w'))).toEqual([0.75, 2.25]);
  });
});

describe('parameter names that are Object.prototype members', () => {
  const names = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

  it('each is a parameter like any other: stepped, saved, loaded', () => {
    const params: Record<string, FloatArray> = {};
    for (const name of names) Object.defineProperty(params, name, { value: f64(1, 2), enumerable: true });
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params, ...HALF, learningRate: 0.5 });
    expect(opt.parameterNames).toEqual(names);
    const grads: Record<string, FloatArray> = {};
    for (const name of names) Object.defineProperty(grads, name, { value: f64(2, -2), enumerable: true });
    opt.step(grads);
    const dict = opt.stateDict();
    expect(Object.keys(dict.state)).toEqual(names);
    for (const name of names) expect(Object.hasOwn(dict.state, name)).toBe(true);
    expect(Object.getPrototypeOf(dict.state)).toBe(Object.prototype);
    // Through JSON (a "__proto__" key parses as an own property) into a fresh optimizer: the same next step.
    const again: Record<string, FloatArray> = {};
    for (const name of names) Object.defineProperty(again, name, { value: opt.readParameter(name), enumerable: true });
    const copy = new RMSPropOptimizer({ backend: createReferenceBackend(), params: again, ...HALF, learningRate: 0.5 });
    copy.loadStateDict(JSON.parse(JSON.stringify(dict)));
    expect(copy.stateDict()).toEqual(dict);
    opt.step(grads);
    copy.step(grads);
    for (const name of names) expect(Array.from(copy.readParameter(name))).toEqual(Array.from(opt.readParameter(name)));
  });

  it('a missing gradient for "constructor" is MISSING_PARAMETER, not an inherited function', () => {
    const params: Record<string, FloatArray> = {};
    Object.defineProperty(params, 'constructor', { value: f64(1), enumerable: true });
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params });
    expectError(() => opt.step({}), ParameterNameError, 'MISSING_PARAMETER', /^no gradient given for parameter "constructor"/);
  });

  it('a state dict without an entry for "__proto__" is refused as missing', () => {
    const params: Record<string, FloatArray> = {};
    Object.defineProperty(params, '__proto__', { value: f64(1), enumerable: true });
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params });
    const without = { ...opt.stateDict(), state: {} };
    const e = catchError(() => opt.loadStateDict(without as never));
    expect(e).toBeInstanceOf(StateDictError);
    expect(e.message).toBe('state dict .state["__proto__"]: is missing');
  });

  it('a state dict without an entry for "toString" is refused as missing, not as a function', () => {
    const params: Record<string, FloatArray> = {};
    Object.defineProperty(params, 'toString', { value: f64(1), enumerable: true });
    const opt = new RMSPropOptimizer({ backend: createReferenceBackend(), params });
    const dict = opt.stateDict();
    const without = { ...dict, state: {} };
    const e = catchError(() => opt.loadStateDict(without as never));
    expect(e).toBeInstanceOf(StateDictError);
    expect(e.message).toBe('state dict .state["toString"]: is missing');
  });
});
