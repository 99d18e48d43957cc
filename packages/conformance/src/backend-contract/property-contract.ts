/**
 * The backend contract's properties (fast-check, seeded: `propertyRuns`): no NaN from finite input under any
 * valid config; nothing changes after any throw in random sequences of slot operations; agreement with
 * the float64 reference within the caller's ulps on well-conditioned inputs; and exact state round trips
 * through `RMSPropOptimizer`'s state dict and JSON.
 */
import {
  ConfigError,
  referenceStep,
  resolveConfig,
  RMSPropError,
  RMSPropOptimizer,
  STATE_BUFFERS,
  type BackendSlot,
  type DType,
  type FloatArray,
  type ReferenceState,
  type RMSPropBackend,
  type RMSPropConfig,
  type SlotUpdate,
} from '@rmsprop/core';
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { ContractContext } from '../define-backend-contract-suite.js';
import { stateArrays } from '../state-arrays.js';
import { scaledUlpDistance } from '../ulp-distance.js';
import { ContractRng, hex, otherDtype, randomArray, readParams, readState, slotRequest, snapshot, stateFor, thrownBy } from './contract-fixtures.js';
import { anyConfig, checkProperty, unrepresentableFloat32, finiteValue, ordinaryValue, propertyRuns, slotRun, wellConditionedConfig, type PropertyRuns } from './property-arbitraries.js';

/** Inputs each property tries in `pnpm test` (about 1–3 s for the five properties per backend on two cores). */
const DEFAULT_RUNS = 200;

/** A vitest time-out that grows with the runs asked for (RMSPROP_PROPERTY_RUNS). */
function timeoutFor(runs: PropertyRuns): number {
  // GPU backends compile kernels for each new parameter length (gpu.js on SwiftShader: a median 99 ms),
  // and CI runs the packages' suites side by side on two cores: 200 runs took up to ~60 s there.
  return Math.max(180_000, runs.numRuns * 900);
}

/** The largest distance of `actual` from `expected`, in ulps (of `dtype`) of each element's `scale` (Infinity where NaN or ∞ patterns differ). */
function trajectoryUlps(actual: ArrayLike<number>, expected: ArrayLike<number>, scale: ArrayLike<number>, dtype: DType): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Object.is(actual[i], expected[i]) ? 0 : scaledUlpDistance(actual[i], expected[i], scale[i], dtype);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

/** Prints how many inputs a property tried and held, for docs/reliability.md. */
function report(ctx: ContractContext, title: string, tried: number, runs: PropertyRuns): void {
  console.info(`property held: ${ctx.name}: ${title}: ${tried} inputs tried (seed ${runs.seed})`);
}

export function definePropertyContract(ctx: ContractContext): void {
  const { pool, dtypes } = ctx;
  const runs = propertyRuns(DEFAULT_RUNS);
  const timeout = timeoutFor(runs);
  const dtype = fc.constantFrom(...dtypes);

  describe('properties (fast-check; RMSPROP_PROPERTY_RUNS, RMSPROP_PROPERTY_SEED)', () => {
    const noNaN = 'no NaN from finite input: from finite θ, m, b and gradient (v in [0, +∞]), θ and v never NaN, m and b finite, over any valid config';
    ctx.test(noNaN, async () => {
      const backend = await pool.shared();
      const input = dtype.chain((d) => fc.record({ config: anyConfig(d, ctx.flushesSubnormals), run: slotRun(d, finiteValue(d), 4) }));
      const tried = await checkProperty(
        fc.asyncProperty(input, async ({ config, run }) => {
          const slot = backend.createSlot(slotRequest('p', run.params, config));
          try {
            for (const [k, grads] of run.grads.entries()) {
              // θ may have overflowed to ±∞ (as in every framework): the next step's input is then not finite.
              if (!(await readParams(slot)).every(Number.isFinite)) break;
              backend.step([{ slot, grads, hyper: { config, learningRate: config.learningRate, step: k + 1 } }]);
              const where = `after step ${k + 1}`;
              const params = await readParams(slot);
              expect(params.findIndex(Number.isNaN), `${where}: θ index of NaN`).toBe(-1);
              const state = await readState(slot);
              expect(state.meanSquare.findIndex(Number.isNaN), `${where}: v index of NaN`).toBe(-1);
              for (const { name, symbol } of STATE_BUFFERS.filter((b) => b.nonNegative === false)) {
                const values = state[name];
                if (values !== null) expect(values.findIndex((x) => !Number.isFinite(x)), `${where}: ${symbol} index of a non-finite value`).toBe(-1);
              }
            }
          } finally {
            slot.dispose();
          }
        }),
        runs,
      );
      report(ctx, noNaN, tried, runs);
    }, timeout);

    const unrepresentable = 'float32: a config value float32 cannot hold (ε rounding to 0; η, wd or η·wd rounding to ∞) is refused with a ConfigError, nothing changed';
    if (!dtypes.includes('float32')) ctx.skip(unrepresentable, `this backend does not run float32 (options.dtypes = ${dtypes.join(', ')})`);
    else
      ctx.test(unrepresentable, async () => {
        const backend = await pool.shared();
        const input = fc.record({ config: anyConfig('float32', ctx.flushesSubnormals), bad: unrepresentableFloat32(ctx.flushesSubnormals), run: slotRun('float32', finiteValue('float32'), 1) });
        const tried = await checkProperty(
          fc.asyncProperty(input, async ({ config, bad, run }) => {
            const slot = backend.createSlot(slotRequest('u', run.params, config));
            try {
              const badConfig = resolveConfig({ ...config, ...bad });
              const before = await snapshot([slot]);
              const error = await thrownBy(() => backend.step([{ slot, grads: run.grads[0], hyper: { config: badConfig, learningRate: badConfig.learningRate, step: 1 } }]));
              expect(error, String(error)).toBeInstanceOf(ConfigError);
              expect(await snapshot([slot]), 'the slot after the refused step').toEqual(before);
            } finally {
              slot.dispose();
            }
          }),
          runs,
        );
        report(ctx, unrepresentable, tried, runs);
      }, timeout);

    const unchanged = 'nothing changes after any throw: random sequences of good and bad steps, bad writeState and dispose';
    ctx.test(unchanged, async () => {
      const backend = await pool.shared();
      const tried = await checkProperty(
        fc.asyncProperty(
          fc.array(fc.record({ dtype, config: anyConfig('float32', ctx.flushesSubnormals) }), { minLength: 1, maxLength: 3 }),
          fc.array(operation(), { minLength: 1, maxLength: 12 }),
          async (slotSpecs, operations) => {
            const live: { slot: BackendSlot; config: Readonly<RMSPropConfig>; t: number }[] = [];
            const gone: BackendSlot[] = [];
            const rng = new ContractRng(slotSpecs.length);
            try {
              for (const [i, spec] of slotSpecs.entries()) {
                live.push({ slot: backend.createSlot(slotRequest(`s${i}`, randomArray(rng, spec.dtype, 1 + i * 3), spec.config)), config: spec.config, t: 0 });
              }
              for (const op of operations) await apply(backend, op, live, gone);
            } finally {
              for (const { slot } of live) slot.dispose();
            }
          },
        ),
        runs,
      );
      report(ctx, unchanged, tried, runs);
    }, timeout);

    const agrees = "well-conditioned configs and ordinary gradients: θ and state within options.ulps of referenceStep at every step (ulps of each trajectory's scale)";
    ctx.test(agrees, async () => {
      const backend = await pool.shared();
      const largest: Record<DType, number> = { float32: 0, float64: 0 };
      const input = dtype.chain((d) => fc.record({ config: wellConditionedConfig(), run: slotRun(d, ordinaryValue(), 6), rates: fc.array(fc.double({ min: 0.5, max: 1.5, noNaN: true }), { minLength: 6, maxLength: 6 }) }));
      const tried = await checkProperty(
        fc.asyncProperty(input, async ({ config, run, rates }) => {
          const slot = backend.createSlot(slotRequest('r', run.params, config));
          try {
            const params = Float64Array.from(await readParams(slot));
            const read = await readState(slot);
            const state: ReferenceState = { ...stateArrays(({ name }) => (read[name] === null ? null : Float64Array.from(read[name]))), step: 0 };
            // The scale each element's distance is measured at, as compare-trajectory.ts does for golden
            // cases: rounding differences are carried in absolute terms, so θ's is the largest |θ| of its
            // trajectory so far (initial value included); a state buffer's, its largest |value| so far.
            const scales = { θ: Float64Array.from(params, Math.abs), meanSquare: 0, meanGrad: 0, momentum: 0 };
            for (const { name } of STATE_BUFFERS) for (const x of state[name] ?? []) scales[name] = Math.max(scales[name], Math.abs(x));
            for (const [k, grads] of run.grads.entries()) {
              const learningRate = config.learningRate * rates[k];
              referenceStep(config, params, grads, state, learningRate);
              backend.step([{ slot, grads, hyper: { config, learningRate, step: k + 1 } }]);
              const actual = await readState(slot);
              const θ = await readParams(slot);
              for (let i = 0; i < params.length; i++) scales.θ[i] = Math.max(scales.θ[i], Math.abs(params[i]));
              const worst: [number, string] = [trajectoryUlps(θ, params, scales.θ, slot.dtype), 'θ'];
              for (const { name, symbol } of STATE_BUFFERS) {
                const expected = state[name];
                const got = actual[name];
                expect(got === null, `${symbol} present`).toBe(expected === null);
                if (got === null || expected === null) continue;
                for (const x of expected) scales[name] = Math.max(scales[name], Math.abs(x));
                const d = trajectoryUlps(got, expected, new Float64Array(expected.length).fill(scales[name]), slot.dtype);
                if (d > worst[0]) worst.splice(0, 2, d, symbol);
              }
              expect(worst[0], `step ${k + 1}: ${worst[1]}, ulps of its trajectory's scale`).toBeLessThanOrEqual(ctx.ulps[slot.dtype]);
              largest[slot.dtype] = Math.max(largest[slot.dtype], worst[0]);
            }
          } finally {
            slot.dispose();
          }
        }),
        runs,
      );
      report(ctx, `${agrees}, largest ${dtypes.map((d) => `${d} ${largest[d].toFixed(2)}`).join(', ')} ulp`, tried, runs);
    }, timeout);

    const roundTrip = "RMSPropOptimizer: stateDict through JSON into a fresh optimizer continues bit-identically (θ and state)";
    ctx.test(roundTrip, async () => {
      const backend = await pool.shared();
      const input = dtype.chain((d) =>
        fc.record({
          config: anyConfig(d, ctx.flushesSubnormals),
          before: slotRun(d, finiteValue(d), 3),
          after: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer(),
        }),
      );
      const tried = await checkProperty(
        fc.asyncProperty(input, async ({ config, before, after, seed }) => {
          const d: DType = before.params instanceof Float32Array ? 'float32' : 'float64';
          const rng = new ContractRng(seed);
          const { learningRate, ...rest } = config;
          const options = { ...rest, learningRate, backend, inPlace: false as const };
          const original = new RMSPropOptimizer({ ...options, params: { w: before.params } });
          let copy: RMSPropOptimizer | undefined;
          try {
            // The asynchronous reads: the only ones a backend without synchronous read-back (WebGPU) gives.
            for (const grads of before.grads) original.step({ w: grads });
            const dict = JSON.parse(JSON.stringify(await original.stateDictAsync()));
            copy = new RMSPropOptimizer({ ...options, params: { w: await original.readParameterAsync('w') } });
            copy.loadStateDict(dict);
            for (let k = 0; k < after; k++) {
              const grads = randomArray(rng, d, before.params.length, 2);
              original.step({ w: grads });
              copy.step({ w: grads.slice() });
              expect(hex(await copy.readParameterAsync('w')), `θ after ${k + 1} steps from the loaded state`).toBe(hex(await original.readParameterAsync('w')));
              expect(JSON.stringify(await copy.stateDictAsync()), `state after ${k + 1} steps from the loaded state`).toBe(JSON.stringify(await original.stateDictAsync()));
            }
          } finally {
            original.dispose();
            copy?.dispose();
          }
        }),
        runs,
      );
      report(ctx, roundTrip, tried, runs);
    }, timeout);
  });
}

/** One operation of the "nothing changes after a throw" sequences. */
type Operation =
  | { readonly kind: 'good'; readonly seed: number }
  | { readonly kind: 'bad-step'; readonly seed: number; readonly bad: BadUpdate; readonly at: number }
  | { readonly kind: 'bad-write'; readonly seed: number; readonly bad: 'length' | 'missing' | 'extra' | 'null'; readonly which: number }
  | { readonly kind: 'dispose'; readonly which: number };

type BadUpdate = 'length' | 'dtype' | 'disposed' | 'twice' | 'rate-nan' | 'rate-negative' | 'step-0' | 'null';

function operation(): fc.Arbitrary<Operation> {
  const seed = fc.integer();
  const which = fc.nat(5);
  return fc.oneof(
    fc.record({ kind: fc.constant('good' as const), seed }),
    fc.record({
      kind: fc.constant('bad-step' as const),
      seed,
      bad: fc.constantFrom<BadUpdate>('length', 'dtype', 'disposed', 'twice', 'rate-nan', 'rate-negative', 'step-0', 'null'),
      at: which,
    }),
    fc.record({ kind: fc.constant('bad-write' as const), seed, bad: fc.constantFrom('length' as const, 'missing' as const, 'extra' as const, 'null' as const), which }),
    fc.record({ kind: fc.constant('dispose' as const), which }),
  );
}

/** Applies `op`; where it throws (every bad one must), checks the error is typed and every live slot is byte-identical to before. */
async function apply(
  backend: RMSPropBackend,
  op: Operation,
  live: { slot: BackendSlot; config: Readonly<RMSPropConfig>; t: number }[],
  gone: BackendSlot[],
): Promise<void> {
  if (op.kind === 'dispose') {
    if (live.length === 0) return;
    const [entry] = live.splice(op.which % live.length, 1);
    entry.slot.dispose();
    gone.push(entry.slot);
    return;
  }
  const rng = new ContractRng(op.seed);
  const updates = (): SlotUpdate[] =>
    live.map((e) => ({ slot: e.slot, grads: randomArray(rng, e.slot.dtype, e.slot.length), hyper: { config: e.config, learningRate: e.config.learningRate, step: e.t + 1 } }));
  if (op.kind === 'good') {
    backend.step(updates());
    for (const e of live) e.t++;
    return;
  }
  let run: () => unknown;
  if (op.kind === 'bad-write') {
    if (live.length === 0) return;
    const { slot, config } = live[op.which % live.length];
    const good = stateFor(config, () => Array.from({ length: slot.length }, () => Math.abs(rng.normal())));
    const everyBuffer = stateArrays((b) => good[b.name] ?? new Array<number>(slot.length).fill(0));
    const keepsAll = STATE_BUFFERS.every((b) => good[b.name] !== null);
    const bad =
      op.bad === 'null'
        ? null
        : op.bad === 'length'
          ? { ...good, meanSquare: new Array<number>(slot.length + 1).fill(1) }
          : // 'extra': a buffer the slot lacks given too (where it keeps every one, a missing one instead).
            op.bad === 'missing' || keepsAll
            ? { ...good, meanSquare: null }
            : everyBuffer;
    run = () => slot.writeState(bad as never);
  } else {
    const list = updates();
    const base = list.length === 0 ? undefined : list[op.at % list.length];
    let bad: unknown;
    switch (op.bad) {
      case 'length':
        bad = base && { ...base, grads: randomArray(rng, base.slot.dtype, base.slot.length + 1) };
        break;
      case 'dtype':
        bad = base && { ...base, grads: randomArray(rng, otherDtype(base.slot.dtype), base.slot.length) };
        break;
      case 'disposed': {
        const slot = gone[op.at % Math.max(1, gone.length)];
        bad = slot && { slot, grads: randomArray(rng, slot.dtype, slot.length), hyper: { config: live[0]?.config ?? initialConfig, learningRate: 0.01, step: 1 } };
        break;
      }
      case 'twice':
        bad = base;
        break;
      case 'rate-nan':
        bad = base && { ...base, hyper: { ...base.hyper, learningRate: Number.NaN } };
        break;
      case 'rate-negative':
        bad = base && { ...base, hyper: { ...base.hyper, learningRate: -1 } };
        break;
      case 'step-0':
        bad = base && { ...base, hyper: { ...base.hyper, step: 0 } };
        break;
      case 'null':
        bad = null;
        break;
    }
    if (bad === undefined) return;
    const at = op.at % (list.length + 1);
    // 'twice' replaces nothing: the slot comes again; the others replace the slot's good update.
    const updatesWithBad = op.bad === 'twice' || op.bad === 'disposed' || op.bad === 'null' ? [...list.slice(0, at), bad, ...list.slice(at)] : list.map((u) => (u === base ? bad : u));
    run = () => backend.step(updatesWithBad as SlotUpdate[]);
  }
  const slots = live.map((e) => e.slot);
  const before = await snapshot(slots);
  const error = await thrownBy(run);
  expect(error, `${op.kind} ${'bad' in op ? op.bad : ''}: ${String(error)}`).toBeInstanceOf(RMSPropError);
  expect(await snapshot(slots), `${op.kind} ${'bad' in op ? op.bad : ''}: every live slot after the throw`).toEqual(before);
}

/** A config for an update of a disposed slot where no slot is live (the slot's disposal is what is refused). */
const initialConfig: Readonly<RMSPropConfig> = resolveConfig({});
