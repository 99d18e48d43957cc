import { DTYPES, type BackendFactory, type DType, type RMSPropBackend } from '@rmsprop/core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BackendPool } from './backend-contract/contract-fixtures.js';
import { defineDisposeContract } from './backend-contract/dispose-contract.js';
import { definePropertyContract } from './backend-contract/property-contract.js';
import { defineSlotContract } from './backend-contract/slot-contract.js';
import { defineStepContract } from './backend-contract/step-contract.js';

/** What differs between backends, genuinely; nothing here turns a contract point off. */
export interface BackendContractOptions {
  /**
   * The dtypes the backend runs here; it must equal `capabilities.dtypes` (a test checks it). The points
   * that need a dtype the backend lacks show as skipped tests saying so, and a test checks that the backend
   * refuses that dtype. Default: float32 and float64.
   */
  readonly dtypes?: readonly DType[];
  /**
   * The largest distance from the float64 reference (`referenceStep`) allowed after a few steps, in ulps
   * of each buffer's scale (its largest |value|), per dtype. Default: 16 for float32, 8 for float64 (the
   * README's bounds for the golden vectors).
   */
  readonly ulps?: Partial<Readonly<Record<DType, number>>>;
  /**
   * How much the backend holds (bytes of its memory, live tensors, …), for the points "a rejected
   * createSlot/createSlots takes nothing" and "dispose gives it all back". Where absent, those points show
   * as skipped tests saying so.
   */
  readonly usage?: (backend: RMSPropBackend) => number;
  /**
   * Contract points this backend is known to break: the test's title (as the suite prints it) → the bug.
   * Each runs as `it.fails`, so it reports when the bug is fixed. A title that names no test is an error.
   */
  readonly knownFailures?: Readonly<Record<string, string>>;
  /**
   * The backend's arithmetic flushes subnormal numbers to zero (GPU shaders may, and SwiftShader does), so
   * it refuses an ε below the dtype's smallest normal number (`checkSlotUpdates`' option of the same
   * name): the properties draw ε from there up, and check that a smaller one is refused. Default false.
   */
  readonly flushesSubnormals?: boolean;
}

/** The options with their defaults, and how the contract files register tests. */
export interface ContractContext {
  readonly name: string;
  readonly dtypes: readonly DType[];
  readonly ulps: Readonly<Record<DType, number>>;
  readonly usage: ((backend: RMSPropBackend) => number) | undefined;
  readonly flushesSubnormals: boolean;
  readonly pool: BackendPool;
  /**
   * Registers a contract point (as `it.fails` where it is a known failure). `skip(reason)` inside `run`
   * skips it at run time, with the reason, where only the backend made by the factory tells (an optional
   * method it lacks, a capability that is false). `timeout` (ms) replaces vitest's default where given.
   */
  test(title: string, run: (skip: (reason: string) => never) => Promise<void>, timeout?: number): void;
  /** Registers a contract point that cannot run on this backend, as a skipped test whose title says why. */
  skip(title: string, reason: string): void;
}

/**
 * Register the backend interface contract (packages/core/src/backend.ts) for one backend with vitest:
 * identity and capabilities; slot creation and its checks (and `createSlots` all or none, where present);
 * reads that return copies and writes that copy in, with exact round trips per dtype; every bad input a
 * step can receive refused with its typed error before anything is written (every slot byte-identical
 * after); disposal of slots and of the backend; a few steps of several configs against the float64
 * reference within `options.ulps`; and properties over random inputs (fast-check, seeded;
 * `RMSPROP_PROPERTY_RUNS` tries more, `RMSPROP_PROPERTY_SEED` replays a failure's seed): no NaN from finite
 * input, nothing changed by any throw, agreement with the reference, exact state-dict round trips.
 *
 * `factory` is called for a backend shared by most tests and for a few more (a second instance for the
 * foreign-slot checks, and ones the dispose tests dispose); every one is disposed when the suite ends.
 * Slots that have `readParamsAsync`/`readStateAsync` are read through them (WebGPU reads only that way).
 *
 * Call it at the top level of a backend package's test file, next to `defineConformanceSuite`:
 * `defineBackendContractSuite('cpu-js', () => createCpuBackend({ kernel: 'js' }), { ulps: { float32: 16, float64: 0 } })`.
 */
export function defineBackendContractSuite(name: string, factory: BackendFactory, options: BackendContractOptions = {}): void {
  const dtypes = options.dtypes ?? DTYPES;
  if (!Array.isArray(dtypes) || dtypes.length === 0 || dtypes.some((d) => !DTYPES.includes(d))) {
    throw new Error(`defineBackendContractSuite("${name}"): options.dtypes must be a non-empty list of ${DTYPES.join(', ')}`);
  }
  const ulps = { float32: 16, float64: 8, ...options.ulps };
  const known = new Map(Object.entries(options.knownFailures ?? {}));
  const used = new Set<string>();
  const pool = new BackendPool(factory);
  const context: ContractContext = {
    name,
    dtypes,
    ulps,
    usage: options.usage,
    flushesSubnormals: options.flushesSubnormals === true,
    pool,
    test(title, run, timeout) {
      const bug = known.get(title);
      const body = (ctx: { skip: (note?: string) => never }) => run((reason) => ctx.skip(`skipped: ${reason}`));
      if (bug === undefined) {
        it(title, body, timeout);
        return;
      }
      used.add(title);
      it.fails(`${title} — known failure: ${bug}`, body, timeout);
    },
    skip(title, reason) {
      it.skip(`${title} — skipped: ${reason}`, () => {});
    },
  };
  describe(`backend contract: ${name}`, () => {
    afterAll(() => pool.disposeAll());
    defineSlotContract(context);
    defineStepContract(context);
    defineDisposeContract(context);
    definePropertyContract(context);
    // Nested describe blocks are collected after this one's body: by the first hook every test is known.
    beforeAll(() => {
      const unused = [...known.keys()].filter((title) => !used.has(title));
      if (unused.length > 0) {
        throw new Error(`defineBackendContractSuite("${name}"): options.knownFailures names no test: ${unused.map((t) => JSON.stringify(t)).join(', ')}`);
      }
    });
  });
}
