// Run in a fresh npm project where the packed @rmsprop/backend-tfjs sits next to the lowest
// @tensorflow/tfjs-core its peer range admits (scripts/tfjs-peer-range.test.ts). Prints one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { RMSPropOptimizer, pytorchPreset, tfjsPreset } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { createTfjsBackend, RMSPropTfjsOptimizer } from '@rmsprop/backend-tfjs';

const result = { tfjsCore: tf.version_core, steps: {}, dropIn: {}, fit: {} };

// The backend of @rmsprop/core's interface on tfjs cpu and wasm, against the CPU backend: 5 centered steps
// with momentum and weight decay.
const config = pytorchPreset({ lr: 0.01, momentum: 0.9, centered: true, weight_decay: 0.01 });
async function fiveSteps(backend) {
  const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array([0.5, -1, 2, 0, 1e-3]) }, ...config });
  for (let t = 1; t <= 5; t++) optimizer.step({ w: new Float32Array([0.1 * t, -0.2, 0.3 / t, 1, -1e-4]) });
  const w = Array.from(await optimizer.readParameter('w'));
  optimizer.dispose();
  backend.dispose();
  return w;
}
const expected = await fiveSteps(await createCpuBackend());
for (const name of ['cpu', 'wasm']) {
  const w = await fiveSteps(await createTfjsBackend({ tfjsBackend: name }));
  result.steps[name] = { w, maxAbsDiff: Math.max(...w.map((v, i) => Math.abs(v - expected[i]))) };
}
result.steps.expected = expected;

// The drop-in tf.Optimizer: applyGradients and its checkpoint layout, on tfjs cpu.
await tf.setBackend('cpu');
const x = tf.variable(tf.tensor1d([1, -2, 3]), true, 'x');
const loss = () => tf.tidy(() => tf.sum(tf.square(x)).dataSync()[0]);
const dropIn = new RMSPropTfjsOptimizer(tfjsPreset({ learningRate: 0.05 }));
const before = loss();
for (let i = 0; i < 20; i++) tf.tidy(() => dropIn.applyGradients({ x: tf.mul(2, x) }));
result.dropIn = { before, after: loss(), weights: (await dropIn.getWeights()).map((w) => w.name) };

// In model.fit, through tfjs-layers: y = 3x − 1.
const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [1], kernelInitializer: 'zeros' })] });
model.compile({ optimizer: new RMSPropTfjsOptimizer(tfjsPreset({ learningRate: 0.05 })), loss: 'meanSquaredError' });
const xs = tf.tensor2d([-2, -1, 0, 1, 2], [5, 1]);
const ys = tf.tensor2d([-7, -4, -1, 2, 5], [5, 1]);
const history = await model.fit(xs, ys, { epochs: 40, verbose: 0 });
result.fit = { first: history.history.loss[0], last: history.history.loss.at(-1) };
console.log(JSON.stringify(result));
