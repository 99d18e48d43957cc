import { createTfjsBackend } from '@rmsprop/backend-tfjs';
import { RMSPropOptimizer } from '@rmsprop/core';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance } from './implementation.js';
import { activateTfjsBackend, loadTfjs } from './tfjs-runtime.js';

/**
 * `rmsprop-tfjs-cpu` / `rmsprop-tfjs-wasm`: this project's tfjs backend (@rmsprop/backend-tfjs) through
 * `RMSPropOptimizer`, on tfjs's cpu or wasm backend. Gradients are host arrays, uploaded each step (the
 * optimizer's contract); float32 and one parameter only.
 */
export function rmspropTfjsImplementation(tfjsBackend: 'cpu' | 'wasm'): Implementation {
  return {
    name: `rmsprop-tfjs-${tfjsBackend}`,
    role: 'ours',
    describe: () => `RMSPropOptimizer on createTfjsBackend({ tfjsBackend: '${tfjsBackend}' }) (@rmsprop/backend-tfjs): state in tf.Variables, gradient uploaded each step`,
    unsupported: (c) => (c.dtype !== 'float32' ? 'the tfjs backend runs float32 only' : c.layout !== 'single' ? 'layouts run on the CPU backend and the JS peers only' : undefined),
    async create(c: BenchCase): Promise<Instance> {
      const tf = await loadTfjs();
      const backend = await createTfjsBackend({ tfjsBackend });
      const { size } = layoutShape(c);
      const values = new Float32Array(size);
      const grad = new Float32Array(size);
      fillBenchValues(values, benchSeeds(0).params);
      fillBenchValues(grad, benchSeeds(0).grads);
      const { momentum, centered } = variantSettings(c.variant);
      const optimizer = new RMSPropOptimizer({
        backend,
        params: { w: values },
        learningRate: BENCH_LEARNING_RATE,
        rho: BENCH_RHO,
        epsilon: BENCH_EPSILON,
        momentum,
        centered,
        nonFiniteGradients: 'propagate',
      });
      const grads = { w: grad };
      const step = () => void optimizer.step(grads);
      return {
        prepare: () => activateTfjsBackend(tf, tfjsBackend),
        run: (steps) => timeSteps(step, steps),
        dispose: async () => {
          await activateTfjsBackend(tf, tfjsBackend);
          optimizer.dispose();
          backend.dispose();
        },
      };
    },
  };
}
