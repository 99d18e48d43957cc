/**
 * The backend contract's step points: every bad update a step can receive is refused with its typed error
 * before anything is written (every slot, host view and adopted array byte-identical after), and a few
 * steps of several configs, sizes and dtypes against the float64 reference within the caller's ulps.
 */
import {
  ArgumentError,
  describeValue,
  DisposedError,
  referenceStep,
  resolveConfig,
  ShapeError,
  STATE_BUFFERS,
  type BackendSlot,
  type DType,
  type FloatArray,
  type ReferenceState,
  type RMSPropBackend,
  type RMSPropConfig,
  type SlotUpdate,
} from '@rmsprop/core';
import { beforeAll, describe, expect } from 'vitest';
import type { ContractContext } from '../define-backend-contract-suite.js';
import { stateArrays, stateSymbols } from '../state-arrays.js';
import {
  bufferUlps,
  ContractRng,
  expectTypedError,
  floatArray,
  keepingEveryBuffer,
  otherDtype,
  randomArray,
  readParams,
  readState,
  slotRequest,
  snapshot,
  type ExpectedError,
} from './contract-fixtures.js';

/**
 * Configs that reach every state buffer (the second keeps them all: checked when the suite is defined) and
 * most switches; none cancels catastrophically in a few steps.
 */
const CONFIGS: readonly Readonly<RMSPropConfig>[] = [
  resolveConfig({ learningRate: 0.01 }),
  keepingEveryBuffer(resolveConfig({ learningRate: 0.01, momentum: 0.9, centered: true, initialMeanSquare: 0.1 })),
  resolveConfig({ learningRate: 0.02, momentum: 0.5, nesterov: true, biasCorrection: true, weightDecay: 0.01 }),
  resolveConfig({ learningRate: 0.05, momentum: 0.3, epsilonPlacement: 'inside', learningRateInMomentum: true, maximize: true }),
  resolveConfig({ learningRate: 0.01, rho: 0.8, epsilon: 1e-6, weightDecay: 0.1, decoupledWeightDecay: true }),
];
const SIZES = [0, 1, 5, 33];
const STEPS = 5;

/** A float64 copy of a slot's θ and state, for the reference to continue from. */
async function referenceFrom(slot: BackendSlot, stepsTaken: number): Promise<{ params: Float64Array; state: ReferenceState }> {
  const s = await readState(slot);
  return {
    params: Float64Array.from(await readParams(slot)),
    state: { ...stateArrays(({ name }) => (s[name] === null ? null : Float64Array.from(s[name]))), step: stepsTaken },
  };
}

/** The largest distance of the slot's θ and each state buffer from the reference's, in ulps of each buffer's scale, with where. */
async function distance(slot: BackendSlot, params: Float64Array, state: ReferenceState): Promise<[number, string]> {
  const s = await readState(slot);
  const pairs: [string, ArrayLike<number> | null, ArrayLike<number> | null][] = [
    ['θ', await readParams(slot), params],
    ...STATE_BUFFERS.map(({ name, symbol }): [string, ArrayLike<number> | null, ArrayLike<number> | null] => [symbol, s[name], state[name]]),
  ];
  let worst: [number, string] = [0, ''];
  for (const [what, actual, expected] of pairs) {
    expect(actual === null, `${slot.name} ${what} present`).toBe(expected === null);
    if (actual === null || expected === null) continue;
    const d = bufferUlps(actual, expected, slot.dtype);
    if (d > worst[0]) worst = [d, `${slot.name} ${what}`];
  }
  return worst;
}

export function defineStepContract(ctx: ContractContext): void {
  const { pool, dtypes } = ctx;
  const first = dtypes[0];
  const last = dtypes[dtypes.length - 1];

  describe('step refuses every bad update with a typed error, and no slot changes', () => {
    const centered = CONFIGS[1];
    const plain = resolveConfig({ learningRate: 0.02, weightDecay: 0.01 });
    let backend: RMSPropBackend;
    let foreign: BackendSlot;
    let gone: BackendSlot;
    let slots: BackendSlot[];
    /** Host arrays the slots adopted (where the backend adopts), which a rejected step must not touch. */
    let adopted: FloatArray[];
    let t = 0;
    const rng = new ContractRng(77);
    const configOf = (slot: BackendSlot) => (slot === slots[0] ? centered : plain);
    const good = (): SlotUpdate[] =>
      slots.map((slot) => ({ slot, grads: randomArray(rng, slot.dtype, slot.length), hyper: { config: configOf(slot), learningRate: 0.01, step: t + 1 } }));

    beforeAll(async () => {
      backend = await pool.shared();
      const adopts = backend.capabilities.hostArrays !== 'copied';
      const a = randomArray(rng, first, 5);
      slots = [
        backend.createSlot(slotRequest('a', a, centered, adopts)),
        backend.createSlot(slotRequest('b', randomArray(rng, last, 4), plain)),
        backend.createSlot(slotRequest('c', randomArray(rng, first, 3), plain)),
      ];
      adopted = adopts ? [a] : [];
      gone = backend.createSlot(slotRequest('gone', randomArray(rng, first, 3), plain));
      gone.dispose();
      foreign = (await pool.fresh()).createSlot(slotRequest('c', randomArray(rng, first, 3), plain));
      for (; t < 2; t++) backend.step(good());
    });

    type Case = [what: string, bad: (c: SlotUpdate, i: number) => unknown, expected: (i: number) => ExpectedError];
    const slotError = (i: number): ExpectedError => ({
      type: ArgumentError,
      code: 'INVALID_ARGUMENT',
      message: new RegExp(`^updates\\[${i}\\]\\.slot = .+ is not allowed; expected a slot created by this .+ backend$`),
      props: { field: `updates[${i}].slot` },
    });
    const argument = (field: (i: number) => string, message: (i: number) => RegExp) => (i: number): ExpectedError => ({
      type: ArgumentError,
      code: 'INVALID_ARGUMENT',
      message: message(i),
      props: { field: field(i) },
    });
    const shape = (code: 'LENGTH_MISMATCH' | 'DTYPE_MISMATCH', message: RegExp) => (): ExpectedError => ({ type: ShapeError, code, message, props: { parameter: 'c' } });
    const hyper = (c: SlotUpdate, over: object) => ({ ...c, hyper: { ...c.hyper, ...over } });
    const cases: Case[] = [
      ['a slot of another instance of this backend', (c) => ({ ...c, slot: foreign }), slotError],
      ['an object that is not a slot', (c) => ({ ...c, slot: { name: 'c', dtype: first, length: 3, params: null, grads: null } }), slotError],
      [
        'a disposed slot',
        (c) => ({ ...c, slot: gone }),
        () => ({ type: DisposedError, code: 'DISPOSED', message: /^.+ slot "gone" was disposed; step\(\) is not allowed after dispose\(\)$/ }),
      ],
      [
        `a ${otherDtype(first)} gradient for a ${first} slot`,
        (c) => ({ ...c, grads: floatArray(otherDtype(first), [1, 2, 3]) }),
        shape('DTYPE_MISMATCH', new RegExp(`^gradient of "c" is ${otherDtype(first)}; expected ${first} \\(the parameter's dtype\\)$`)),
      ],
      ['a plain array as the gradient', (c) => ({ ...c, grads: [1, 2, 3] }), shape('DTYPE_MISMATCH', /^gradient of "c" is Array\(3\); expected /)],
      ['a null gradient', (c) => ({ ...c, grads: null }), shape('DTYPE_MISMATCH', /^gradient of "c" is null; expected /)],
      ['a gradient of the wrong length', (c) => ({ ...c, grads: floatArray(first, [1, 2, 3, 4]) }), shape('LENGTH_MISMATCH', /^gradient of "c" has length 4; expected 3$/)],
      ...[NaN, -0.001, Infinity].map((learningRate): Case => [
        `learningRate ${learningRate}`,
        (c) => hyper(c, { learningRate }),
        argument((i) => `updates[${i}].hyper.learningRate`, (i) => new RegExp(`^updates\\[${i}\\]\\.hyper\\.learningRate = .+ is not allowed; expected a finite number ≥ 0$`)),
      ]),
      ...[0, 1.5, NaN].map((step): Case => [
        `step ${step}`,
        (c) => hyper(c, { step }),
        argument((i) => `updates[${i}].hyper.step`, (i) => new RegExp(`^updates\\[${i}\\]\\.hyper\\.step = .+ is not allowed; expected an integer ≥ 1$`)),
      ]),
      ['a missing hyper', (c) => ({ ...c, hyper: undefined }), argument((i) => `updates[${i}].hyper`, (i) => new RegExp(`^updates\\[${i}\\]\\.hyper = undefined is not allowed`))],
      ['a null config', (c) => hyper(c, { config: null }), argument((i) => `updates[${i}].hyper.config`, (i) => new RegExp(`^updates\\[${i}\\]\\.hyper\\.config = null is not allowed`))],
      // Every state buffer slot "c" (plain) keeps none of: a config that needs it, switched on as in the
      // config that keeps every buffer (e.g. a centered config for a slot without m).
      ...STATE_BUFFERS.filter((buffer) => !buffer.neededBy(plain)).map((buffer): Case => {
        const { field, off } = buffer.switchedBy!;
        const on = CONFIGS[1][field];
        const config = resolveConfig({ ...plain, [field]: on });
        const message = `config.${field} = ${describeValue(on)} is not allowed; expected ${off} for slot "c", which was created without a ${buffer.name} buffer`;
        return [
          `a config with ${field} ${describeValue(on)} for a slot without ${buffer.symbol}`,
          (c) => hyper(c, { config }),
          argument(() => `config.${field}`, () => new RegExp(`^${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)),
        ];
      }),
      ['an update that is null', () => null, argument((i) => `updates[${i}]`, (i) => new RegExp(`^updates\\[${i}\\] = null is not allowed`))],
    ];

    /** Runs `updates` expecting `expected`, then checks every slot, host view and adopted array is as before. */
    const refused = async (updates: unknown, expected: ExpectedError, what: string) => {
      const before = await snapshot(slots, adopted);
      await expectTypedError(() => backend.step(updates as SlotUpdate[]), expected, what);
      expect(await snapshot(slots, adopted), `${what}: slots after the rejected step`).toEqual(before);
    };

    for (const [what, bad, expected] of cases) {
      ctx.test(`${what}, last or first in the step: ${expected(0).type.name}`, async () => {
        // The caller writes into an adopted array between steps: a rejected step neither takes nor overwrites it.
        for (const a of adopted) a[0] += 1;
        const updates = good();
        await refused([...updates.slice(0, 2), bad(updates[2], 2)], expected(2), 'last');
        await refused([bad(updates[2], 0), ...updates.slice(0, 2)], expected(0), 'first');
      });
    }

    ctx.test('a slot given twice in one step: ArgumentError naming the second', async () => {
      const updates = good();
      await refused([...updates, updates[1]], {
        type: ArgumentError,
        code: 'INVALID_ARGUMENT',
        message: /^updates\[3\]\.slot = "b" is not allowed; expected a slot not already updated in this step$/,
        props: { field: 'updates[3].slot' },
      }, 'duplicate');
    });

    ctx.test('updates that are not an array: ArgumentError naming updates', async () => {
      for (const updates of [null, { length: 0 }]) {
        await refused(updates, { type: ArgumentError, code: 'INVALID_ARGUMENT', message: /^updates = .+ is not allowed; expected an array of slot updates$/, props: { field: 'updates' } }, String(updates));
      }
    });

    ctx.test('an empty step changes nothing', async () => {
      const before = await snapshot(slots, adopted);
      backend.step([]);
      expect(await snapshot(slots, adopted)).toEqual(before);
    });

    ctx.test(`after the rejected steps, the next good step gives the reference result (within options.ulps)`, async () => {
      const updates = good();
      const expected = await Promise.all(slots.map((slot) => referenceFrom(slot, t)));
      updates.forEach((u, i) => referenceStep(u.hyper.config, expected[i].params, u.grads, expected[i].state, u.hyper.learningRate));
      backend.step(updates);
      t++;
      for (const [i, slot] of slots.entries()) {
        const [ulps, where] = await distance(slot, expected[i].params, expected[i].state);
        expect(ulps, where).toBeLessThanOrEqual(ctx.ulps[slot.dtype]);
      }
    });
  });

  describe('step against the float64 reference (referenceStep)', () => {
    for (const dtype of ['float32', 'float64'] as const satisfies readonly DType[]) {
      const title = `${dtype}: ${STEPS} steps of ${CONFIGS.length} configs × sizes ${SIZES.join(', ')} in one step call each, θ, ${stateSymbols().replace(' and ', ', ')} within options.ulps`;
      if (!dtypes.includes(dtype)) {
        ctx.skip(title, `this backend does not run ${dtype} (options.dtypes = ${dtypes.join(', ')})`);
        continue;
      }
      ctx.test(title, async () => {
        const backend = await pool.shared();
        const rng = new ContractRng(dtype === 'float32' ? 32 : 64);
        const runs = CONFIGS.flatMap((config, c) =>
          SIZES.map((n) => {
            const slot = backend.createSlot(slotRequest(`ref${c}-${n}`, randomArray(rng, dtype, n, 2), config));
            return { config, slot, params: new Float64Array(0), state: null as unknown as ReferenceState };
          }),
        );
        for (const run of runs) Object.assign(run, await referenceFrom(run.slot, 0));
        let worst: [number, string] = [0, ''];
        for (let step = 1; step <= STEPS; step++) {
          const updates = runs.map((run) => {
            const grads = randomArray(rng, dtype, run.slot.length, 0.5);
            const learningRate = run.config.learningRate * (0.5 + rng.next());
            referenceStep(run.config, run.params, grads, run.state, learningRate);
            return { slot: run.slot, grads, hyper: { config: run.config, learningRate, step } };
          });
          backend.step(updates);
          for (const run of runs) {
            const d = await distance(run.slot, run.params, run.state);
            if (d[0] > worst[0]) worst = [d[0], `step ${step}, ${d[1]} (${JSON.stringify(run.config)})`];
          }
        }
        expect(worst[0], `largest distance: ${worst[1]}`).toBeLessThanOrEqual(ctx.ulps[dtype]);
      });
    }
  });
}
