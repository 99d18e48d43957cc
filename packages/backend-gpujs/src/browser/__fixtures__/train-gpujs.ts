import { RMSPropOptimizer } from '@rmsprop/core';
import { createGpujsBackend } from '../../index.js';

/**
 * θ after `steps` RMSProp steps (momentum, centered) of `length` parameters from a fixed start with fixed
 * gradients, on gpu.js in `mode`.
 */
export async function trainGpujs(mode: 'webgl2' | 'cpu', length: number, steps: number): Promise<number[]> {
  const backend = await createGpujsBackend({ mode });
  try {
    const start = Float32Array.from({ length }, (_, i) => Math.cos(0.37 * i));
    const optimizer = new RMSPropOptimizer({ backend, params: { w: start }, learningRate: 1e-2, momentum: 0.9, centered: true });
    for (let t = 1; t <= steps; t++) optimizer.step({ w: Float32Array.from({ length }, (_, i) => Math.sin(0.11 * i + 0.7 * t)) });
    return Array.from(optimizer.readParameter('w') as Float32Array);
  } finally {
    backend.dispose();
  }
}
