import { RMSPropOptimizer, type FloatArray, type RMSPropBackend } from '@rmsprop/core';
import { adagrad, adam, sgd, sgdMomentum, type PointOptimizer } from './point-optimizer.js';
import type { RacerId } from './racers.js';
import { rmspropConfig, type RMSPropSettings } from './rmsprop-settings.js';
import { initMlp, lossAndGradient, PARAM_NAMES, type MlpParams } from './tiny-mlp.js';
import type { Dataset } from './two-spirals.js';

/** SGD's rate on the network (the adaptive optimizers take the η control). */
export const NETWORK_SGD_RATE = 0.5;

/**
 * Trains the tiny network on a dataset with one optimizer: RMSProp through `RMSPropOptimizer` on the
 * chosen backend, or one of the comparison optimizers over all weights in float64. RMSProp holds six named
 * float32 parameters in the backend's memory (`inPlace: false`); where the backend offers it (the CPU
 * backend), the gradients are written into its gradient buffers, `step()` takes them, and the float64
 * network reads the live views `parameter(name)`. Elsewhere (tfjs, gpu.js) they are passed to
 * `step(grads)` and the values read back with `readParameter`.
 */
export class NetworkTrainer {
  readonly params: MlpParams;
  readonly losses: number[] = [];
  readonly #grads: MlpParams;
  readonly #data: Dataset;
  readonly #rmsprop: RMSPropOptimizer | null;
  readonly #other: PointOptimizer | null;
  readonly #flat: Float64Array;
  readonly #flatGrad: Float64Array;
  /** The float32 gradients RMSProp reads: the backend's gradient buffers, or arrays of ours where it has none. */
  readonly #grads32: Record<string, FloatArray> = {};
  /** Whether `#grads32` must be passed to `step` (the backend has no gradient buffers). */
  #passGrads = false;
  #hostVisible = false;

  constructor(optimizer: RacerId, settings: RMSPropSettings, backend: RMSPropBackend, data: Dataset, seed = 1) {
    this.#data = data;
    this.params = initMlp(seed);
    this.#grads = initMlp(seed);
    const size = PARAM_NAMES.reduce((n, name) => n + this.params[name].length, 0);
    this.#flat = new Float64Array(size);
    this.#flatGrad = new Float64Array(size);
    if (optimizer === 'rmsprop') {
      // Start from the float32 values the backend holds, so both sides see the same network.
      for (const name of PARAM_NAMES) this.params[name].set(Float32Array.from(this.params[name]));
      const params = Object.fromEntries(PARAM_NAMES.map((name) => [name, Float32Array.from(this.params[name])]));
      this.#rmsprop = new RMSPropOptimizer({ backend, params, ...rmspropConfig(settings), inPlace: false });
      this.#other = null;
      this.#hostVisible = backend.capabilities.hostVisible;
      for (const name of PARAM_NAMES) {
        const buffer = this.#rmsprop.gradientBuffer(name);
        if (buffer === null) this.#passGrads = true;
        this.#grads32[name] = buffer ?? new Float32Array(this.params[name].length);
      }
    } else {
      this.#rmsprop = null;
      const rate = optimizer === 'sgd' || optimizer === 'momentum' ? NETWORK_SGD_RATE : settings.learningRate;
      this.#other =
        optimizer === 'sgd' ? sgd(rate) : optimizer === 'momentum' ? sgdMomentum(rate, 0.9, size) : optimizer === 'adagrad' ? adagrad(rate, 1e-8, size) : adam(rate, 1e-8, size);
    }
  }

  /** One full-batch step; returns the loss before it. */
  step(): number {
    const loss = lossAndGradient(this.params, this.#data, this.#grads);
    this.losses.push(loss);
    if (this.#rmsprop !== null) {
      for (const name of PARAM_NAMES) this.#grads32[name]!.set(this.#grads[name]);
      if (this.#passGrads) this.#rmsprop.step(this.#grads32);
      else this.#rmsprop.step();
      for (const name of PARAM_NAMES) this.params[name].set(this.#hostVisible ? this.#rmsprop.parameter(name) : this.#rmsprop.readParameter(name));
    } else {
      let k = 0;
      for (const name of PARAM_NAMES) {
        this.#flat.set(this.params[name], k);
        this.#flatGrad.set(this.#grads[name], k);
        k += this.params[name].length;
      }
      this.#other!.step(this.#flat, this.#flatGrad);
      k = 0;
      for (const name of PARAM_NAMES) {
        this.params[name].set(this.#flat.subarray(k, k + this.params[name].length));
        k += this.params[name].length;
      }
    }
    return loss;
  }

  dispose(): void {
    this.#rmsprop?.dispose();
  }
}
