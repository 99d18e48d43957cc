/**
 * The arena: one WebAssembly memory, a first-fit allocator of 16-byte-aligned, zero-filled blocks that
 * gives blocks back on dispose, a shared memory (Node) that grows in place without detaching views, and a
 * fixed memory (`WasmArena.create(bytes, { shared: false })`, what browsers without cross-origin isolation
 * get) that never grows and refuses, with a typed error naming `arenaBytes`, what does not fit, leaving
 * nothing half-made.
 */
import { ArgumentError, BackendUnavailableError, resolveConfig, type BackendSlot, type DType } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { bytesOf } from '../__fixtures__/compare.js';
import { catchError, expectError } from '../__fixtures__/expect-error.js';
import { Rng } from '../__fixtures__/random.js';
import { arenaBytes, slotRequest, wasmTestBackend } from './__fixtures__/wasm-fixtures.js';
import { DESCRIPTOR_BYTES } from './kernel-abi.generated.js';
import { WasmArena } from './wasm-arena.js';
import type { WasmSlot } from './wasm-slot.js';

const PAGE = 65536;
const MiB = 1024 * 1024;

/** The five block offsets of a slot (0 where it has no such buffer). */
const offsetsOf = (slot: BackendSlot) => (slot as WasmSlot).offsets;

describe('WasmArena.create', () => {
  it('in Node: a shared memory of one page that may grow to 4 GiB', () => {
    const arena = WasmArena.create(64 * MiB);
    expect(arena.mode).toBe('shared');
    expect(arena.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(arena.memory.buffer.byteLength).toBe(PAGE);
    expect(arena.capacityBytes).toBe(4 * 1024 * MiB);
    expect(arena.usedBytes).toBe(16); // offset 0 is never handed out
  });

  it('{ shared: false }: a fixed ordinary memory of arenaBytes rounded up to whole pages', () => {
    const arena = WasmArena.create(3 * PAGE + 1, { shared: false });
    expect(arena.mode).toBe('fixed');
    expect(arena.memory.buffer).toBeInstanceOf(ArrayBuffer);
    expect(arena.memory.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(arena.capacityBytes).toBe(4 * PAGE);
    expect(arena.memory.buffer.byteLength).toBe(4 * PAGE);
    // It cannot grow (its maximum is its size), so no view of it is ever detached.
    expect(() => arena.memory.grow(1)).toThrow(RangeError);
  });

  it('rejects a bad arenaBytes with an ArgumentError naming options.arenaBytes', () => {
    for (const bytes of [NaN, Infinity, -1, 0, PAGE - 1, 4 * 1024 * MiB + 1, '1048576', null, undefined]) {
      const error = expectError(
        () => WasmArena.create(bytes as number),
        ArgumentError,
        'INVALID_ARGUMENT',
        /^options\.arenaBytes = .* is not allowed; expected a number of bytes from 65536 to 4294967296$/,
      );
      expect(error.field).toBe('options.arenaBytes');
    }
    expect(WasmArena.create(PAGE, { shared: false }).capacityBytes).toBe(PAGE);
  });
});

describe('alloc and release', () => {
  it('hands out 16-byte-aligned, zero-filled, disjoint blocks, never at offset 0', () => {
    for (const shared of [true, false]) {
      const arena = WasmArena.create(4 * MiB, { shared });
      const sizes = [1, 3, 4, 8, 15, 16, 17, 24, 31, 33, 100, 1023 * 8, 1023 * 4 + 4, 70_000];
      const blocks = sizes.map((bytes) => {
        const offset = arena.alloc(bytes);
        new Uint8Array(arena.memory.buffer, offset, bytes).fill(0xab); // dirty it, for the next checks
        return { offset, bytes };
      });
      for (const { offset } of blocks) {
        expect(offset % 16).toBe(0);
        expect(offset).toBeGreaterThanOrEqual(16);
      }
      const sorted = blocks.slice().sort((a, b) => a.offset - b.offset);
      for (let i = 1; i < sorted.length; i++) expect(sorted[i].offset).toBeGreaterThanOrEqual(sorted[i - 1].offset + sorted[i - 1].bytes);
      // An empty block is any aligned offset (its views have length 0).
      expect(arena.alloc(0) % 16).toBe(0);
      // Blocks given back and handed out again are zero-filled.
      for (const { offset, bytes } of blocks) arena.release(offset, bytes);
      for (const { bytes } of blocks) {
        const offset = arena.alloc(bytes);
        expect(new Uint8Array(arena.memory.buffer, offset, bytes).every((x) => x === 0)).toBe(true);
      }
    }
  });

  it('reuses the first hole that fits, merges neighbours, and gives a free block at the top back', () => {
    const arena = WasmArena.create(MiB, { shared: false });
    const a = arena.alloc(100); // 112 bytes
    const b = arena.alloc(32);
    const c = arena.alloc(64);
    const top = arena.usedBytes;
    expect([a, b, c]).toEqual([16, 128, 160]);
    expect(top).toBe(224);
    arena.release(b, 32);
    expect(arena.alloc(20)).toBe(b); // first fit: the hole b left (32 ≥ 32)
    arena.release(b, 20);
    arena.release(a, 100); // a and b merge into one 144-byte hole at 16
    expect(arena.alloc(140)).toBe(16);
    expect(arena.usedBytes).toBe(top);
    arena.release(16, 140);
    arena.release(c, 64); // c was at the top: everything merges back down
    expect(arena.usedBytes).toBe(16);
    expect(arena.alloc(1000)).toBe(16);
  });

  it('shared: grows the memory in place; views made before keep their length and see every write', () => {
    const arena = WasmArena.create(MiB);
    const offset = arena.alloc(8 * 1000);
    const before = arena.view('float64', offset, 1000) as Float64Array;
    const oldBuffer = arena.memory.buffer;
    const oldBytes = oldBuffer.byteLength;
    const big = arena.alloc(3 * MiB);
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(big + 3 * MiB);
    expect(arena.memory.buffer.byteLength).toBeGreaterThan(oldBytes);
    expect(before.length).toBe(1000);
    expect(before.buffer.byteLength).toBe(oldBytes); // the old SharedArrayBuffer: same memory, old length
    before[999] = 42;
    const after = arena.view('float64', offset, 1000);
    expect(after[999]).toBe(42);
    after[0] = -7;
    expect(before[0]).toBe(-7);
    // And the new block beyond the old end is usable (and zero).
    expect(new Uint8Array(arena.memory.buffer, big, 3 * MiB).every((x) => x === 0)).toBe(true);
  });

  it('fixed: never grows; a block that does not fit throws BackendUnavailableError naming arenaBytes, and the arena is as before', () => {
    const arena = WasmArena.create(2 * PAGE, { shared: false });
    const buffer = arena.memory.buffer;
    const first = arena.alloc(PAGE);
    const view = new Float32Array(buffer, first, 4);
    view[3] = 1.5;
    const used = arena.usedBytes;
    const error = catchError(() => arena.alloc(PAGE)); // 16 + 65536 + 65536 > 131072
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toMatch(/WebAssembly arena is full: 131088 bytes needed, 131072 available/);
    expect(error.message).toMatch(/larger \{ arenaBytes \}/);
    expect(error.message).toMatch(/kernel: 'js'/);
    expect(arena.usedBytes).toBe(used);
    expect(arena.memory.buffer).toBe(buffer);
    expect(buffer.byteLength).toBe(2 * PAGE); // not detached, not grown
    expect(view[3]).toBe(1.5);
    // What fits still fits.
    expect(arena.alloc(PAGE - 32)).toBe(used);
  });
});

describe('slots in the arena', () => {
  const full = resolveConfig({ centered: true, momentum: 0.9, initialMeanSquare: 0.25 });
  const plain = resolveConfig({});

  it('every block of every slot is 16-byte aligned (θ, g, v, m, b), whatever the length and dtype', async () => {
    const { backend } = await wasmTestBackend();
    for (const dtype of ['float32', 'float64'] as const) {
      for (let n = 0; n <= 33; n++) {
        const values = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
        const slot = backend.createSlot(slotRequest(`${dtype}${n}`, values, full));
        const o = offsetsOf(slot);
        for (const offset of Object.values(o)) expect(offset % 16).toBe(0);
        expect(slot.params!.byteOffset % 16).toBe(0);
        expect(slot.grads!.byteOffset % 16).toBe(0);
        expect(slot.params!.length).toBe(n);
      }
    }
  });

  it('disposing gives the blocks back: creating and disposing slots repeatedly does not raise usedBytes', async () => {
    const { backend, arena } = await wasmTestBackend();
    const rng = new Rng(71);
    const cycle = () => {
      const slots = Array.from({ length: 20 }, (_, i) => {
        const dtype: DType = rng.pick(['float32', 'float64']);
        const n = rng.int(0, 3000);
        return backend.createSlot(
          slotRequest(`s${i}`, dtype === 'float32' ? new Float32Array(n) : new Float64Array(n), rng.pick([full, plain])),
        );
      });
      // Dispose in a random order, so that holes open in the middle and merge.
      for (const slot of slots.sort(() => rng.next() - 0.5)) slot.dispose();
    };
    cycle(); // the first cycle also sizes the descriptor table (32 slots' worth, kept for the backend's life)
    const baseline = arena.usedBytes;
    for (let i = 0; i < 50; i++) {
      cycle();
      expect(arena.usedBytes).toBe(baseline);
    }
    // Everything goes back with the backend.
    backend.dispose();
    expect(arena.usedBytes).toBe(16);
  });

  it('a slot made in reused blocks starts from fresh state (v = initialMeanSquare, m = b = 0), not the old slot\'s', async () => {
    const { backend } = await wasmTestBackend();
    const a = backend.createSlot(slotRequest('a', new Float64Array([1, 2, 3, 4, 5]), full));
    backend.step([{ slot: a, grads: new Float64Array([5, 4, 3, 2, 1]), hyper: { config: full, learningRate: 0.1, step: 1 } }]);
    const old = offsetsOf(a);
    a.dispose();
    const b = backend.createSlot(slotRequest('b', new Float64Array([9, 9, 9, 9, 9]), full));
    expect(offsetsOf(b)).toEqual(old); // the very same blocks
    const s = b.readState();
    expect(Array.from(s.meanSquare)).toEqual([0.25, 0.25, 0.25, 0.25, 0.25]);
    expect(Array.from(s.meanGrad!)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(s.momentum!)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(b.grads!)).toEqual([0, 0, 0, 0, 0]);
    expect(Array.from(b.params!)).toEqual([9, 9, 9, 9, 9]);
  });

  it('fixed: a slot that does not fit throws BackendUnavailableError naming arenaBytes; nothing was half-created', async () => {
    // 2 pages (131072 bytes). After a small slot, a float64 slot of n elements needs 5 blocks of 8n bytes
    // (θ, g, v, m, b): for n = 3500 the first 4 fit and the 5th does not, for n = 4000 the first 3; for
    // n = 20000 not even the first.
    const { backend, arena } = await wasmTestBackend({ shared: false, fixedBytes: 2 * PAGE });
    expect(arena.mode).toBe('fixed');
    expect(backend.capabilities.details).toMatchObject({ memory: 'fixed', arenaCapacityBytes: 2 * PAGE });
    const small = backend.createSlot(slotRequest('small', new Float64Array([1, 2, 3]), full, { adopt: true }));
    backend.step([{ slot: small, grads: new Float64Array([0.5, -1, 2]), hyper: { config: full, learningRate: 0.1, step: 1 } }]);
    const used = arena.usedBytes;
    const bytes = arenaBytes(arena);
    const smallParams = bytesOf(small.params);
    for (const n of [3500, 4000, 20_000]) {
      const error = catchError(() => backend.createSlot(slotRequest('big', new Float64Array(n), full)));
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error.message).toMatch(/arena is full: \d+ bytes needed, 131072 available/);
      expect(error.message).toMatch(/\{ arenaBytes \}/);
      expect(arena.usedBytes).toBe(used);
      expect(arenaBytes(arena)).toEqual(bytes);
    }
    // The existing slot is untouched and still works, and what fits still fits.
    expect(bytesOf(small.params)).toEqual(smallParams);
    const fits = backend.createSlot(slotRequest('fits', new Float64Array(1000), full));
    backend.step([
      { slot: small, grads: new Float64Array([0.5, -1, 2]), hyper: { config: full, learningRate: 0.1, step: 2 } },
      { slot: fits, grads: new Float64Array(1000).fill(1), hyper: { config: full, learningRate: 0.1, step: 1 } },
    ]);
    expect(fits.readParams()[999]).toBeLessThan(0);
    // And the backend gives all of it back (no view was handed out: see wasm-slot.test.ts for those).
    backend.dispose();
    expect(arena.usedBytes).toBe(16);
  });

  it('fixed: a slot that fits but whose descriptor table does not is given back too', async () => {
    // The descriptor table (16 descriptors × 24 bytes = 384) is sized when the first slot arrives, after
    // the slot's blocks: fill the arena so that the blocks fit and the table does not.
    const { backend, arena } = await wasmTestBackend({ shared: false, fixedBytes: PAGE });
    const before = arena.usedBytes; // the reserved first 16 bytes and the backend's constants block
    const n = Math.floor((PAGE - before - 200) / 3 / 8 / 2) * 2; // 3 float64 blocks (θ, g, v) leaving < 384 bytes
    const error = catchError(() => backend.createSlot(slotRequest('w', new Float64Array(n), plain)));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(arena.usedBytes).toBe(before);
    // A slot a little smaller fits with its table.
    const slot = backend.createSlot(slotRequest('w', new Float64Array(n - 40), plain));
    backend.step([{ slot, grads: new Float64Array(n - 40).fill(1), hyper: { config: plain, learningRate: 0.1, step: 1 } }]);
    expect(slot.params![0]).toBeLessThan(0);
  });

  it('fixed: views are never detached, however full the arena gets', async () => {
    const { backend, arena } = await wasmTestBackend({ shared: false, fixedBytes: 4 * PAGE });
    const first = backend.createSlot(slotRequest('first', new Float32Array([1, 2, 3, 4, 5]), plain));
    const view = first.params!;
    const slots: BackendSlot[] = [];
    for (let i = 0; ; i++) {
      try {
        slots.push(backend.createSlot(slotRequest(`s${i}`, new Float32Array(1000), plain)));
      } catch (error) {
        expect(error).toBeInstanceOf(BackendUnavailableError);
        break;
      }
    }
    expect(slots.length).toBeGreaterThan(15);
    expect(arena.memory.buffer.byteLength).toBe(4 * PAGE);
    expect(view.buffer).toBe(arena.memory.buffer);
    expect(view.length).toBe(5);
    backend.step([{ slot: first, grads: new Float32Array([1, 1, 1, 1, 1]), hyper: { config: plain, learningRate: 0.5, step: 1 } }]);
    expect(view[0]).toBeLessThan(1);
    expect(first.params).toBe(view);
  });
});

describe('requests larger than the arena can hold, and memory that will not grow', () => {
  const full = resolveConfig({ centered: true, momentum: 0.9 });
  const GiB = 1024 * MiB;

  it('a parameter bigger than 4 GiB is refused before the memory grows: at once, naming it, the bytes and the limit', async () => {
    // float32 × 2^28 with θ, g, v, m and b: five blocks of 1 GiB. Before the check, θ, g and v were
    // allocated (growing the memory to 3 GiB and zero-filling it, about 20 s) before m did not fit, and the
    // 3 GiB stayed with the backend.
    const { backend, arena } = await wasmTestBackend();
    const values = new Float32Array(2 ** 28); // never written, so never backed by memory
    const bytes = arena.memory.buffer.byteLength;
    const used = arena.usedBytes;
    for (const create of [() => backend.createSlots([slotRequest('huge', values, full)]), () => backend.createSlot(slotRequest('huge', values, full))]) {
      const started = performance.now();
      const error = expectError(create, BackendUnavailableError, 'BACKEND_UNAVAILABLE', /arena is full: \d+ bytes needed, 4294967296 available/);
      expect(performance.now() - started).toBeLessThan(500);
      // Five blocks of 1 GiB and the first descriptor table (16 descriptors), on top of what is in use.
      const asked = 5 * GiB + 16 * DESCRIPTOR_BYTES;
      expect(error.message).toContain(`is full: ${used + asked} bytes needed, 4294967296 available; ${asked} bytes asked for parameter "huge" (`);
      expect(error.message).toMatch(/4 GiB limit of 32-bit WebAssembly memory/);
      expect(arena.memory.buffer.byteLength).toBe(bytes);
      expect(arena.usedBytes).toBe(used);
    }
    // The backend still works.
    const slot = backend.createSlot(slotRequest('w', new Float32Array([1, 2, 3]), full));
    backend.step([{ slot, grads: new Float32Array([1, 1, 1]), hyper: { config: full, learningRate: 0.1, step: 1 } }]);
    expect(slot.readParams()[0]).toBeLessThan(1);
  });

  it('parameters that fit one by one but not together are refused together, naming each', async () => {
    // Two float32 parameters of 2^27 elements, five blocks of 512 MiB each: 2.5 GiB apiece, 5 GiB both.
    const { backend, arena } = await wasmTestBackend();
    const values = new Float32Array(2 ** 27);
    const bytes = arena.memory.buffer.byteLength;
    const started = performance.now();
    const error = expectError(
      () => backend.createSlots([slotRequest('a', values, full), slotRequest('b', values, full)]),
      BackendUnavailableError,
      'BACKEND_UNAVAILABLE',
      /arena is full: \d+ bytes needed, 4294967296 available/,
    );
    expect(performance.now() - started).toBeLessThan(500);
    expect(error.message).toContain(`; ${5 * GiB + 16 * DESCRIPTOR_BYTES} bytes asked for parameters ["a", "b"] (`);
    expect(arena.memory.buffer.byteLength).toBe(bytes);
  });

  it('reserve walks the free list as alloc does: blocks that fit in holes are not refused, and then alloc neither grows nor fails', () => {
    const arena = WasmArena.create(2 * PAGE, { shared: false });
    const a = arena.alloc(PAGE / 2);
    const b = arena.alloc(PAGE / 4);
    arena.alloc(PAGE); // 16 bytes short of a quarter page left at the top
    arena.release(a, PAGE / 2);
    arena.release(b, PAGE / 4); // one hole of 3/4 page at 16
    const used = arena.usedBytes;
    expect(() => arena.reserve([PAGE / 4, PAGE / 2], 'parameter "w"')).not.toThrow();
    expect([arena.alloc(PAGE / 4), arena.alloc(PAGE / 2)]).toEqual([16, 16 + PAGE / 4]);
    expect(arena.usedBytes).toBe(used);
    // A block past the hole and the top is refused before any is taken.
    arena.release(16, PAGE / 4);
    const error = catchError(() => arena.reserve([PAGE / 4, PAGE / 4], 'parameters ["x", "y"]'));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error.message).toContain(`is full: ${used + PAGE / 4} bytes needed, ${2 * PAGE} available; ${PAGE / 2} bytes asked for parameters ["x", "y"] (`);
    expect(error.message).toMatch(/larger \{ arenaBytes \}/);
    expect(arena.alloc(PAGE / 4)).toBe(16); // the hole is still there
  });

  it('a request within the limit whose memory cannot grow (RangeError) is refused with the typed error, and the memory is as it was', async () => {
    const { backend, arena } = await wasmTestBackend();
    const memory = arena.memory;
    const grow = memory.grow.bind(memory);
    // An engine that gives this memory at most 8 MiB more than it has now.
    const most = memory.buffer.byteLength + 8 * MiB;
    const grows: number[] = [];
    Object.defineProperty(memory, 'grow', {
      configurable: true,
      value: (pages: number) => {
        grows.push(pages);
        if (memory.buffer.byteLength + pages * PAGE > most) throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
        return grow(pages);
      },
    });
    try {
      const before = memory.buffer.byteLength;
      const used = arena.usedBytes;
      // float64 × 2^19 plain: θ, g, v of 4 MiB each, 12 MiB in all (each block alone would fit).
      const values = new Float64Array(2 ** 19);
      const plain = resolveConfig({});
      const error = catchError(() => backend.createSlots([slotRequest('w', values, plain)]));
      expect(memory.buffer.byteLength).toBe(before);
      expect(arena.usedBytes).toBe(used);
      expect(error).toBeInstanceOf(BackendUnavailableError);
      expect(error.message).toMatch(
        /arena could not grow to \d+ bytes for parameter "w" \(RangeError: WebAssembly\.Memory\.grow\(\): Maximum memory size exceeded\)/,
      );
      // What does fit still fits, grown in one call.
      grows.length = 0;
      const small = backend.createSlots([slotRequest('small', new Float64Array(2 ** 18), plain)])[0];
      expect(grows.length).toBeLessThanOrEqual(1);
      backend.step([{ slot: small, grads: new Float64Array(2 ** 18).fill(1), hyper: { config: plain, learningRate: 0.1, step: 1 } }]);
      expect(small.readParams()[0]).toBeLessThan(0);
    } finally {
      Object.defineProperty(memory, 'grow', { configurable: true, value: grow });
    }
  });
});
