/**
 * The backend contract's slot points: identity and capabilities, createSlot (and createSlots) with every
 * check of a request, reads that return copies, writes that copy in, exact round trips per dtype, and
 * writeParams/writeState refusing bad arrays before writing anything.
 */
import {
  ArgumentError,
  BackendUnavailableError,
  describeValue,
  DTYPES,
  mapStateBuffers,
  resolveConfig,
  ShapeError,
  SPEC_VERSION,
  STATE_BUFFERS,
  type BackendSlot,
  type DType,
  type RMSPropBackend,
  type SlotRequest,
  type StateBuffer,
} from '@rmsprop/core';
import { describe, expect } from 'vitest';
import type { ContractContext } from '../define-backend-contract-suite.js';
import { stateArrays, stateSymbols } from '../state-arrays.js';
import {
  ContractRng,
  expectTypedError,
  floatArray,
  hex,
  keepingEveryBuffer,
  otherDtype,
  randomArray,
  readParams,
  readState,
  slotRequest,
  snapshot,
  stateFor,
  type ExpectedError,
} from './contract-fixtures.js';

/** Keeps every state buffer (checked when the suite is defined: a buffer switched on by another field needs it set here). */
const FULL = keepingEveryBuffer(resolveConfig({ learningRate: 0.01, centered: true, momentum: 0.9, initialMeanSquare: 0.1 }));
/** Keeps only the buffers every config keeps. */
const PLAIN = resolveConfig({ learningRate: 0.01, initialMeanSquare: 0.1 });
/** "v, m and b": every state buffer's symbol, for titles. */
const SYMBOLS = stateSymbols();
/** An initial value for every state buffer, each its own and none 0 (≥ 0 where the buffer is never negative). */
const DISTINCT_INITIAL = mapStateBuffers((buffer) => (buffer.nonNegative ? 1 : -1) * 0.25 * (STATE_BUFFERS.indexOf(buffer) + 1));

/** A regular expression matching `text` literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What core's checkSlotRequest says a state buffer's entry of a request must be (its message's "expected" part). */
function allowedInitialValue(buffer: StateBuffer): string {
  const number = buffer.nonNegative ? 'a finite number ≥ 0' : 'a finite number';
  return buffer.switchedBy === null ? number : `${number}, or null for no ${buffer.name} buffer`;
}

/**
 * State arrays to write into a slot under `config` with exactly representable values of `dtype`: each
 * buffer its own (`seed` + its index), ≥ 0 where the buffer is never negative, alternately typed and plain
 * arrays (writeState takes either).
 */
function writableState(config: typeof FULL, dtype: DType, n: number, seed: number) {
  return stateFor(config, (buffer, k) => {
    const values = roundTripValues(dtype, n, seed + k).map((x) => (buffer.nonNegative ? Math.abs(x) : x));
    return k % 2 === 1 ? Float64Array.from(values) : values;
  });
}

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
      expect(['adopted', 'mirrored', 'copied']).toContain(c.hostArrays);
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
      /** The slot's state is what `request.state` asks: each buffer filled with its initial value, null where that is null. */
      const expectInitialState = async (slot: BackendSlot, request: SlotRequest) => {
        const state = await readState(slot);
        for (const { name } of STATE_BUFFERS) {
          const initial = request.state[name];
          if (initial === null) expect(state[name], `state.${name}`).toBeNull();
          else expectSame(state[name]!, floatArray(dtype, new Array(request.length).fill(initial)), `state.${name}`);
        }
      };
      ctx.test(`${dtype}: a slot starts as the request says: name, dtype, length, θ, and ${SYMBOLS} each filled with its initial value where asked, null otherwise`, async () => {
        const backend = await pool.shared();
        for (const length of [0, 1, 7]) {
          for (const config of [FULL, PLAIN]) {
            const values = randomArray(new ContractRng(length + 1), dtype, length);
            const request = slotRequest(`s${length}`, values, config);
            const slot = backend.createSlot(request);
            expect([slot.name, slot.dtype, slot.length]).toEqual([`s${length}`, dtype, length]);
            expectSame(await readParams(slot), values);
            await expectInitialState(slot, request);
          }
        }
      });
      ctx.test(`${dtype}: each state buffer starts from the value its request gives, whatever it is (${STATE_BUFFERS.map((b) => `${b.name} ${DISTINCT_INITIAL[b.name]}`).join(', ')})`, async () => {
        const backend = await pool.shared();
        const request = { ...slotRequest('init', randomArray(new ContractRng(2), dtype, 5), FULL), state: DISTINCT_INITIAL };
        await expectInitialState(backend.createSlot(request), request);
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
      const adoptions = backend.capabilities.hostArrays !== 'copied' ? [false] : [false, true];
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

    ctx.test("with adopt: true where capabilities.hostArrays is 'adopted' or 'mirrored', the caller's array is θ: slot.params, updated in place", async (skip) => {
      const backend = await pool.shared();
      if (backend.capabilities.hostArrays === 'copied') skip("capabilities.hostArrays is 'copied' (adopt: true copies; the test above checks it)");
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
      ['a state that is not an object', () => ({ ...good(), state: 0.1 }), argument('request.state', /^request\.state = 0\.1 is not allowed; expected /)],
      // The form before state buffers were named ({ meanGrad, momentum } switches and initialMeanSquare):
      // no meanSquare entry, so refused naming it.
      [
        'a state in the old form { meanGrad: true, momentum: true, initialMeanSquare }',
        () => ({ ...good(), state: { meanGrad: true, momentum: true, initialMeanSquare: 0.1 } }),
        argument('request.state.meanSquare', /^request\.state\.meanSquare = undefined is not allowed; expected a finite number ≥ 0$/),
      ],
      // Every state buffer's entry: a boolean where an initial value is expected, a missing entry, a
      // non-finite value, null for a buffer every slot keeps, and a negative value for one never negative.
      ...STATE_BUFFERS.flatMap((buffer) => {
        const bad: unknown[] = [true, false, undefined, NaN, Infinity, -Infinity];
        if (buffer.switchedBy === null) bad.push(null);
        if (buffer.nonNegative) bad.push(-1, -1e-300);
        return bad.map((value): [string, () => unknown, ExpectedError] => {
          const why = typeof value === 'boolean' ? ' (a boolean where an initial value is expected)' : value === null ? ` (every slot keeps ${buffer.name})` : '';
          return [
            `state.${buffer.name} ${describeValue(value)}${why}`,
            () => ({ ...good(), state: { ...good().state, [buffer.name]: value } }),
            argument(
              `request.state.${buffer.name}`,
              new RegExp(`^${literal(`request.state.${buffer.name} = ${describeValue(value)} is not allowed; expected ${allowedInitialValue(buffer)}`)}$`),
            ),
          ];
        });
      }),
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
        message: new RegExp(`^${literal(expected.message)}$`),
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

      point(`writeState then readState gives exactly the values written (${SYMBOLS}; null where the slot has none)`, async (backend) => {
        for (const config of [FULL, PLAIN]) {
          const slot = backend.createSlot(slotRequest('st', floatArray(dtype, new Array(64).fill(1)), config));
          const written = writableState(config, dtype, 64, 41);
          slot.writeState(written);
          const read = await readState(slot);
          for (const { name } of STATE_BUFFERS) {
            const values = written[name];
            if (values === null) expect(read[name], `state.${name}`).toBeNull();
            else expectSame(read[name]!, values, `state.${name}`);
          }
        }
      });

      point('reads return copies: changing what readParams/readState (sync and async) returned changes nothing', async (backend) => {
        const slot = backend.createSlot(slotRequest('cp', randomArray(new ContractRng(50), dtype, 5), FULL));
        slot.writeState(writableState(FULL, dtype, 5, 53));
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
        // Each buffer its own values, typed arrays of the slot's dtype and plain arrays alternately.
        const state = stateFor(FULL, (_, k) => (k % 2 === 1 ? floatArray(dtype, [1, 2, 3, 4].map((x) => x + 4 * k)) : [1, 2, 3, 4].map((x) => x + 4 * k)));
        slot.writeParams(params);
        slot.writeState(state);
        const before = await snapshot([slot]);
        params.fill(0);
        for (const { name } of STATE_BUFFERS) state[name]!.fill(0);
        expect(await snapshot([slot])).toEqual(before);
      });
    }

    ctx.test('synchronous reads give what the asynchronous ones give, or throw BackendUnavailableError where only those work', async (skip) => {
      const backend = await pool.shared();
      const slot = backend.createSlot(slotRequest('sync', randomArray(new ContractRng(52), first, 6), FULL));
      if (slot.readParamsAsync === undefined || slot.readStateAsync === undefined) skip('the slot has no readParamsAsync/readStateAsync: every read is synchronous');
      slot.writeState(writableState(FULL, first, 6, 54));
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
      // Every state buffer, with good arrays for all the others (so a write that starts before its checks
      // end shows in the buffers before it): one of another length, null where the slot keeps it, and one
      // given where the slot keeps none.
      ...STATE_BUFFERS.flatMap((buffer, k): [string, (full: BackendSlot, plain: BackendSlot) => unknown, ExpectedError][] => {
        const { name, symbol } = buffer;
        // Built with mapStateBuffers, not stateFor: a bad entry may be null where StateArrays has none.
        const others = (config: typeof FULL, bad: unknown) => mapStateBuffers((b) => (b === buffer ? bad : b.neededBy(config) ? [7, 7] : null));
        const before = k === 0 ? '' : ` after good ${stateSymbols(STATE_BUFFERS.slice(0, k))}`;
        const cases: [string, (full: BackendSlot, plain: BackendSlot) => unknown, ExpectedError][] = [
          [
            `state.${name} of another length${before}`,
            (f) => f.writeState(others(FULL, [7]) as never),
            { type: ShapeError, code: 'LENGTH_MISMATCH', message: new RegExp(`^${literal(`state.${name} for slot "f" has length 1; expected 2`)}$`) },
          ],
          [
            `state.${name} null where the slot has ${symbol}`,
            (f) => f.writeState(others(FULL, null) as never),
            {
              type: ArgumentError,
              code: 'INVALID_ARGUMENT',
              message: new RegExp(`^${literal(`state.${name} = null is not allowed; expected an array of 2 numbers: slot "f" has a ${name} buffer`)}$`),
              props: { field: `state.${name}` },
            },
          ],
        ];
        if (buffer.neededBy(PLAIN)) return cases;
        const plainWith = stateArrays((b) => (b === buffer || b.neededBy(PLAIN) ? [7, 7] : null));
        cases.push([
          `state.${name} given where the slot has no ${symbol}`,
          (_, p) => p.writeState(plainWith as never),
          {
            type: ArgumentError,
            code: 'INVALID_ARGUMENT',
            message: new RegExp(`^${literal(`state.${name} = Array(2) is not allowed; expected null: slot "p" has no ${name} buffer`)}$`),
            props: { field: `state.${name}` },
          },
        ]);
        return cases;
      }),
    ];
    for (const [what, write, expected] of cases) {
      ctx.test(`${what}: ${expected.type.name}, and θ and state byte-identical`, async () => {
        const backend = await pool.shared();
        const full = backend.createSlot(slotRequest('f', floatArray(first, [1, 2]), FULL));
        const plain = backend.createSlot(slotRequest('p', floatArray(first, [3, 4]), PLAIN));
        full.writeState(stateFor(FULL, (_, k) => [2 * k + 1, 2 * k + 2]));
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
  return STATE_BUFFERS.map(({ name }) => `${name} ${hex(s[name])}`);
}
