/**
 * Properties across backends (fast-check, seeded; RMSPROP_PROPERTY_RUNS, RMSPROP_PROPERTY_SEED): on float32
 * the CPU backend's WebAssembly f32x4 kernel and its JS loops (both computing in float32 operations) give
 * bit-identical θ and state over any valid config and any finite gradients, huge ones included; and tfjs on
 * its cpu backend stays within the tfjs-cpu row's tolerance of them on the same inputs. The backends
 * are loaded as the CLI loads them (`loadBackendFactory`, from the workspace root).
 */
import { resolve } from 'node:path';
import { initialState, STATE_BUFFERS, type FloatArray, type RMSPropBackend, type RMSPropConfig } from '@rmsprop/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hex } from './backend-contract/contract-fixtures.js';
import { anyConfig, checkProperty, finiteValue, ordinaryValue, propertyRuns, slotRun, wellConditionedConfig } from './backend-contract/property-arbitraries.js';
import { CONFORMANCE_BACKENDS } from './backend-table.js';
import { loadBackendFactory } from './load-backend.js';
import { withinTolerance } from './tolerance.js';

/** The workspace root, where the backend packages are installed (as a user's project would have them). */
const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const runs = propertyRuns(200);
const timeout = Math.max(30_000, runs.numRuns * 250);

/** θ and each state buffer after every step of `grads` on `backend`, from `params` under `config`. */
function trajectory(backend: RMSPropBackend, config: Readonly<RMSPropConfig>, params: FloatArray, grads: readonly FloatArray[]): FloatArray[][] {
  const slot = backend.createSlot({ name: 'x', dtype: 'float32', length: params.length, values: params.slice(), adopt: false, state: initialState(config) });
  try {
    return grads.map((g, k) => {
      backend.step([{ slot, grads: g.slice(), hyper: { config, learningRate: config.learningRate, step: k + 1 } }]);
      const state = slot.readState();
      return [slot.readParams(), ...STATE_BUFFERS.flatMap(({ name }) => (state[name] === null ? [] : [state[name]]))];
    });
  } finally {
    slot.dispose();
  }
}

const row = (name: string) => {
  const entry = CONFORMANCE_BACKENDS.find((b) => b.name === name);
  if (entry === undefined) throw new Error(`backend table has no row ${name}`);
  return entry;
};

describe('properties across backends (float32)', () => {
  const backends: Record<'wasm' | 'js' | 'tfjs', RMSPropBackend> = {} as never;

  beforeAll(async () => {
    for (const [key, name] of [['wasm', 'cpu'], ['js', 'cpu-js'], ['tfjs', 'tfjs-cpu']] as const) {
      const loaded = await loadBackendFactory(row(name), REPO_ROOT);
      if (!('factory' in loaded)) throw new Error(`${name}: ${loaded.unavailable} (the conformance tests build and use the workspace's backend packages)`);
      backends[key] = await loaded.factory();
    }
  }, 60_000);
  afterAll(() => {
    for (const backend of Object.values(backends)) backend?.dispose();
  });

  it('cpu wasm-simd (f32x4) and cpu js compute bit-identical θ, v, m and b over any valid config and any finite gradients', async () => {
    const tried = await checkProperty(
      fc.property(fc.record({ config: anyConfig('float32'), run: slotRun('float32', finiteValue('float32'), 4) }), ({ config, run }) => {
        const wasm = trajectory(backends.wasm, config, run.params, run.grads);
        const js = trajectory(backends.js, config, run.params, run.grads);
        wasm.forEach((buffers, k) => expect(js[k].map(hex), `after step ${k + 1}: θ, then each state buffer kept`).toEqual(buffers.map(hex)));
      }),
      runs,
    );
    console.info(`property held: cpu wasm-simd ≡ cpu js (float32, bit for bit): ${tried} inputs tried (seed ${runs.seed})`);
  }, timeout);

  it("tfjs-cpu stays within the tfjs-cpu row's float32 tolerance of the cpu backend over any valid config and any finite gradients", async () => {
    const tolerance = row('tfjs-cpu').tolerance.float32!;
    // Half the inputs well-conditioned with ordinary gradients over longer runs, half anything valid.
    const inputs = fc.oneof(
      fc.record({ config: wellConditionedConfig(), run: slotRun('float32', ordinaryValue(), 6) }),
      fc.record({ config: anyConfig('float32'), run: slotRun('float32', finiteValue('float32'), 4) }),
    );
    const tried = await checkProperty(
      fc.property(inputs, ({ config, run }) => {
        const cpu = trajectory(backends.wasm, config, run.params, run.grads);
        const tfjs = trajectory(backends.tfjs, config, run.params, run.grads);
        // Each element's scale is the largest |value| of its buffer's trajectory so far (θ: its own, from
        // the initial value on), as compare-trajectory.ts measures golden cases.
        const scales = [Float64Array.from(run.params, Math.abs), ...cpu[0].slice(1).map(() => new Float64Array(1))];
        cpu.forEach((buffers, k) => {
          buffers.forEach((expected, b) => {
            const scale = scales[b];
            if (b === 0) expected.forEach((x, i) => (scale[i] = Math.max(scale[i], Math.abs(x))));
            else for (const x of expected) scale[0] = Math.max(scale[0], Math.abs(x));
            const actual = tfjs[k][b];
            expect(actual.length).toBe(expected.length);
            for (let i = 0; i < expected.length; i++) {
              const ok = withinTolerance(actual[i], expected[i], b === 0 ? scale[i] : scale[0], 'float32', { kind: 'backend', tolerance });
              expect(ok, `step ${k + 1}, buffer ${b === 0 ? 'θ' : b}[${i}]: tfjs ${actual[i]}, cpu ${expected[i]}`).toBe(true);
            }
          });
        });
      }),
      runs,
    );
    console.info(`property held: tfjs-cpu within ${tolerance.ulps} ulp of cpu (float32): ${tried} inputs tried (seed ${runs.seed})`);
  }, timeout);
});
