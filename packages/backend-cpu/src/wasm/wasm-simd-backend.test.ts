/**
 * WasmSimdBackend's own behaviour: capabilities and details, slots as views of the arena and mirrored
 * adoption, the run-splitting in `step` (one kernel call per run of consecutive updates sharing variant,
 * dtype and constants, and the same bits as one slot at a time), atomicity down to the arena's bytes,
 * the arena given back on dispose, createSlots' layout, and the SIMD non-finite scan. The interface contract
 * (every check, copies, round trips, disposal) is contract.test.ts (defineBackendContractSuite).
 */
import {
  ArgumentError,
  DisposedError,
  dtypeOf,
  findNonFinite,
  NonFiniteGradientError,
  resolveConfig,
  RMSPropOptimizer,
  ShapeError,
  SPEC_VERSION,
  type BackendSlot,
  type DType,
  type FloatArray,
  type RMSPropConfig,
  type SlotUpdate,
} from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { bytesOf, firstMismatch } from '../__fixtures__/compare.js';
import { expectError } from '../__fixtures__/expect-error.js';
import { Rng } from '../__fixtures__/random.js';
import { JsLoopBackend } from '../js-loop-backend.js';
import { createCpuBackend } from '../create-cpu-backend.js';
import { createKernelConstants, setKernelConstants, variantIndexOf } from '@rmsprop/core';
import { arenaBytes, slotRequest, wasmTestBackend } from './__fixtures__/wasm-fixtures.js';
import { overArena } from './__fixtures__/over-arena.js';
import type { WasmArena } from './wasm-arena.js';
import { WasmSimdBackend } from './wasm-simd-backend.js';
import { BLOCK_NAMES, WasmSlot } from './wasm-slot.js';

const array = (dtype: DType, values: ArrayLike<number>): FloatArray => (dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values));

describe('identity and capabilities', () => {
  it("is 'cpu', spec v1, float32 and float64 in WebAssembly memory, host-visible, adopting, kernel 'wasm-simd'", async () => {
    const backend = await createCpuBackend();
    expect(backend).toBeInstanceOf(WasmSimdBackend);
    expect(backend.name).toBe('cpu');
    expect(backend.specVersion).toBe(SPEC_VERSION);
    const c = backend.capabilities;
    expect([...c.dtypes].sort()).toEqual(['float32', 'float64']);
    expect(c.bufferLocation).toBe('wasm-memory');
    expect(c.hostVisible).toBe(true);
    expect(c.hostArrays).toBe('mirrored');
    expect(c.details).toMatchObject({ kernel: 'wasm-simd', memory: 'shared', arenaCapacityBytes: 4 * 1024 * 1024 * 1024, threads: 1 });
    expect(c.details.fallbackReason).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.details)).toBe(true);
  });

  it('a fixed arena says so, with its capacity', async () => {
    const { backend } = await wasmTestBackend({ shared: false, fixedBytes: 5 * 65536 });
    expect(backend.capabilities.details).toMatchObject({ kernel: 'wasm-simd', memory: 'fixed', arenaCapacityBytes: 5 * 65536 });
  });
});

describe('createSlot', () => {
  const config = resolveConfig({ centered: true, momentum: 0.9, initialMeanSquare: 0.1 });

  it('copies the values into the arena: params is a view of WebAssembly memory, v at initialMeanSquare (rounded in float32), m = b = 0', async () => {
    const { backend, arena } = await wasmTestBackend();
    for (const dtype of ['float32', 'float64'] as const) {
      const values = array(dtype, [1, 2, 0.1]);
      const slot = backend.createSlot(slotRequest('w', values, config));
      expect(slot.params).not.toBe(values);
      expect(overArena(slot.params!, arena)).toBe(true);
      expect(dtypeOf(slot.params)).toBe(dtype);
      expect(Array.from(slot.params!)).toEqual(Array.from(values));
      expect((slot as WasmSlot).mirrored).toBe(false);
      const s = slot.readState();
      expect(dtypeOf(s.meanSquare)).toBe(dtype);
      expect(Array.from(s.meanSquare)).toEqual(Array(3).fill(dtype === 'float32' ? Math.fround(0.1) : 0.1));
      expect(Array.from(s.meanGrad!)).toEqual([0, 0, 0]);
      expect(Array.from(s.momentum!)).toEqual([0, 0, 0]);
      // readState and readParams are copies, not views.
      expect(s.meanSquare.buffer).not.toBe(arena.memory.buffer);
      expect(slot.readParams().buffer).not.toBe(arena.memory.buffer);
      // The gradient buffer is a view into the arena too.
      expect(overArena(slot.grads!, arena)).toBe(true);
      expect(slot.grads!.length).toBe(3);
    }
    const lean = backend.createSlot(slotRequest('lean', new Float64Array(2), resolveConfig({})));
    expect(lean.readState().meanGrad).toBeNull();
    expect(lean.readState().momentum).toBeNull();
    expect((lean as WasmSlot).offsets.meanGrad).toBe(0);
    expect((lean as WasmSlot).offsets.momentum).toBe(0);
  });

  it('adopting an array of the same dtype mirrors it (params is the caller\'s array); of the other dtype, copies it', async () => {
    const { backend } = await wasmTestBackend();
    const own = new Float64Array([1, 2, 3]);
    const mirrored = backend.createSlot(slotRequest('m', own, config, { adopt: true }));
    expect(mirrored.params).toBe(own);
    expect((mirrored as WasmSlot).mirrored).toBe(true);
    const other = new Float64Array([1, 2, 0.1]);
    const copied = backend.createSlot(slotRequest('c', other, config, { dtype: 'float32', adopt: true }));
    expect(copied.params).not.toBe(other);
    expect((copied as WasmSlot).mirrored).toBe(false);
    expect(Array.from(copied.params!)).toEqual([1, 2, Math.fround(0.1)]);
    const step = resolveConfig({ learningRate: 0.5, rho: 0.75, epsilon: 2 }); // g = 4: v = 4, d = 4, u = 1, θ −= 0.5
    const a = backend.createSlot(slotRequest('a', own, step, { adopt: true }));
    backend.step([{ slot: a, grads: new Float64Array([4, 4, 4]), hyper: { config: step, learningRate: 0.5, step: 1 } }]);
    expect(Array.from(own)).toEqual([0.5, 1.5, 2.5]);
    expect(Array.from(other)).toEqual([1, 2, 0.1]); // never written
  });
});

/** The kernel calls `updates` should make: one per run of consecutive updates with equal variant, dtype and constants. */
function expectedRuns(updates: readonly SlotUpdate[]): { variant: number; dtype: DType; count: number }[] {
  const runs: { variant: number; dtype: DType; count: number; key: string }[] = [];
  const k = createKernelConstants();
  for (const u of updates) {
    setKernelConstants(k, u.hyper);
    const variant = variantIndexOf(u.hyper.config);
    const key = JSON.stringify([variant, u.slot.dtype, Object.values(k).map((x) => (Object.is(x, -0) ? '-0' : String(x)))]);
    const last = runs.at(-1);
    if (last !== undefined && last.key === key) last.count++;
    else runs.push({ variant, dtype: u.slot.dtype, count: 1, key });
  }
  return runs.map(({ variant, dtype, count }) => ({ variant, dtype, count }));
}

describe('step: one kernel call per run of updates sharing variant, dtype and constants', () => {
  const A = resolveConfig({ learningRate: 0.01, momentum: 0.9, centered: true });
  const B = resolveConfig({ learningRate: 0.01, rho: 0.5, weightDecay: 0.1, decoupledWeightDecay: true });

  it('a model whose parameters share a config is one call, its descriptors in update order', async () => {
    const { backend, calls } = await wasmTestBackend();
    const slots = [0, 1, 2, 5, 8, 9].map((n, i) => backend.createSlot(slotRequest(`p${i}`, new Float64Array(n).fill(1), A)));
    backend.step(slots.map((slot) => ({ slot, grads: new Float64Array(slot.length).fill(0.5), hyper: { config: A, learningRate: 0.01, step: 1 } })));
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ variant: variantIndexOf(A), dtype: 'float64', count: 6 });
    expect(calls[0].descriptors.map((d) => d[5])).toEqual([0, 1, 2, 5, 8, 9]);
    expect(calls[0].descriptors.map((d) => d[0])).toEqual(slots.map((s) => (s as WasmSlot).offsets.param));
    // Equal configs in different objects still share the call (the constants are compared by value).
    calls.length = 0;
    backend.step(slots.map((slot) => ({ slot, grads: new Float64Array(slot.length), hyper: { config: { ...A }, learningRate: 0.01, step: 2 } })));
    expect(calls.map((c) => c.count)).toEqual([6]);
  });

  it('splits where the variant, the dtype, η, a constant or t changes, and only there', async () => {
    const { backend, calls } = await wasmTestBackend();
    const f64 = (name: string, config: Readonly<RMSPropConfig>) => backend.createSlot(slotRequest(name, new Float64Array([1, 2, 3]), config));
    const f32 = (name: string, config: Readonly<RMSPropConfig>) => backend.createSlot(slotRequest(name, new Float32Array([1, 2, 3]), config));
    const a1 = f64('a1', A);
    const a2 = f64('a2', A);
    const a3 = f32('a3', A);
    const b1 = f64('b1', B);
    const b2 = f64('b2', B);
    const update = (slot: BackendSlot, config: Readonly<RMSPropConfig>, learningRate = config.learningRate, step = 1): SlotUpdate => ({
      slot,
      grads: slot.dtype === 'float32' ? new Float32Array([1, -1, 2]) : new Float64Array([1, -1, 2]),
      hyper: { config, learningRate, step },
    });
    const cases: [string, SlotUpdate[], number[]][] = [
      ['A A B B', [update(a1, A), update(a2, A), update(b1, B), update(b2, B)], [2, 2]],
      ['A B A B (interleaved)', [update(a1, A), update(b1, B), update(a2, A), update(b2, B)], [1, 1, 1, 1]],
      ['A(f64) A(f32) A(f64): the dtype splits', [update(a1, A), update(a3, A), update(a2, A)], [1, 1, 1]],
      ['η differs', [update(a1, A, 0.01), update(a2, A, 0.02)], [1, 1]],
      ['ε differs (same variant)', [update(a1, A), update(a2, resolveConfig({ ...A, epsilon: 1e-7 }))], [1, 1]],
      ['maximize differs (same variant)', [update(a1, A), update(a2, resolveConfig({ ...A, maximize: true }))], [1, 1]],
      ['t differs (1 − ρᵗ)', [update(a1, A, 0.01, 3), update(a2, A, 0.01, 4)], [1, 1]],
      ['empty', [], []],
    ];
    for (const [name, updates, counts] of cases) {
      calls.length = 0;
      backend.step(updates);
      expect(calls.map((c) => c.count), name).toEqual(counts);
      expect(calls.map((c) => ({ variant: c.variant, dtype: c.dtype, count: c.count })), name).toEqual(expectedRuns(updates));
    }
  });

  it('random mixes of configs, dtypes, η and t in random order: float64 equals the JS kernel, float32 equals one slot per call, bit for bit', async () => {
    const rng = new Rng(404);
    const { backend: wasm, calls } = await wasmTestBackend();
    const single = await createCpuBackend({ kernel: 'wasm-simd' }); // the same slots, one step call each
    const js = await createCpuBackend({ kernel: 'js' });
    const pool = [
      resolveConfig({ learningRate: 0.01, momentum: 0.9, centered: true }),
      resolveConfig({ learningRate: 0.02, momentum: 0.5, nesterov: true, biasCorrection: true, weightDecay: 0.01 }),
      resolveConfig({ learningRate: 0.05, epsilonPlacement: 'inside', learningRateInMomentum: true, momentum: 0.3 }),
      resolveConfig({ learningRate: 0.01, rho: 0.8, weightDecay: 0.1, decoupledWeightDecay: true, maximize: true }),
    ];
    const runs = Array.from({ length: 30 }, (_, i) => {
      const dtype: DType = rng.pick(['float32', 'float64']);
      const config = rng.pick(pool);
      const n = rng.pick([0, 1, 3, 4, 7, 8, 33, 100]);
      const theta0 = array(dtype, rng.normals64(n, 1));
      return {
        dtype,
        config,
        n,
        wasm: wasm.createSlot(slotRequest(`p${i}`, theta0.slice(), config)),
        single: single.createSlot(slotRequest(`p${i}`, theta0.slice(), config)),
        js: js.createSlot(slotRequest(`p${i}`, theta0.slice(), config)),
        step: 0,
      };
    });
    let multiSlotCalls = 0;
    for (let t = 1; t <= 15; t++) {
      // Sort mostly by config so that runs form, with some shuffling in between.
      const order = runs.slice().sort((a, b) => pool.indexOf(a.config) - pool.indexOf(b.config) + (rng.bool(0.3) ? rng.uniform(-3, 3) : 0));
      const updates = { wasm: [] as SlotUpdate[], single: [] as SlotUpdate[], js: [] as SlotUpdate[] };
      for (const run of order) {
        if (rng.bool(0.1)) continue; // some slots sit a step out, so their t drifts apart
        run.step++;
        const grads = array(run.dtype, rng.normals64(run.n, 1));
        const learningRate = rng.bool(0.7) ? run.config.learningRate : run.config.learningRate / 2;
        const hyper = { config: run.config, learningRate, step: run.step };
        updates.wasm.push({ slot: run.wasm, grads, hyper });
        updates.single.push({ slot: run.single, grads, hyper });
        updates.js.push({ slot: run.js, grads, hyper });
      }
      calls.length = 0;
      wasm.step(updates.wasm);
      for (const u of updates.single) single.step([u]);
      js.step(updates.js);
      expect(calls.map((c) => ({ variant: c.variant, dtype: c.dtype, count: c.count }))).toEqual(expectedRuns(updates.wasm));
      multiSlotCalls += calls.filter((c) => c.count > 1).length;
      for (const run of runs) {
        const other = run.dtype === 'float64' ? run.js : run.single;
        const a = run.wasm.readState();
        const b = other.readState();
        const m =
          firstMismatch(run.wasm.params!, other.params!, `t=${t} ${run.wasm.name} θ`) ??
          firstMismatch(a.meanSquare, b.meanSquare, `t=${t} ${run.wasm.name} v`) ??
          (a.meanGrad === null ? null : firstMismatch(a.meanGrad, b.meanGrad!, `t=${t} ${run.wasm.name} m`)) ??
          (a.momentum === null ? null : firstMismatch(a.momentum, b.momentum!, `t=${t} ${run.wasm.name} b`));
        if (m !== null) expect.fail(m);
      }
    }
    expect(multiSlotCalls).toBeGreaterThan(20); // runs of several slots did form
  });
});

describe('atomicity: a bad update leaves every slot, the arena and the mirrored caller arrays byte-identical', () => {
  const centered = resolveConfig({ learningRate: 0.01, momentum: 0.9, centered: true });
  const plain = resolveConfig({ learningRate: 0.02, biasCorrection: true, weightDecay: 0.01, decoupledWeightDecay: true });

  async function trained() {
    const { backend, arena } = await wasmTestBackend();
    const rng = new Rng(99);
    const user = { a: rng.normals64(5), d: rng.normals32(9) };
    const slots = {
      a: backend.createSlot(slotRequest('a', user.a, centered, { adopt: true })), // mirrored float64
      b: backend.createSlot(slotRequest('b', rng.normals32(4), plain)), // float32 in the arena
      c: backend.createSlot(slotRequest('c', rng.normals64(17), centered)),
      d: backend.createSlot(slotRequest('d', user.d, plain, { adopt: true })), // mirrored float32
    };
    const order = [slots.a, slots.b, slots.c, slots.d];
    const good = (t: number): SlotUpdate[] =>
      order.map((slot) => ({
        slot,
        grads: slot.dtype === 'float32' ? rng.normals32(slot.length) : rng.normals64(slot.length),
        hyper: { config: slot === slots.a || slot === slots.c ? centered : plain, learningRate: 0.01, step: t },
      }));
    for (let t = 1; t <= 3; t++) backend.step(good(t));
    return { backend, arena, user, slots, order, good };
  }

  function snapshot(arena: Parameters<typeof arenaBytes>[0], user: { a: Float64Array; d: Float32Array }, order: BackendSlot[]) {
    return {
      arena: arenaBytes(arena),
      user: [bytesOf(user.a), bytesOf(user.d)],
      slots: order.map((slot) => {
        const s = slot.readState();
        return [bytesOf(slot.params), bytesOf(slot.grads), bytesOf(s.meanSquare), bytesOf(s.meanGrad), bytesOf(s.momentum)];
      }),
    };
  }

  it('a rejected step writes nothing anywhere in the arena (staging included) nor into mirrored caller arrays', async () => {
    const { backend, arena, user, slots, order, good } = await trained();
    const other = await wasmTestBackend();
    const foreign = other.backend.createSlot(slotRequest('a', new Float64Array(5), centered));
    const jsSlot = new JsLoopBackend().createSlot(slotRequest('a', new Float64Array(5), centered));
    const gone = backend.createSlot(slotRequest('gone', new Float64Array(5), centered));
    gone.dispose();
    // The caller wrote new values into a mirrored array since the last step: a rejected step must neither
    // copy them into the arena nor overwrite them.
    user.a[0] = 1234.5;
    user.d[8] = -0.25;
    const before = snapshot(arena, user, order);
    const replace = (i: number, change: (u: SlotUpdate) => SlotUpdate) => (updates: SlotUpdate[]) => updates.map((u, j) => (j === i ? change(u) : u));
    // Every kind of bad update is the contract's (contract.test.ts); these are the ones that would reach this
    // backend's staging or run splitting if a check came too late, and a slot of the other CPU kernel.
    const cases: [string, (updates: SlotUpdate[]) => SlotUpdate[], new (...args: never[]) => Error, string, RegExp][] = [
      ['wrong length (last)', replace(3, (u) => ({ ...u, grads: new Float32Array(10) })), ShapeError, 'LENGTH_MISMATCH', /^gradient of "d" has length 10; expected 9$/],
      ['disposed slot', (u) => [...u, { ...u[0], slot: gone }], DisposedError, 'DISPOSED', /^cpu slot "gone" was disposed; step\(\) is not allowed/],
      ['foreign slot (another wasm backend)', (u) => [...u.slice(1), { ...u[0], slot: foreign }], ArgumentError, 'INVALID_ARGUMENT', /^updates\[3\]\.slot = .* expected a slot created by this cpu backend$/],
      ['foreign slot (the JS kernel)', replace(2, (u) => ({ ...u, slot: jsSlot })), ArgumentError, 'INVALID_ARGUMENT', /^updates\[2\]\.slot = .*a slot created by this cpu backend$/],
      ['duplicate slot', (u) => [...u, u[1]], ArgumentError, 'INVALID_ARGUMENT', /^updates\[4\]\.slot = "b" is not allowed; expected a slot not already updated in this step$/],
      ['momentum config on a slot without b', replace(1, (u) => ({ ...u, hyper: { ...u.hyper, config: resolveConfig({ ...plain, momentum: 0.5 }) } })), ArgumentError, 'INVALID_ARGUMENT', /^config\.momentum = 0\.5 is not allowed; expected 0 for slot "b"/],
    ];
    for (const [name, make, type, code, message] of cases) {
      const updates = make(good(4));
      let thrown: unknown = null;
      try {
        backend.step(updates);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, name).toBeInstanceOf(type);
      expect((thrown as { code: string }).code, name).toBe(code);
      expect((thrown as Error).message, name).toMatch(message);
      const after = snapshot(arena, user, order);
      expect(after.arena, name).toEqual(before.arena);
      expect(after.user, name).toEqual(before.user);
      expect(after.slots, name).toEqual(before.slots);
    }
    // The backend still works, and the next good step uses the caller's new values.
    backend.step(good(4));
    expect(user.a[0]).not.toBe(1234.5);
    expect(Math.abs(user.a[0] - 1234.5)).toBeLessThan(0.1);
    expect(slots.a.params).toBe(user.a);
  });
});

describe('dispose', () => {
  const config = resolveConfig({ momentum: 0.5 });

  it('disposing the backend gives the arena back (all but its first 16 bytes); the caller\'s adopted array stays theirs', async () => {
    const { backend, arena } = await wasmTestBackend();
    const own = new Float64Array([1, 2, 3]);
    const a = backend.createSlot(slotRequest('a', own, config, { adopt: true }));
    const b = backend.createSlot(slotRequest('b', new Float32Array(5), config));
    backend.dispose();
    backend.dispose();
    expect((a as WasmSlot).disposed).toBe(true);
    expect((b as WasmSlot).disposed).toBe(true);
    expect(arena.usedBytes).toBe(16);
    expect(Array.from(own)).toEqual([1, 2, 3]); // the caller's array stays the caller's
  });
});

describe('findNonFinite: a SIMD scan of the arena gradient buffer', () => {
  it('finds the first NaN or ±∞ at every position (whole vectors and the tail), and nothing in finite data', async () => {
    const { backend } = await wasmTestBackend();
    const config = resolveConfig({});
    for (const dtype of ['float32', 'float64'] as const) {
      const max = dtype === 'float32' ? 3.4028234663852886e38 : Number.MAX_VALUE;
      const tiny = dtype === 'float32' ? 1e-45 : 5e-324;
      for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 1023]) {
        const slot = backend.createSlot(slotRequest(`${dtype}${n}`, array(dtype, new Float64Array(n)), config));
        const g = slot.grads!;
        const fill = () => {
          for (let i = 0; i < n; i++) g[i] = [0, -0, max, -max, tiny, -tiny, 1.5][i % 7];
        };
        fill();
        expect(backend.findNonFinite(slot, g)).toBe(-1);
        for (let p = 0; p < n; p += n > 40 ? 37 : 1) {
          for (const bad of [NaN, Infinity, -Infinity]) {
            fill();
            g[p] = bad;
            if (p + 3 < n) g[p + 3] = NaN; // a later one is not reported
            expect(backend.findNonFinite(slot, g), `${dtype} n=${n} at ${p}: ${bad}`).toBe(p);
          }
        }
        // A caller's array of the slot's dtype and length is copied into the arena and scanned there: the
        // same answer as the JS scan, at every position.
        fill();
        const copy = g.slice();
        for (let p = 0; p < n; p += n > 40 ? 37 : 1) {
          const bad = copy.slice();
          bad[p] = [NaN, Infinity, -Infinity][p % 3];
          expect(backend.findNonFinite(slot, bad), `${dtype} n=${n} caller's array at ${p}`).toBe(p);
          expect(findNonFinite(bad)).toBe(p);
        }
        expect(backend.findNonFinite(slot, copy)).toBe(-1);
        // One of another length or dtype is scanned in JS where it is.
        const other = dtype === 'float32' ? new Float64Array(n).fill(1) : new Float32Array(n).fill(1);
        if (n > 0) other[n - 1] = NaN;
        expect(backend.findNonFinite(slot, other as never)).toBe(n - 1);
      }
    }
  });

  it('a caller\'s gradient staged by the scan is the one the next step uses; a different array, or a later step, copies again', async () => {
    const config = resolveConfig({ learningRate: 0.1 });
    const run = async (scan: boolean, swap: boolean) => {
      const { backend } = await wasmTestBackend();
      const slot = backend.createSlot(slotRequest('w', new Float32Array(37).fill(1), config));
      const g1 = new Float32Array(37).fill(0.5);
      const g2 = new Float32Array(37).fill(-2);
      const hyper = (step: number) => ({ config, learningRate: 0.1, step });
      if (scan) expect(backend.findNonFinite(slot, g1)).toBe(-1);
      backend.step([{ slot, grads: swap ? g2 : g1, hyper: hyper(1) }]);
      // Staged for step 1 only: step 2 with g1 changed in between must see the change.
      g1.fill(3);
      backend.step([{ slot, grads: g1, hyper: hyper(2) }]);
      return Array.from(slot.readParams());
    };
    expect(await run(true, false)).toEqual(await run(false, false));
    expect(await run(true, true)).toEqual(await run(false, true));
    // Staging for a step that then throws leaves nothing behind either.
    const { backend } = await wasmTestBackend();
    const slot = backend.createSlot(slotRequest('w', new Float32Array(4).fill(1), config));
    const g = new Float32Array(4).fill(0.5);
    backend.findNonFinite(slot, g);
    expect(() => backend.step([{ slot, grads: g, hyper: { config, learningRate: -1, step: 1 } }])).toThrow(/learningRate/);
    g.fill(2);
    backend.step([{ slot, grads: g, hyper: { config, learningRate: 0.1, step: 1 } }]);
    const { backend: fresh } = await wasmTestBackend();
    const twin = fresh.createSlot(slotRequest('w', new Float32Array(4).fill(1), config));
    fresh.step([{ slot: twin, grads: new Float32Array(4).fill(2), hyper: { config, learningRate: 0.1, step: 1 } }]);
    expect(Array.from(slot.readParams())).toEqual(Array.from(twin.readParams()));
  });

  it('through the optimizer: a NaN written into gradientBuffer is reported at its index, and nothing is written', async () => {
    const backend = await createCpuBackend();
    const optimizer = new RMSPropOptimizer({ backend, inPlace: false, params: { w: new Float32Array(1000).fill(1) }, learningRate: 0.1 });
    const g = optimizer.gradientBuffer('w')!;
    g.fill(0.5);
    g[777] = NaN;
    const before = optimizer.parameter('w').slice();
    const error = expectError(() => optimizer.step({ w: g }), NonFiniteGradientError, 'NON_FINITE_GRADIENT', /"w".*777/);
    expect(error.index).toBe(777);
    expect(firstMismatch(optimizer.parameter('w'), before)).toBeNull();
    expect(optimizer.stepCount).toBe(0);
  });
});

describe('createSlots: slots laid out together, and consecutive ones in a run are one descriptor', () => {
  const A = resolveConfig({ learningRate: 0.01, momentum: 0.9, centered: true });
  const P = resolveConfig({ learningRate: 0.01 });

  it('each buffer kind is one block, the slots end to end (16-byte aligned); whole-vector slots merge into one descriptor', async () => {
    const { backend, calls } = await wasmTestBackend();
    for (const [dtype, lengths, merged] of [
      ['float32', [4, 8, 1000, 3, 4, 4], [1015, 8]], // 3 × 4 bytes is not a whole vector: the next slot starts a new descriptor
      ['float64', [2, 4, 3, 2], [9, 2]],
    ] as const) {
      const slots = backend.createSlots(lengths.map((n, i) => slotRequest(`${dtype}${i}`, array(dtype, Array.from({ length: n }, (_, j) => j)), A))) as WasmSlot[];
      const bytes = dtype === 'float32' ? 4 : 8;
      for (let i = 1; i < slots.length; i++) {
        const step = Math.ceil((lengths[i - 1] * bytes) / 16) * 16;
        for (const kind of BLOCK_NAMES) {
          expect(slots[i].offsets[kind], `${dtype} slot ${i} ${kind}`).toBe(slots[i - 1].offsets[kind] + step);
        }
      }
      expect(slots.map((s) => Array.from(s.params!))).toEqual(lengths.map((n) => Array.from({ length: n }, (_, j) => j)));
      calls.length = 0;
      backend.step(slots.map((slot) => ({ slot, grads: array(dtype, Array(slot.length).fill(0.5)), hyper: { config: A, learningRate: 0.01, step: 1 } })));
      expect(calls.map((c) => c.descriptors.map((d) => d[5]))).toEqual([merged]);
    }
  });

  it('slots without m or b take no room in those blocks, and merge only with neighbours of the same kind', async () => {
    const { backend, calls } = await wasmTestBackend();
    const slots = backend.createSlots([
      slotRequest('a', new Float32Array(8), A),
      slotRequest('b', new Float32Array(8), P),
      slotRequest('c', new Float32Array(8), P),
      slotRequest('d', new Float32Array(8), A),
    ]) as WasmSlot[];
    expect(slots.map((s) => s.offsets.meanGrad === 0)).toEqual([false, true, true, false]);
    expect(slots[3].offsets.meanGrad).toBe(slots[0].offsets.meanGrad + 32);
    expect(slots[2].offsets.param).toBe(slots[1].offsets.param + 32);
    calls.length = 0;
    const hyper = (config: Readonly<RMSPropConfig>) => ({ config, learningRate: 0.01, step: 1 });
    backend.step(slots.map((slot, i) => ({ slot, grads: new Float32Array(8).fill(1), hyper: hyper(i === 0 || i === 3 ? A : P) })));
    // Three runs (the config changes): a, then b and c (contiguous: one descriptor), then d.
    expect(calls.map((c) => c.descriptors.map((d) => d[5]))).toEqual([[8], [16], [8]]);
  });

  it('steps to the same bits as slots created one at a time, over random lengths, configs, dtypes and runs', async () => {
    const rng = new Rng(77);
    const { backend: batched, calls } = await wasmTestBackend();
    const { backend: single } = await wasmTestBackend();
    const pool = [A, P, resolveConfig({ learningRate: 0.02, momentum: 0.5, nesterov: true, biasCorrection: true, weightDecay: 0.01 })];
    const specs = Array.from({ length: 40 }, () => {
      const dtype: DType = rng.pick(['float32', 'float64']);
      const n = rng.pick([0, 1, 3, 4, 8, 12, 64, 100]);
      return { dtype, config: rng.pick(pool), theta0: array(dtype, rng.normals64(n, 1)) };
    });
    const a = batched.createSlots(specs.map((s, i) => slotRequest(`p${i}`, s.theta0.slice(), s.config)));
    const b = specs.map((s, i) => single.createSlot(slotRequest(`p${i}`, s.theta0.slice(), s.config)));
    let mergedDescriptors = 0;
    for (let t = 1; t <= 6; t++) {
      const grads = specs.map((s) => array(s.dtype, rng.normals64(s.theta0.length, 1)));
      const order = specs.map((_, i) => i).sort((i, j) => pool.indexOf(specs[i].config) - pool.indexOf(specs[j].config) || i - j);
      calls.length = 0;
      batched.step(order.map((i) => ({ slot: a[i], grads: grads[i], hyper: { config: specs[i].config, learningRate: specs[i].config.learningRate, step: t } })));
      single.step(order.map((i) => ({ slot: b[i], grads: grads[i], hyper: { config: specs[i].config, learningRate: specs[i].config.learningRate, step: t } })));
      mergedDescriptors += order.length - calls.reduce((sum, c) => sum + c.count, 0);
      for (let i = 0; i < specs.length; i++) {
        const sa = a[i].readState();
        const sb = b[i].readState();
        const m =
          firstMismatch(a[i].params!, b[i].params!, `t=${t} p${i} θ`) ??
          firstMismatch(sa.meanSquare, sb.meanSquare, `t=${t} p${i} v`) ??
          (sa.meanGrad === null ? null : firstMismatch(sa.meanGrad, sb.meanGrad!, `t=${t} p${i} m`)) ??
          (sa.momentum === null ? null : firstMismatch(sa.momentum, sb.momentum!, `t=${t} p${i} b`));
        if (m !== null) expect.fail(m);
      }
    }
    expect(mergedDescriptors).toBeGreaterThan(0);
  });

  it('all or none: a bad request or a full arena leaves the arena as it was; disposed slots give their parts back', async () => {
    const { backend, arena } = await wasmTestBackend({ shared: false, fixedBytes: 4 * 65536 });
    const used = arena.usedBytes;
    const e = expectError(
      () => backend.createSlots([slotRequest('a', new Float32Array(4), P), { ...slotRequest('b', new Float32Array(4), P), length: -1 }]),
      ArgumentError,
      'INVALID_ARGUMENT',
      /length/,
    );
    expect(e.message).toMatch(/-1/);
    expect(arena.usedBytes).toBe(used);
    expect(() => backend.createSlots([slotRequest('a', new Float32Array(4), A), slotRequest('big', new Float32Array(40000), A)])).toThrow(/arena is full/);
    expect(arena.usedBytes).toBe(used);
    const slots = backend.createSlots(Array.from({ length: 10 }, (_, i) => slotRequest(`s${i}`, new Float32Array(1000), A)));
    const high = arena.usedBytes;
    for (const slot of slots) slot.dispose();
    const again = backend.createSlots(Array.from({ length: 10 }, (_, i) => slotRequest(`t${i}`, new Float32Array(1000), A)));
    expect(arena.usedBytes).toBe(high); // the same room, reused
    expect(again.map((s) => Array.from(s.readState().meanGrad!.subarray(0, 2)))).toEqual(Array(10).fill([0, 0])); // zero-filled again
    expect(() => backend.createSlots('nope' as never)).toThrow(ArgumentError);
    backend.dispose();
    expect(() => backend.createSlots([])).toThrow(DisposedError);
  });

  it('the optimizer makes a model of many same-config parameters one kernel loop', async () => {
    const { backend, calls } = await wasmTestBackend();
    const params = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`w${i}`, new Float32Array(64).fill(1)]));
    const opt = new RMSPropOptimizer({ backend, params, momentum: 0.9, inPlace: false });
    calls.length = 0;
    opt.step(new Map(opt.parameterNames.map((name) => [name, new Float32Array(64).fill(0.5)])));
    expect(calls.map((c) => c.descriptors.map((d) => d[5]))).toEqual([[6400]]);
  });
});
