import { RMSPropOptimizer } from '@rmsprop/core';
import { createTfjsBackend } from '../../index.js';

/**
 * θ after `steps` RMSProp steps (momentum, centered) of 1,031 parameters from a fixed start with fixed
 * gradients, on the tfjs backend `tfjsBackend` (registered by the caller), read asynchronously (webgpu).
 */
export async function trainTfjs(tfjsBackend: string, steps: number): Promise<number[]> {
  const backend = await createTfjsBackend({ tfjsBackend });
  try {
    const length = 1031;
    const start = Float32Array.from({ length }, (_, i) => Math.cos(0.37 * i));
    const optimizer = new RMSPropOptimizer({ backend, params: { w: start }, learningRate: 1e-2, momentum: 0.9, centered: true });
    for (let t = 1; t <= steps; t++) optimizer.step({ w: Float32Array.from({ length }, (_, i) => Math.sin(0.11 * i + 0.7 * t)) });
    return Array.from((await optimizer.readParameterAsync('w')) as Float32Array);
  } finally {
    backend.dispose();
  }
}
