/**
 * The update's edges on tfjs, against the CPU backend's WebAssembly kernel (float32 arithmetic, the same
 * update program): finite inputs that overflow (centered mode with |g| ≥ 2e20, whose g² and m² overflow
 * float32) give the same finite θ, and non-finite gradients under 'propagate' give NaN and ±∞ in the same
 * places. tfjs's wasm `relu` turns a NaN with its sign bit set (what ∞ − ∞ gives on x86) into 0: with the
 * clamp written as a relu, +∞ then −∞ in centered mode left θ finite on tfjs wasm and NaN elsewhere.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { initialState, resolveConfig, type RMSPropBackend, type RMSPropConfig } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from './tfjs-backend.js';

/** Each element's bits as a float32, every NaN as one. */
function bits(a: Float32Array): string[] {
  const u = new Uint32Array(a.buffer.slice(0));
  return Array.from(a, (x, i) => (Number.isNaN(x) ? 'NaN' : u[i].toString(16)));
}

/** `pattern` repeated to 1,000 elements: tfjs wasm's kernels take other paths (XNNPACK's) for long tensors. */
const LONG = 1000;
const repeat = (pattern: number[]) => Float32Array.from({ length: LONG }, (_, i) => pattern[i % pattern.length]);

/** θ and the state after running `grads` (one pattern per step) from θ = `theta0` on `backend`, all repeated to LONG elements. */
function run(backend: RMSPropBackend, config: Readonly<RMSPropConfig>, theta0: number[], grads: number[][]) {
  const slot = backend.createSlot({ name: 'w', dtype: 'float32', length: LONG, values: repeat(theta0), adopt: false, state: initialState(config) });
  grads.forEach((g, t) => backend.step([{ slot, grads: repeat(g), hyper: { config, learningRate: config.learningRate, step: t + 1 } }]));
  const state = slot.readState();
  const out = {
    θ: bits(Float32Array.from(slot.readParams())),
    v: bits(Float32Array.from(state.meanSquare)),
    m: state.meanGrad === null ? null : bits(Float32Array.from(state.meanGrad)),
    b: state.momentum === null ? null : bits(Float32Array.from(state.momentum)),
  };
  slot.dispose();
  return out;
}

const CONFIGS: Readonly<RMSPropConfig>[] = [
  resolveConfig({ learningRate: 0.01, centered: true }),
  resolveConfig({ learningRate: 0.01, centered: true, biasCorrection: true, momentum: 0.9 }),
  resolveConfig({ learningRate: 0.01, centered: true, momentum: 0.9, nesterov: true, epsilonPlacement: 'inside', learningRateInMomentum: true }),
  resolveConfig({ learningRate: 0.01, weightDecay: 1e30 }),
  resolveConfig({ learningRate: 0, momentum: 0.5 }),
];

describe.each(['cpu', 'wasm'] as const)('tfjs %s at the edges, bit for bit the CPU backend', (tfjsBackend) => {
  it('finite gradients whose squares overflow float32 (centered, 2e20 … 3e38): finite θ, no NaN anywhere, the CPU kernel bits', async () => {
    const cpu = await createCpuBackend({ kernel: 'wasm-simd' });
    const tfjs = await createTfjsBackend({ tfjsBackend });
    const grads = [
      [2e20, -3e38, 1e25, 0.5],
      [-2e20, 3e38, 0, -0.5],
      [1, 1, 1, 1],
    ];
    for (const config of CONFIGS) {
      const want = run(cpu, config, [1, -1, 3e38, 0.25], grads);
      const got = run(tfjs, config, [1, -1, 3e38, 0.25], grads);
      expect(got, JSON.stringify(config)).toEqual(want);
      expect([...want.θ, ...want.v, ...(want.m ?? []), ...(want.b ?? [])]).not.toContain('NaN');
    }
    cpu.dispose();
    tfjs.dispose();
  });

  it("non-finite gradients under 'propagate': NaN and ±∞ in the CPU kernel's places (+∞ then −∞ in centered mode gives NaN θ)", async () => {
    const cpu = await createCpuBackend({ kernel: 'wasm-simd' });
    const tfjs = await createTfjsBackend({ tfjsBackend });
    const grads = [
      [Infinity, -Infinity, NaN, 1],
      [-Infinity, Infinity, 1, NaN],
      [1, 1, 1, 1],
    ];
    for (const config of CONFIGS) {
      const want = run(cpu, config, [1, -1, 2, 0.25], grads);
      const got = run(tfjs, config, [1, -1, 2, 0.25], grads);
      expect(got, JSON.stringify(config)).toEqual(want);
      if (config.centered) expect(want.θ.slice(0, 2)).toEqual(['NaN', 'NaN']);
    }
    cpu.dispose();
    tfjs.dispose();
  });

  it('a NaN mean square with its sign bit set (as ∞ − ∞ leaves it) keeps θ NaN in centered mode, as on the CPU kernel', async () => {
    const cpu = await createCpuBackend({ kernel: 'wasm-simd' });
    const tfjs = await createTfjsBackend({ tfjsBackend });
    const negativeNaN = new Float32Array(new Uint32Array([0xffc00000]).buffer)[0];
    const config = resolveConfig({ learningRate: 0.01, centered: true });
    const results = [cpu, tfjs].map((backend) => {
      const slot = backend.createSlot({ name: 'w', dtype: 'float32', length: LONG, values: repeat([1, -2]), adopt: false, state: initialState(config) });
      slot.writeState({ meanSquare: repeat([negativeNaN, 1]), meanGrad: repeat([0.5, 0.5]), momentum: null });
      backend.step([{ slot, grads: repeat([1, 1]), hyper: { config, learningRate: 0.01, step: 1 } }]);
      const θ = bits(Float32Array.from(slot.readParams()));
      slot.dispose();
      return θ;
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[0][0]).toBe('NaN');
    cpu.dispose();
    tfjs.dispose();
  });
});
