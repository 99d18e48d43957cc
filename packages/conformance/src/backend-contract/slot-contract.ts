/**
 * The backend contract's slot points: identity and capabilities, createSlot (and createSlots) with every
 * check of a request, reads that return copies, writes that copy in, exact round trips per dtype, and
 * writeParams/writeState refusing bad arrays before writing anything.
 */
import {
  ArgumentError,
  BackendUnavailableError,
  DTYPES,
  resolveConfig,
  ShapeError,
  SPEC_VERSION,
  type BackendSlot,
  type DType,
  type RMSPropBackend,
  type SlotRequest,
} from '@rmsprop/core';
import { describe, expect } from 'vitest';
import type { ContractContext } from '../define-backend-contract-suite.js';
import {
  ContractRng,
  expectTypedError,
  floatArray,
  hex,
  otherDtype,
  randomArray,
  readParams,
  readState,
  slotRequest,
  snapshot,
  type ExpectedError,
} from './contract-fixtures.js';

const FULL = resolveConfig({ learningRate: 0.01, centered: true, momentum: 0.9, initialMeanSquare: 0.1 });
const PLAIN = resolveConfig({ learningRate: 0.01, initialMeanSquare: 0.1 });

/** Exact comparison of two lists of numbers (the bytes of each as float64: −0 and NaN compare too). */
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what?: string): void {
  expect(hex(Float64Array.from(actual)), what).toBe(hex(Float64Array.from(expected)));
}

/** Values spread over the dtype's normal range (and 0), exactly representable in it. */
function roundTripValues(dtype: DType, n: number, seed: number): number[] {
  const rng = new ContractRng(seed);
  const top = dtype === 'float32' ? 30 : 300;
  return Array.from({ length: n }, (_, i) => {
    if (i === 0) return 0;
    const v = (rng.next() < 0.5 ? -1 : 1) * (1 + rng.next()) * 10 ** Math.round((rng.next() * 2 - 1) * top);
    return dtype === 'float32' ? Math.fround(v) : v;
  });
}

export function defineSlotContract(ctx: ContractContext): void {
  const { pool, dtypes } = ctx;
  const first = dtypes[0];

  describe('identity and capabilities', () => {
    ctx.test('is spec v1, has a name, and declares dtypes, buffer location and host access', async () => {
      const backend = await pool.shared();
      expect(backend.specVersion).toBe(SPEC_VERSION);
      expect(typeof backend.name).toBe('string');
      expect(backend.name.length).toBeGreaterThan(0);
      const c = backend.capabilities;
      expect([...c.dtypes].sort(), 'capabilities.dtypes against options.dtypes').toEqual([...dtypes].sort());
      expect(['js-heap', 'wasm-memory', 'gpu-texture', 'tfjs-variable']).toContain(c.bufferLocation);
      expect(typeof c.hostVisible).toBe('boolean');
      expect(typeof c.adoptsHostArrays).toBe('boolean');
      expect(c.details !== null && typeof c.details === 'object').toBe(true);
    });
  });

  describe('createSlot', () => {
    for (const dtype of DTYPES) {
      if (!dtypes.includes(dtype)) {
        ctx.skip(`${dtype}: a slot starts as the request says`, `this backend does not run ${dtype} (options.dtypes = ${dtypes.join(', ')})`);
        ctx.test(`${dtype}: refused with ArgumentError naming request.dtype (the backend runs ${dtypes.join(', ')})`, async () => {
          const backend = await pool.shared();
          const request = slotRequest('w', floatArray(dtype, [1, 2]), PLAIN);
          await expectTypedError(() => backend.createSlot(request), {
            type: ArgumentError,
            code: 'INVALID_ARGUMENT',
            message: new RegExp(`^request\\.dtype = "${dtype}" is not allowed; expected `),
            props: { field: 'request.dtype', value: dtype },
          });
        });
        continue;
      }
      ctx.test(`${dtype}: a slot starts as the request says: name, dtype, length, θ, v = initialMeanSquare, m and b 0 where asked, null otherwise`, async () => {
        const backend = await pool.shared();
        for (const length of [0, 1, 7]) {
          for (const config of [FULL, PLAIN]) {
            const values = randomArray(new ContractRng(length + 1), dtype, length);
            const slot = backend.createSlot(slotRequest(`s${length}`, values, config));
            expect([slot.name, slot.dtype, slot.length]).toEqual([`s${length}`, dtype, length]);
            expectSame(await readParams(slot), values);
            const state = await readState(slot);
            const v = floatArray(dtype, new Array(length).fill(config.initialMeanSquare));
            expectSame(state.meanSquare, v);
            const zeros = new Array(length).fill(0);
            if (config.centered) expectSame(state.meanGrad!, zeros);
            else expect(state.meanGrad).toBeNull();
            if (config.momentum > 0) expectSame(state.momentum!, zeros);
            else expect(state.momentum).toBeNull();
          }
        }
      });
    }

    ctx.test('slot.params is a live view of θ of the slot dtype where capabilities.hostVisible, null where not', async () => {
      const backend = await pool.shared();
      const values = randomArray(new ContractRng(3), first, 5);
      const slot = backend.createSlot(slotRequest('view', values, PLAIN));
      if (!backend.capabilities.hostVisible) {
        expect(slot.params).toBeNull();
        return;
      }
      const view = slot.params!;
      expect(view.constructor).toBe(values.constructor);
      expect(view.length).toBe(5);
      backend.step([{ slot, grads: randomArray(new ContractRng(4), first, 5), hyper: { config: PLAIN, learningRate: 0.01, step: 1 } }]);
      expect(slot.params).toBe(view);
      expectSame(view, await readParams(slot));
    });

    ctx.test("without adoption θ is a copy: the caller's array (or one of the other dtype) is never written, at creation or by a step", async () => {
      const backend = await pool.shared();
      const adoptions = backend.capabilities.adoptsHostArrays ? [false] : [false, true];
      for (const adopt of adoptions) {
        for (const dtype of dtypes) {
          const values = randomArray(new ContractRng(5), dtype, 6);
          const before = hex(values);
          const slot = backend.createSlot(slotRequest(`copy-${adopt}`, values, PLAIN, adopt));
          if (slot.params !== null) expect(slot.params).not.toBe(values);
          backend.step([{ slot, grads: randomArray(new ContractRng(6), dtype, 6), hyper: { config: PLAIN, learningRate: 0.1, step: 1 } }]);
          expect(hex(values), `adopt: ${adopt}`).toBe(before);
          expect(hex(await readParams(slot))).not.toBe(before);
        }
      }
      // adopt: true with an array of the other dtype cannot be θ: it is copied (rounded into float32).
      for (const dtype of dtypes.filter((d) => dtypes.includes(otherDtype(d)))) {
        const values = floatArray(otherDtype(dtype), [1, 2, 0.1]);
        const before = hex(values);
        const slot = backend.createSlot({ ...slotRequest('other', values, PLAIN, true), dtype });
        if (slot.params !== null) expect(slot.params).not.toBe(values);
        expectSame(await readParams(slot), floatArray(dtype, values));
        backend.step([{ slot, grads: floatArray(dtype, [1, 1, 1]), hyper: { config: PLAIN, learningRate: 0.1, step: 1 } }]);
        expect(hex(values), `a ${otherDtype(dtype)} array adopted into a ${dtype} slot`).toBe(before);
      }
    });

    ctx.test("with adopt: true where capabilities.adoptsHostArrays, the caller's array is θ: slot.params, updated in place", async (skip) => {
      const backend = await pool.shared();
      if (!backend.capabilities.adoptsHostArrays) skip('capabilities.adoptsHostArrays is false (adopt: true copies; the test above checks it)');
      for (const dtype of dtypes) {
        const values = randomArray(new ContractRng(7), dtype, 6);
        const slot = backend.createSlot(slotRequest('adopted', values, PLAIN, true));
        expect(slot.params).toBe(values);
        const before = hex(values);
        backend.step([{ slot, grads: randomArray(new ContractRng(8), dtype, 6), hyper: { config: PLAIN, learningRate: 0.1, step: 1 } }]);
        expect(hex(values)).not.toBe(before);
        expectSame(values, await readParams(slot));
      }
    });

    ctx.test('slot.grads, where not null, is a buffer of the slot dtype and length that a step takes as the gradient', async (skip) => {
      const backend = await pool.shared();
      const slot = backend.createSlot(slotRequest('g', randomArray(new ContractRng(9), first, 5), PLAIN));
      const twin = backend.createSlot(slotRequest('g2', floatArray(first, await readParams(slot)), PLAIN));
      if (slot.grads === null) skip('slot.grads is null: this backend has no host gradient buffer');
      const g = slot.grads!;
      expect(g.constructor).toBe(floatArray(first, []).constructor);
      expect(g.length).toBe(5);
      g.set(randomArray(new ContractRng(10), first, 5));
      const copy = floatArray(first, g);
      const hyper = { config: PLAIN, learningRate: 0.1, step: 1 };
      backend.step([
        { slot, grads: g, hyper },
        { slot: twin, grads: copy, hyper },
      ]);
      expect(hex(g)).toBe(hex(copy));
      expect(hex(await readParams(slot))).toBe(hex(await readParams(twin)));
    });
  });

  describe('createSlot refuses a bad request with a typed error naming the field', () => {
    const good = (): SlotRequest => slotRequest('w', floatArray(first, [1, 2, 3]), FULL);
    const argument = (field: string, message: RegExp): ExpectedError => ({ type: ArgumentError, code: 'INVALID_ARGUMENT', message, props: { field } });
    const cases: [string, () => unknown, ExpectedError][] = [
      ['a request that is null', () => null, argument('request', /^request = null is not allowed; expected /)],
      ['dtype "float16"', () => ({ ...good(), dtype: 'float16' }), argument('request.dtype', /^request\.dtype = "float16" is not allowed; expected /)],
      ...[-1, 1.5, NaN].map((length): [string, () => unknown, ExpectedError] => [
        `length ${length}`,
        () => ({ ...good(), length }),
        argument('request.length', /^request\.length = .+ is not allowed; expected an integer ≥ 0$/),
      ]),
      [
        'values of another length than request.length',
        () => ({ ...good(), length: 4 }),
        { type: ShapeError, code: 'LENGTH_MISMATCH', message: /^values for slot "w" have length 3; expected 4$/, props: { parameter: 'w' } },
      ],
      [
        'values that are null',
        () => ({ ...good(), values: null }),
        { type: ShapeError, code: 'LENGTH_MISMATCH', message: /^values for slot "w" have length undefined; expected 3$/, props: { parameter: 'w' } },
      ],
      ['a missing state', () => ({ ...good(), state: undefined }), argument('request.state', /^request\.state = undefined is not allowed; expected /)],
      ['state.meanGrad not a boolean', () => ({ ...good(), state: { ...good().state, meanGrad: 'yes' } }), argument('request.state.meanGrad', /^request\.state\.meanGrad = "yes" is not allowed; expected true or false$/)],
      ['state.momentum not a boolean', () => ({ ...good(), state: { ...good().state, momentum: 1 } }), argument('request.state.momentum', /^request\.state\.momentum = 1 is not allowed; expected true or false$/)],
      ...[-1, NaN, Infinity].map((v): [string, () => unknown, ExpectedError] => [
        `state.initialMeanSquare ${v}`,
        () => ({ ...good(), state: { ...good().state, initialMeanSquare: v } }),
        argument('request.state.initialMeanSquare', /^request\.state\.initialMeanSquare = .+ is not allowed; expected a finite number ≥ 0$/),
      ]),
    ];
    for (const [what, request, expected] of cases) {
      ctx.test(`${what}: ${expected.type.name}`, async () => {
        const backend = await pool.shared();
        await expectTypedError(() => backend.createSlot(request() as SlotRequest), expected);
      });
    }

    ctx.test('a rejected createSlot takes nothing (options.usage unchanged)', async (skip) => {
      const usage = ctx.usage;
      if (usage === undefined) skip('no options.usage: what the backend holds is not measured');
      const backend = await pool.shared();
      const before = usage!(backend);
      for (const [, request] of cases) expect(() => backend.createSlot(request() as SlotRequest)).toThrow();
      expect(usage!(backend)).toBe(before);
    });
  });

  describe('createSlots (optional): all or none', () => {
    const requests = (prefix: string): SlotRequest[] =>
      dtypes.flatMap((dtype) => [
        slotRequest(`${prefix}a`, randomArray(new ContractRng(11), dtype, 5), FULL),
        slotRequest(`${prefix}b`, randomArray(new ContractRng(12), dtype, 0), PLAIN),
        slotRequest(`${prefix}c`, randomArray(new ContractRng(13), dtype, 9), PLAIN),
      ]);
    const withCreateSlots = async (skip: (reason: string) => never): Promise<RMSPropBackend & Required<Pick<RMSPropBackend, 'createSlots'>>> => {
      const backend = await pool.shared();
      if (backend.createSlots === undefined) skip('the backend has no createSlots (optional)');
      return backend as RMSPropBackend & Required<Pick<RMSPropBackend, 'createSlots'>>;
    };

    ctx.test('gives the slots in order, and they step to the same bits as createSlot slots', async (skip) => {
      const backend = await withCreateSlots(skip);
      const together = backend.createSlots(requests('t'));
      const apart = requests('p').map((r) => backend.createSlot(r));
      expect(together.map((s) => s.name)).toEqual(requests('t').map((r) => r.name));
      for (const slots of [together, apart]) {
        backend.step(
          slots.map((slot, i) => ({
            slot,
            grads: randomArray(new ContractRng(20 + i), slot.dtype, slot.length),
            hyper: { config: slot.name.endsWith('a') ? FULL : PLAIN, learningRate: 0.05, step: 1 },
          })),
        );
      }
      const strip = (lines: string[]) => lines.map((l) => l.replace(/^[tp]/, '').replace(/ view .*$/, ''));
      expect(strip(await snapshot(together))).toEqual(strip(await snapshot(apart)));
    });

    ctx.test("a bad request anywhere throws createSlot's typed error for it", async (skip) => {
      const backend = await withCreateSlots(skip);
      const bad = { ...requests('x')[0], length: 4 };
      const expected = await expectTypedError(() => backend.createSlot(bad), {
        type: ShapeError,
        code: 'LENGTH_MISMATCH',
        message: /^values for slot "xa" have length 5; expected 4$/,
      });
      await expectTypedError(() => backend.createSlots([...requests('y'), bad]), {
        type: ShapeError,
        code: expected.code,
        message: new RegExp(`^${expected.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
      });
      await expectTypedError(() => backend.createSlots(null as never), {
        type: ArgumentError,
        code: 'INVALID_ARGUMENT',
        message: /^requests = null is not allowed; expected /,
        props: { field: 'requests' },
      });
    });

    ctx.test('a rejected createSlots takes nothing (options.usage unchanged)', async (skip) => {
      const backend = await withCreateSlots(skip);
      const usage = ctx.usage;
      if (usage === undefined) skip('no options.usage: what the backend holds is not measured');
      const before = usage!(backend);
      expect(() => backend.createSlots([...requests('z'), { ...requests('z')[2], state: null as never }])).toThrow(ArgumentError);
      expect(usage!(backend)).toBe(before);
    });
  });

  describe('reads and writes', () => {
    for (const dtype of DTYPES) {
      const reason = `this backend does not run ${dtype} (options.dtypes = ${dtypes.join(', ')})`;
      const point = (title: string, run: (backend: RMSPropBackend) => Promise<void>) => {
        if (dtypes.includes(dtype)) ctx.test(`${dtype}: ${title}`, async () => run(await pool.shared()));
        else ctx.skip(`${dtype}: ${title}`, reason);
      };

      point('writeParams then readParams gives exactly the values written (from a typed array and from a plain array)', async (backend) => {
        const slot = backend.createSlot(slotRequest('rt', floatArray(dtype, new Array(64).fill(1)), PLAIN));
        const values = roundTripValues(dtype, 64, 31);
        slot.writeParams(Float64Array.from(values));
        expectSame(await readParams(slot), values);
        const reversed = values.slice().reverse();
        slot.writeParams(reversed);
        expectSame(await readParams(slot), reversed);
        if (slot.params !== null) expectSame(slot.params, reversed);
      });

      point('writeState then readState gives exactly the values written (v, m and b; null where the slot has none)', async (backend) => {
        const full = backend.createSlot(slotRequest('st', floatArray(dtype, new Array(64).fill(1)), FULL));
        const [v, m, b] = [41, 42, 43].map((seed) => roundTripValues(dtype, 64, seed));
        full.writeState({ meanSquare: v.map(Math.abs), meanGrad: Float64Array.from(m), momentum: b });
        const s = await readState(full);
        expectSame(s.meanSquare, v.map(Math.abs));
        expectSame(s.meanGrad!, m);
        expectSame(s.momentum!, b);
        const plain = backend.createSlot(slotRequest('sp', floatArray(dtype, new Array(64).fill(1)), PLAIN));
        plain.writeState({ meanSquare: v.map(Math.abs), meanGrad: null, momentum: null });
        const p = await readState(plain);
        expectSame(p.meanSquare, v.map(Math.abs));
        expect([p.meanGrad, p.momentum]).toEqual([null, null]);
      });

      point('reads return copies: changing what readParams/readState (sync and async) returned changes nothing', async (backend) => {
        const slot = backend.createSlot(slotRequest('cp', randomArray(new ContractRng(50), dtype, 5), FULL));
        slot.writeState({ meanSquare: [1, 2, 3, 4, 5], meanGrad: [1, 1, 1, 1, 1], momentum: [2, 2, 2, 2, 2] });
        const before = await snapshot([slot]);
        const reads: (() => Promise<unknown>)[] = [async () => readParams(slot), async () => readState(slot)];
        if (syncReadsWork(slot)) reads.push(async () => slot.readParams(), async () => slot.readState());
        for (const read of reads) {
          const got = await read();
          const arrays = ArrayBuffer.isView(got) ? [got] : Object.values(got as object);
          for (const a of arrays) if (a !== null) (a as Float64Array).fill(99);
        }
        expect(await snapshot([slot])).toEqual(before);
        expect(await readParams(slot)).not.toBe(await readParams(slot));
      });

      point('writes copy in: changing the array after writeParams/writeState changes nothing', async (backend) => {
        const slot = backend.createSlot(slotRequest('ci', randomArray(new ContractRng(51), dtype, 4), FULL));
        const params = floatArray(dtype, [1, 2, 3, 4]);
        const state = { meanSquare: [1, 2, 3, 4], meanGrad: floatArray(dtype, [5, 6, 7, 8]), momentum: [9, 10, 11, 12] };
        slot.writeParams(params);
        slot.writeState(state);
        const before = await snapshot([slot]);
        params.fill(0);
        state.meanSquare.fill(0);
        state.meanGrad.fill(0);
        state.momentum.fill(0);
        expect(await snapshot([slot])).toEqual(before);
      });
    }

    ctx.test('synchronous reads give what the asynchronous ones give, or throw BackendUnavailableError where only those work', async (skip) => {
      const backend = await pool.shared();
      const slot = backend.createSlot(slotRequest('sync', randomArray(new ContractRng(52), first, 6), FULL));
      if (slot.readParamsAsync === undefined || slot.readStateAsync === undefined) skip('the slot has no readParamsAsync/readStateAsync: every read is synchronous');
      slot.writeState({ meanSquare: [1, 2, 3, 4, 5, 6], meanGrad: [6, 5, 4, 3, 2, 1], momentum: [0, 1, 0, 1, 0, 1] });
      if (!syncReadsWork(slot)) {
        await expectTypedError(() => slot.readParams(), { type: BackendUnavailableError, code: 'BACKEND_UNAVAILABLE', message: /readParams\(\).*asynchronous/ });
        await expectTypedError(() => slot.readState(), { type: BackendUnavailableError, code: 'BACKEND_UNAVAILABLE', message: /readState\(\).*asynchronous/ });
        return;
      }
      expect(hex(slot.readParams())).toBe(hex(await slot.readParamsAsync!()));
      expect(await snapshotOf(slot, 'sync')).toEqual(await snapshotOf(slot, 'async'));
    });
  });

  describe('writeParams and writeState refuse bad arrays before writing anything', () => {
    const cases: [string, (full: BackendSlot, plain: BackendSlot) => unknown, ExpectedError][] = [
      ['writeParams of another length', (f) => f.writeParams([1, 2, 3]), { type: ShapeError, code: 'LENGTH_MISMATCH', message: /^values for slot "f" has length 3; expected 2$/, props: { parameter: 'f' } }],
      ['writeParams(null)', (f) => f.writeParams(null as never), { type: ShapeError, code: 'LENGTH_MISMATCH', message: /^values for slot "f" has length undefined; expected 2$/ }],
      ['writeState(null)', (f) => f.writeState(null as never), { type: ArgumentError, code: 'INVALID_ARGUMENT', message: /^state = null is not allowed; expected /, props: { field: 'state' } }],
      ['state.meanSquare of another length', (f) => f.writeState({ meanSquare: [7], meanGrad: [7, 7], momentum: [7, 7] }), { type: ShapeError, code: 'LENGTH_MISMATCH', message: /^state\.meanSquare for slot "f" has length 1; expected 2$/ }],
      ['state.momentum of another length after good v and m', (f) => f.writeState({ meanSquare: [7, 7], meanGrad: [7, 7], momentum: [7] }), { type: ShapeError, code: 'LENGTH_MISMATCH', message: /^state\.momentum for slot "f" has length 1; expected 2$/ }],
      [
        'state.meanGrad null where the slot has m',
        (f) => f.writeState({ meanSquare: [7, 7], meanGrad: null, momentum: [7, 7] }),
        { type: ArgumentError, code: 'INVALID_ARGUMENT', message: /^state\.meanGrad = null is not allowed; expected an array of 2 numbers: slot "f" has a meanGrad buffer$/, props: { field: 'state.meanGrad' } },
      ],
      [
        'state.momentum given where the slot has no b',
        (_, p) => p.writeState({ meanSquare: [7, 7], meanGrad: null, momentum: [7, 7] }),
        { type: ArgumentError, code: 'INVALID_ARGUMENT', message: /^state\.momentum = Array\(2\) is not allowed; expected null: slot "p" has no momentum buffer$/, props: { field: 'state.momentum' } },
      ],
    ];
    for (const [what, write, expected] of cases) {
      ctx.test(`${what}: ${expected.type.name}, and θ and state byte-identical`, async () => {
        const backend = await pool.shared();
        const full = backend.createSlot(slotRequest('f', floatArray(first, [1, 2]), FULL));
        const plain = backend.createSlot(slotRequest('p', floatArray(first, [3, 4]), PLAIN));
        full.writeState({ meanSquare: [1, 2], meanGrad: [3, 4], momentum: [5, 6] });
        const before = await snapshot([full, plain]);
        await expectTypedError(() => write(full, plain), expected);
        expect(await snapshot([full, plain])).toEqual(before);
      });
    }
  });
}

/**
 * Whether `slot.readParams()` works: false where it throws BackendUnavailableError and the slot has the
 * asynchronous reads (a backend the host reads only asynchronously, e.g. tfjs on WebGPU); any other throw
 * is a failure.
 */
function syncReadsWork(slot: BackendSlot): boolean {
  try {
    slot.readParams();
    return true;
  } catch (error) {
    if (error instanceof BackendUnavailableError && slot.readParamsAsync !== undefined) return false;
    throw error;
  }
}

async function snapshotOf(slot: BackendSlot, how: 'sync' | 'async'): Promise<string[]> {
  const s = how === 'sync' ? slot.readState() : await slot.readStateAsync!();
  return [hex(s.meanSquare), hex(s.meanGrad), hex(s.momentum)];
}
