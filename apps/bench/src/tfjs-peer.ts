import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance } from './implementation.js';
import { activateTfjsBackend, loadTfjs } from './tfjs-runtime.js';

let variableCounter = 0;

/**
 * `tfjs-cpu` / `tfjs-wasm`: `tf.train.rmsprop(η, ρ, μ, ε, centered)` on tfjs's cpu or wasm backend, with the
 * parameter a `tf.Variable` and the gradient a tensor made once, passed to `applyGradients` each step. tfjs
 * puts ε inside the square root and keeps a momentum buffer even at μ = 0: same traffic class, not the same
 * numbers. float32 and one parameter only.
 */
export function tfjsPeerImplementation(tfjsBackend: 'cpu' | 'wasm', version: string): Implementation {
  return {
    name: `tfjs-${tfjsBackend}`,
    role: 'peer',
    describe: () => `tf.train.rmsprop, @tensorflow/tfjs-core ${version} on its ${tfjsBackend} backend${tfjsBackend === 'wasm' ? ' (SIMD, single-threaded)' : ''}, production mode`,
    unsupported: (c) => (c.dtype !== 'float32' ? 'tfjs runs float32 only' : c.layout !== 'single' ? 'layouts run on the CPU backend and the JS peers only' : undefined),
    async create(c: BenchCase): Promise<Instance> {
      const tf = await loadTfjs();
      await activateTfjsBackend(tf, tfjsBackend);
      const { size } = layoutShape(c);
      const values = new Float32Array(size);
      const gradValues = new Float32Array(size);
      fillBenchValues(values, benchSeeds(0).params);
      fillBenchValues(gradValues, benchSeeds(0).grads);
      const name = `bench-${tfjsBackend}-${++variableCounter}`;
      const param = tf.variable(tf.tensor1d(values, 'float32'), true, name);
      const grad = tf.tensor1d(gradValues, 'float32');
      const { momentum, centered } = variantSettings(c.variant);
      const optimizer = tf.train.rmsprop(BENCH_LEARNING_RATE, BENCH_RHO, momentum, BENCH_EPSILON, centered);
      const gradients = { [name]: grad };
      const step = () => optimizer.applyGradients(gradients);
      return {
        prepare: () => activateTfjsBackend(tf, tfjsBackend),
        run: (steps) => timeSteps(step, steps),
        dispose: async () => {
          await activateTfjsBackend(tf, tfjsBackend);
          optimizer.dispose();
          param.dispose();
          grad.dispose();
        },
      };
    },
  };
}
