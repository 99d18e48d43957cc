/**
 * A view handed out (`parameter()`, `gradientBuffer()`, a slot's `params` and `grads`) never aliases memory
 * that later belongs to someone else: kept after `dispose()`, writing through it changes no later
 * optimizer or slot, on a shared arena (Node) and a fixed one. The blocks behind such views go back to the
 * arena once every view is unreachable (a FinalizationRegistry; stood in for here, so that "unreachable" is
 * the test's to say), blocks never handed out go back at once, and churn does not grow the arena.
 */
import { resolveConfig, RMSPropOptimizer, type BackendSlot, type FloatArray, type RMSPropBackend } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../create-cpu-backend.js';
import { slotRequest } from './__fixtures__/wasm-fixtures.js';
import { WasmArena, type PendingBlock } from './wasm-arena.js';
import { WasmSimdBackend } from './wasm-simd-backend.js';
import { instantiateKernels } from './wasm-kernels.js';
import type { WasmSlot } from './wasm-slot.js';

const full = resolveConfig({ momentum: 0.9, centered: true, learningRate: 0.1 });

/** A backend over an arena whose "unreachable" is the test's: `collect()` releases what was registered so far. */
async function watchedBackend(shared: boolean) {
  const registered: { target: WeakRef<object>; block: PendingBlock }[] = [];
  let release: (block: PendingBlock) => void = () => {};
  const arena = WasmArena.create(1 << 20, {
    shared,
    watch: (onUnreachable) => {
      release = onUnreachable;
      return { register: (target, block) => void registered.push({ target: new WeakRef(target), block }) };
    },
  });
  expect(arena.mode).toBe(shared ? 'shared' : 'fixed');
  const kernels = await instantiateKernels(arena.memory, shared);
  if (typeof kernels === 'string') throw new Error(kernels);
  const backend = new WasmSimdBackend(arena, kernels);
  /** As the FinalizationRegistry would, once the views are unreachable: every block registered goes back. */
  const collect = () => {
    for (const { block } of registered.splice(0)) release(block);
  };
  return { arena, backend, registered, collect };
}

/** Writes 1e30 through every element of each view. */
const scribble = (...views: FloatArray[]) => views.forEach((v) => v.fill(1e30));

describe.each([
  ['shared', true],
  ['fixed', false],
] as const)('a view kept after dispose (%s arena)', (_, shared) => {
  const backendOf = async (): Promise<RMSPropBackend> =>
    shared ? createCpuBackend() : (await watchedBackend(false)).backend;

  it("parameter() and gradientBuffer(): writing through them after dispose changes no later optimizer's parameters or state", async () => {
    const backend = await backendOf();
    const first = new RMSPropOptimizer({ backend, inPlace: false, momentum: 0.9, centered: true, params: { w: new Float32Array(1000).fill(1) } });
    const kept = first.parameter('w');
    const keptGrads = first.gradientBuffer('w')!;
    first.dispose();
    const second = new RMSPropOptimizer({ backend, inPlace: false, momentum: 0.9, centered: true, params: { w: new Float32Array(1000).fill(2) } });
    const before = second.stateDict();
    scribble(kept, keptGrads);
    expect(Array.from(new Set(second.parameter('w')))).toEqual([2]);
    expect(Array.from(new Set(second.gradientBuffer('w')!))).toEqual([0]);
    expect(second.stateDict()).toEqual(before);
    // A step of the second optimizer sees only its own gradient.
    second.step({ w: new Float32Array(1000).fill(0.5) });
    const twin = new RMSPropOptimizer({ backend: await createCpuBackend({ kernel: 'js' }), momentum: 0.9, centered: true, params: { w: new Float32Array(1000).fill(2) } });
    twin.step({ w: new Float32Array(1000).fill(0.5) });
    expect(second.parameter('w')).toEqual(twin.parameter('w'));
    // And the kept views are not the second optimizer's.
    scribble(kept, keptGrads);
    expect(second.parameter('w')).toEqual(twin.parameter('w'));
  });

  it("a slot's params and grads: a later slot of the same size is untouched by writes through the old views", async () => {
    const backend = await backendOf();
    const a = backend.createSlot(slotRequest('a', new Float64Array(64).fill(1), full));
    const params = a.params!;
    const grads = a.grads!;
    a.dispose();
    const b = backend.createSlot(slotRequest('b', new Float64Array(64).fill(3), full));
    scribble(params, grads);
    expect(Array.from(new Set(b.readParams()))).toEqual([3]);
    expect(Array.from(new Set(b.grads!))).toEqual([0]);
    const state = b.readState();
    expect(Array.from(new Set(state.meanSquare))).toEqual([full.initialMeanSquare]);
    expect(Array.from(new Set(state.meanGrad!))).toEqual([0]);
    expect(Array.from(new Set(state.momentum!))).toEqual([0]);
  });

  it('createSlots (laid out together): the same', async () => {
    const backend = await backendOf();
    const requests = (v: number) => ['x', 'y', 'z'].map((name) => slotRequest(name, new Float32Array(40).fill(v), full));
    const old = backend.createSlots!(requests(1));
    const views = old.flatMap((s) => [s.params!, s.grads!]);
    for (const s of old) s.dispose();
    const fresh = backend.createSlots!(requests(5));
    scribble(...views);
    for (const s of fresh) {
      expect(Array.from(new Set(s.readParams())), s.name).toEqual([5]);
      expect(Array.from(new Set(s.grads!)), s.name).toEqual([0]);
    }
  });
});

describe('when the blocks go back', () => {
  it.each([
    ['shared', true],
    ['fixed', false],
  ] as const)('blocks never handed out go back at dispose; those of views handed out once the views are unreachable (%s)', async (_, shared) => {
    const { arena, backend, registered, collect } = await watchedBackend(shared);
    const config = resolveConfig({ learningRate: 0.1 }); // θ, g, v
    const bytes = 4096 * 4;
    // Mirrored (adopted) θ and no view asked for: nothing is handed out, all three blocks go back at once.
    const quiet = backend.createSlot(slotRequest('quiet', new Float32Array(4096), config, { adopt: true }));
    expect(quiet.params).toBeInstanceOf(Float32Array); // the caller's own array, not the arena's
    const quietOffsets = (quiet as WasmSlot).offsets;
    quiet.dispose();
    expect(registered).toHaveLength(0);
    expect(arena.pendingBytes).toBe(0);
    const again = backend.createSlot(slotRequest('again', new Float32Array(4096), config, { adopt: true }));
    expect((again as WasmSlot).offsets).toEqual(quietOffsets); // the very same blocks
    again.dispose();
    // θ and g handed out: v goes back at once, θ and g when their views are unreachable.
    const loud = backend.createSlot(slotRequest('loud', new Float32Array(4096), config));
    const { param, grad } = (loud as WasmSlot).offsets;
    void loud.params;
    void loud.grads;
    loud.dispose();
    expect(registered.map((r) => r.block)).toEqual([
      { offset: param, bytes },
      { offset: grad, bytes },
    ]);
    expect(arena.pendingBytes).toBe(2 * bytes);
    // Until then no slot gets those blocks.
    const next = backend.createSlot(slotRequest('next', new Float32Array(4096), config));
    expect(Object.values((next as WasmSlot).offsets)).not.toContain(param);
    expect(Object.values((next as WasmSlot).offsets)).not.toContain(grad);
    next.dispose();
    collect();
    expect(arena.pendingBytes).toBe(0);
    const last = backend.createSlot(slotRequest('last', new Float32Array(4096), config));
    expect([param, grad]).toContain((last as WasmSlot).offsets.param);
  });

  it('shared: every view handed out for a slot is over one SharedArrayBuffer of its own (so a subarray or .buffer kept keeps the blocks too)', async () => {
    const { arena, backend, registered } = await watchedBackend(true);
    const slot = backend.createSlot(slotRequest('w', new Float64Array(8).fill(1), full));
    const params = slot.params!;
    const grads = slot.grads!;
    expect(params.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(params.buffer).toBe(grads.buffer);
    expect(params.buffer).not.toBe(arena.memory.buffer);
    // The same memory: the arena's bytes seen through it.
    new Float64Array(arena.memory.buffer, params.byteOffset, 8)[3] = 7;
    expect(params[3]).toBe(7);
    slot.dispose();
    expect(registered.map((r) => r.target.deref())).toEqual([params.buffer, params.buffer]);
  });

  it.each([
    ['shared', true],
    ['fixed', false],
  ] as const)('churn: creating and disposing 200 optimizers whose views are taken and dropped does not grow the arena (%s)', async (_, shared) => {
    const { arena, backend, collect } = await watchedBackend(shared);
    const cycle = (i: number) => {
      const optimizer = new RMSPropOptimizer({ backend, inPlace: false, momentum: 0.9, params: { w: new Float32Array(3000), b: new Float64Array(17) } });
      optimizer.step(); // the gradient buffers, by name: handed out
      optimizer.parameter('w')[0] = i;
      optimizer.dispose();
      collect(); // the views are dropped, and the registry says so
    };
    cycle(0);
    const used = arena.usedBytes;
    for (let i = 1; i <= 200; i++) {
      cycle(i);
      expect(arena.usedBytes).toBe(used);
      expect(arena.pendingBytes).toBe(0);
    }
  });

  it('a fixed arena full of blocks waiting for views says so in its error', async () => {
    const { backend } = await watchedBackend(false);
    const slots: BackendSlot[] = [];
    let error: unknown;
    try {
      for (let i = 0; i < 1000; i++) {
        const slot = backend.createSlot(slotRequest(`s${i}`, new Float64Array(4096), full));
        void slot.params;
        slot.dispose();
        slots.push(slot);
      }
    } catch (e) {
      error = e;
    }
    expect(slots.length).toBeGreaterThan(5);
    expect(slots.length).toBeLessThan(1000); // 1 MiB: about 10 slots' θ and g
    expect((error as Error).message).toMatch(/arena is full: \d+ bytes needed, 1048576 available; \d+ of them hold blocks of disposed slots whose views handed out are still reachable/);
  });
});
