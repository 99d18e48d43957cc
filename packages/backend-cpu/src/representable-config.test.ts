/**
 * Configs valid in the spec that float32 cannot represent (issue: ε = 1e-46, η ≥ 1e39, weightDecay =
 * MAX_VALUE gave NaN from zero gradients on float32 slots): on every CPU kernel the step is refused with a
 * ConfigError naming the field, and nothing changes; float64 parameters under the same config step.
 */
import { ConfigError, RMSPropOptimizer, type RMSPropConfig } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from './create-cpu-backend.js';

const UNREPRESENTABLE: [string, Partial<RMSPropConfig>][] = [
  ['epsilon', { epsilon: 1e-46 }],
  ['learningRate', { learningRate: 1e39 }],
  ['weightDecay', { weightDecay: Number.MAX_VALUE }],
  ['learningRate × weightDecay', { learningRate: 1e20, weightDecay: 1e20, decoupledWeightDecay: true }],
];

describe.each(['wasm-simd', 'js'] as const)('float32 configs out of range on the %s kernel', (kernel) => {
  it.each(UNREPRESENTABLE)('%s: a ConfigError at the first step, parameters and state unchanged', async (field, fields) => {
    const backend = await createCpuBackend({ kernel });
    const w = new Float32Array([1, -2, 0, 3]);
    const optimizer = new RMSPropOptimizer({ backend, params: { w }, ...fields });
    const before = JSON.stringify(optimizer.stateDict());
    let error: unknown;
    try {
      optimizer.step({ w: new Float32Array(4) });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe(field);
    expect(JSON.stringify(optimizer.stateDict())).toBe(before);
    expect(Array.from(w)).toEqual([1, -2, 0, 3]);
    optimizer.dispose();
    backend.dispose();
  });

  it('float64 parameters under ε = 1e-46, η = 1e39 and weightDecay = MAX_VALUE step to finite values from zero gradients', async () => {
    const backend = await createCpuBackend({ kernel });
    const w = new Float64Array([1, -2, 0, 3]);
    for (const [, fields] of UNREPRESENTABLE.slice(0, 3)) {
      const optimizer = new RMSPropOptimizer({ backend, params: { w }, ...fields });
      optimizer.step({ w: new Float64Array(4) });
      expect(Array.from(w).some(Number.isNaN), JSON.stringify(fields)).toBe(false);
      optimizer.dispose();
    }
    backend.dispose();
  });
});
