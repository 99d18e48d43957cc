import { STATE_BUFFER_NAMES, type BackendSlot, type RMSPropBackend } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createFixtureBackend } from './__fixtures__/reference-backend.js';
import { goldenFile, handComputedPlainCase } from './__fixtures__/golden-json.js';
import { CONFORMANCE_BACKENDS } from './backend-table.js';
import type { GoldenCase } from './golden-case.js';
import { backendImplementation } from './implementations.js';
import { loadCommittedVectors } from './load-golden-files.js';
import { parseGoldenFile } from './parse-golden-file.js';
import { runCaseOnBackend, runCaseOnBackendAsync } from './run-case-on-backend.js';
import { runCaseOnReference } from './run-case-on-reference.js';
import { runCell, runCellAsync } from './run-conformance.js';
import type { Trajectory } from './trajectory.js';

function parseCase(json: Record<string, unknown>): GoldenCase {
  return parseGoldenFile(goldenFile({ name: 'test/case', source: 'test', ...json }), 'test.json')[0];
}

/** Element-wise identity (Object.is, so NaN equals NaN and −0 differs from +0), with the first difference. */
function firstDifference(a: Trajectory, b: Trajectory): string | undefined {
  if (a.params.length !== b.params.length) return `steps ${a.params.length} vs ${b.params.length}`;
  const rows: [string, ArrayLike<number> | null, ArrayLike<number> | null][] = [
    ...a.params.map((row, s): [string, ArrayLike<number>, ArrayLike<number>] => [`θ[${s}]`, row, b.params[s]]),
    ...STATE_BUFFER_NAMES.map((name): [string, ArrayLike<number> | null, ArrayLike<number> | null] => [name, a.finalState[name], b.finalState[name]]),
  ];
  for (const [label, x, y] of rows) {
    if (x === null || y === null) {
      if (x !== y) return `${label}: ${x === null ? 'null' : 'present'} vs ${y === null ? 'null' : 'present'}`;
      continue;
    }
    if (x.length !== y.length) return `${label}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${label}[${i}]: ${x[i]} vs ${y[i]}`;
  }
  return undefined;
}

// A float64 case with momentum and a changing schedule, η outside the buffer (PyTorch's order).
const scheduleMomentum = parseCase({
  dtype: 'float64',
  config: { rho: 0.95, momentum: 0.8, epsilon: 1e-6 },
  learningRateSchedule: [0.1, 0.05, 0.02, 0.2],
  params: [1, -0.5, 2, 0],
  grads: [
    [0.3, -1.2, 0, 5],
    [-0.1, 0.4, 2, -5],
    [0.7, 0.7, -3, 0.01],
    [0, -2, 1e-3, 4],
  ],
  // The expected values do not matter here: the test compares the two runs with each other.
  expected: [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ],
});

describe('runCaseOnBackend', () => {
  it('matches runCaseOnReference bit for bit for a float64 case with a schedule and momentum', () => {
    const backend = createFixtureBackend();
    const onBackend = runCaseOnBackend(backend, scheduleMomentum);
    const reference = runCaseOnReference(scheduleMomentum);
    expect(firstDifference(onBackend, reference)).toBeUndefined();
    expect(onBackend.params).toHaveLength(4);
    expect(onBackend.finalState.momentum).not.toBeNull();
    expect(onBackend.finalState.meanGrad).toBeNull();
    // θ moved, differently each step (the run is not trivially equal).
    expect(new Set(onBackend.params.map((row) => row[0])).size).toBe(4);
  });

  it('passes each step its η from the schedule, with t = 1, 2, …', () => {
    const backend = createFixtureBackend();
    runCaseOnBackend(backend, scheduleMomentum);
    expect(backend.steps).toEqual([
      { learningRate: 0.1, step: 1 },
      { learningRate: 0.05, step: 2 },
      { learningRate: 0.02, step: 3 },
      { learningRate: 0.2, step: 4 },
    ]);
  });

  it('without a schedule, every step uses config.learningRate', () => {
    const { learningRateSchedule: _s, ...rest } = scheduleMomentum;
    const backend = createFixtureBackend();
    const trajectory = runCaseOnBackend(backend, { ...rest, config: { ...rest.config, learningRate: 0.03 } });
    expect(backend.steps.map((s) => s.learningRate)).toEqual([0.03, 0.03, 0.03, 0.03]);
    // … which gives a different trajectory than the schedule did.
    expect(firstDifference(trajectory, runCaseOnReference(scheduleMomentum))).toBeDefined();
  });

  it('computes the hand-written plain case', () => {
    const json = handComputedPlainCase();
    const c = parseCase(json);
    const trajectory = runCaseOnBackend(createFixtureBackend(), c);
    trajectory.params.forEach((row, s) => row.forEach((x, i) => expect(x).toBeCloseTo(json.expected[s][i], 14)));
    // Step 1 from v = 0: θ − η·sign(g)/√(1 − ρ) where g ≠ 0 (ε = 1e-8 moves it by ~2e-9); no move where g = 0.
    expect(trajectory.params[0][0]).toBeCloseTo(1 - 0.01 / Math.sqrt(0.1), 8);
    expect(trajectory.params[0][1]).toBeCloseTo(-2 + 0.01 / Math.sqrt(0.1), 8);
    expect(trajectory.params[0][2]).toBe(0.5);
  });

  it('lets non-finite gradients propagate and decodes non-finite state', () => {
    const c = parseCase({ dtype: 'float64', config: { momentum: 0.5, centered: true }, params: [1, 2], grads: [['NaN', 1]], expected: [[0, 0]] });
    const trajectory = runCaseOnBackend(createFixtureBackend(), c);
    expect(Number.isNaN(trajectory.params[0][0])).toBe(true);
    expect(Number.isFinite(trajectory.params[0][1])).toBe(true);
    expect(Number.isNaN(trajectory.finalState.meanSquare[0])).toBe(true);
    expect(Number.isNaN(trajectory.finalState.meanGrad![0])).toBe(true);
    expect(Number.isNaN(trajectory.finalState.momentum![0])).toBe(true);
    expect(trajectory.finalState.meanSquare[1]).toBeCloseTo(0.1, 15);
  });

  it('disposes the optimizer (its slot) but not the backend, and leaves the case unchanged', () => {
    const backend = createFixtureBackend();
    const before = Array.from(scheduleMomentum.params);
    runCaseOnBackend(backend, scheduleMomentum);
    runCaseOnBackend(backend, scheduleMomentum);
    expect(backend.disposed).toEqual({ backend: 0, slots: 2 });
    expect(Array.from(scheduleMomentum.params)).toEqual(before);
  });

  it('matches runCaseOnReference on every committed case, float32 storage included', () => {
    const backend = createFixtureBackend(['float32', 'float64']);
    const differences: string[] = [];
    for (const c of loadCommittedVectors()) {
      const d = firstDifference(runCaseOnBackend(backend, c), runCaseOnReference(c));
      if (d !== undefined) differences.push(`${c.name}: ${d}`);
    }
    expect(differences).toEqual([]);
  });
});

/** The fixture backend with its slots' synchronous reads disabled, as tfjs on WebGPU behaves. */
function asyncReadsOnly(backend: RMSPropBackend): RMSPropBackend {
  return {
    ...backend,
    capabilities: backend.capabilities,
    createSlot(request) {
      const slot = backend.createSlot(request);
      return {
        name: slot.name,
        dtype: slot.dtype,
        length: slot.length,
        params: null,
        grads: null,
        readParams: () => {
          throw new Error('synchronous read-back is not available');
        },
        readState: () => {
          throw new Error('synchronous read-back is not available');
        },
        readParamsAsync: async () => slot.readParams(),
        readStateAsync: async () => slot.readState(),
        writeParams: (values) => slot.writeParams(values),
        writeState: (state) => slot.writeState(state),
        dispose: () => slot.dispose(),
        // The fixture's step finds its own slot object through this.
        __inner: slot,
      } as BackendSlot;
    },
    step(updates) {
      backend.step(updates.map((u) => ({ ...u, slot: (u.slot as BackendSlot & { __inner: BackendSlot }).__inner })));
    },
  };
}

describe('runCaseOnBackendAsync', () => {
  it('equals runCaseOnBackend on every committed case', async () => {
    const backend = createFixtureBackend(['float32', 'float64']);
    const differences: string[] = [];
    for (const c of loadCommittedVectors()) {
      const d = firstDifference(await runCaseOnBackendAsync(backend, c), runCaseOnBackend(backend, c));
      if (d !== undefined) differences.push(`${c.name}: ${d}`);
    }
    expect(differences).toEqual([]);
  });

  it('runs a backend that reads only asynchronously, where runCaseOnBackend fails', async () => {
    const backend = asyncReadsOnly(createFixtureBackend(['float64']));
    expect(() => runCaseOnBackend(backend, scheduleMomentum)).toThrow(/synchronous read-back is not available/);
    expect(firstDifference(await runCaseOnBackendAsync(backend, scheduleMomentum), runCaseOnReference(scheduleMomentum))).toBeUndefined();
  });

  it('runCellAsync uses runAsync: the async-only backend passes there and is an error cell in runCell', async () => {
    const row = CONFORMANCE_BACKENDS.find((b) => b.name === 'cpu')!;
    const impl = backendImplementation(row, asyncReadsOnly(createFixtureBackend(['float64'])));
    // A case whose expected values are the spec's own, so that the async run can pass.
    const reference = runCaseOnReference(scheduleMomentum);
    const exact: GoldenCase = { ...scheduleMomentum, expected: reference.params.map((row) => Float64Array.from(row)) };
    expect((await runCellAsync(impl, exact)).status).toBe('pass');
    const wrong: GoldenCase = { ...exact, expected: exact.expected.map((row) => row.map((x) => x * 1.001)) };
    expect((await runCellAsync(impl, wrong)).status).toBe('fail');
    expect(runCell(impl, exact)).toEqual({ status: 'error', error: 'Error: synchronous read-back is not available' });
    const skipped = await runCellAsync(impl, parseCase({ dtype: 'float32', params: [1], grads: [[1]], expected: [[1]] }));
    expect(skipped).toEqual({ status: 'skip', reason: 'cpu does not run float32' });
  });
});

describe('runCaseOnReference with float32 storage', () => {
  it('rounds θ and the state to float32 after every step, unlike a float64 run', () => {
    const json = { config: { learningRate: 0.01 }, params: [Math.fround(0.3)], grads: [[Math.fround(0.7)], [Math.fround(-0.2)]], expected: [[0], [0]] };
    const f32 = runCaseOnReference(parseCase({ ...json, dtype: 'float32' }));
    const f64 = runCaseOnReference(parseCase({ ...json, dtype: 'float64' }));
    for (const row of f32.params) for (const x of row) expect(Math.fround(x)).toBe(x);
    expect(Math.fround(f32.finalState.meanSquare[0])).toBe(f32.finalState.meanSquare[0]);
    expect(f32.params[1][0]).not.toBe(f64.params[1][0]);
    expect(f32.params[1][0]).toBeCloseTo(f64.params[1][0], 6);
    // Step 1 is the float64 step rounded once.
    expect(f32.params[0][0]).toBe(Math.fround(f64.params[0][0]));
  });
});

describe('backendImplementation', () => {
  const cpuRow = CONFORMANCE_BACKENDS.find((b) => b.name === 'cpu')!;
  const float32Case = parseCase({ dtype: 'float32', params: [1], grads: [[1]], expected: [[1]] });

  it('runs only the dtypes both the table row and the backend support', () => {
    const impl = backendImplementation(cpuRow, createFixtureBackend(['float64']));
    expect(impl.name).toBe('cpu');
    expect(impl.dtypes).toEqual(['float64']);
    expect(runCell(impl, float32Case)).toEqual({ status: 'skip', reason: 'cpu does not run float32' });
  });

  it('uses the row\'s tolerance and skips', () => {
    const impl = backendImplementation(cpuRow, createFixtureBackend(['float32', 'float64']));
    expect(impl.tolerance).toBe(cpuRow.tolerance);
    expect(impl.skips).toBe(cpuRow.skips);
  });

  it('an exception while running becomes an error cell naming it', () => {
    const backend = createFixtureBackend(['float32', 'float64']);
    const broken = { ...backend, step: () => { throw new RangeError('kernel exploded'); } };
    const cell = runCell(backendImplementation(cpuRow, broken), scheduleMomentum);
    expect(cell).toEqual({ status: 'error', error: 'RangeError: kernel exploded' });
  });
});
