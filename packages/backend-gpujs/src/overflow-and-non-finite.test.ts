/**
 * The update's edges on gpu.js's cpu mode (the kernel run as JavaScript, every operation rounded to float32
 * with Math.fround), against the CPU backend's WebAssembly f32x4 kernel: finite gradients whose squares
 * overflow float32 (centered mode with |g| ≥ 2e20) and non-finite gradients under 'propagate' give the same
 * bits. Before the kernels rounded each operation, gpu.js's cpu mode computed g² in float64 and disagreed
 * with the WebAssembly kernel from the first step.
 */
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { initialState, resolveConfig, type RMSPropBackend, type RMSPropConfig } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';

/** Each element's bits as a float32, every NaN as one. */
function bits(a: ArrayLike<number>): string[] {
  const f = Float32Array.from(a);
  const u = new Uint32Array(f.buffer);
  return Array.from(f, (x, i) => (Number.isNaN(x) ? 'NaN' : u[i].toString(16)));
}

function run(backend: RMSPropBackend, config: Readonly<RMSPropConfig>, theta0: number[], grads: number[][]) {
  const slot = backend.createSlot({ name: 'w', dtype: 'float32', length: theta0.length, values: Float32Array.from(theta0), adopt: false, state: initialState(config) });
  grads.forEach((g, t) => backend.step([{ slot, grads: Float32Array.from(g), hyper: { config, learningRate: config.learningRate, step: t + 1 } }]));
  const state = slot.readState();
  const out = { θ: bits(slot.readParams()), v: bits(state.meanSquare), m: state.meanGrad && bits(state.meanGrad), b: state.momentum && bits(state.momentum) };
  slot.dispose();
  return out;
}

const CONFIGS: Readonly<RMSPropConfig>[] = [
  resolveConfig({ learningRate: 0.01, centered: true }),
  resolveConfig({ learningRate: 0.01, centered: true, biasCorrection: true, momentum: 0.9 }),
  resolveConfig({ learningRate: 0.01, centered: true, momentum: 0.9, nesterov: true, epsilonPlacement: 'inside', learningRateInMomentum: true }),
  resolveConfig({ learningRate: 0.01, weightDecay: 1e30 }),
  resolveConfig({ learningRate: 1e10, weightDecay: 1e-20, decoupledWeightDecay: true, momentum: 0.5 }),
  resolveConfig({ learningRate: 0, momentum: 0.5 }),
];

describe("gpu.js cpu mode at the edges, bit for bit the CPU backend's f32x4 kernel", () => {
  it.each([
    ['finite gradients whose squares overflow float32', [[2e20, -3e38, 1e25, 0.5, 1e-40], [-2e20, 3e38, 0, -0.5, -1e-40], [1, 1, 1, 1, 1]], false],
    ["non-finite gradients under 'propagate'", [[Infinity, -Infinity, NaN, 1, 0], [-Infinity, Infinity, 1, NaN, 0], [1, 1, 1, 1, 1]], true],
  ] as const)('%s', async (_, grads, nonFinite) => {
    const cpu = await createCpuBackend({ kernel: 'wasm-simd' });
    const gpu = await createGpujsBackend({ mode: 'cpu' });
    for (const config of CONFIGS) {
      const want = run(cpu, config, [1, -1, 3e38, 0.25, -0], grads as unknown as number[][]);
      const got = run(gpu, config, [1, -1, 3e38, 0.25, -0], grads as unknown as number[][]);
      expect(got, JSON.stringify(config)).toEqual(want);
      if (!nonFinite) expect([...want.θ, ...want.v, ...(want.m ?? []), ...(want.b ?? [])]).not.toContain('NaN');
    }
    cpu.dispose();
    gpu.dispose();
  });
});
