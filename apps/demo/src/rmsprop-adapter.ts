import { allocateFloatArray, decodeNumber, RMSPropOptimizer, type DType, type FloatArray, type RMSPropBackend } from '@rmsprop/core';
import type { DemoOptimizer } from './demo-optimizer.js';

/** The dtype the demo trains RMSProp in: float64 where the backend runs it (as SGD and AdaGrad do), else float32. */
export function preferredDtype(backend: RMSPropBackend): DType {
  return backend.capabilities.dtypes.includes('float64') ? 'float64' : 'float32';
}

/**
 * RMSProp through the library: an `RMSPropOptimizer` with one parameter, "w", on the selected backend,
 * with the spec's defaults (ρ = 0.9, ε = 1e-8 outside the square root, v from 0, no momentum) and the
 * given learning rate.
 *
 * It is driven the zero-copy way: the optimizer holds the weights in the backend's memory (`inPlace:
 * false`, created from a copy of the initial values), `params` is the backend's live view, the training
 * loop writes ∇L straight into `gradientBuffer("w")`, and `step()` takes that buffer. Nothing is copied
 * per step. A backend without host views or gradient buffers (tfjs, gpu.js) gets a gradient array of the
 * adapter's own, passed to `step({ w })`, and the weights read back with `readParameter`.
 */
export class RMSPropAdapter implements DemoOptimizer {
  readonly name = 'RMSProp';
  readonly learningRate: number;
  readonly dtype: DType;
  readonly optimizer: RMSPropOptimizer;
  readonly gradient: FloatArray;
  /** Gradients to pass to `step`, or null where `gradient` is the backend's own buffer (`step()` takes it). */
  readonly #grads: Record<string, FloatArray> | null;
  readonly #hostVisible: boolean;

  constructor(backend: RMSPropBackend, initial: ArrayLike<number>, options: { learningRate: number; dtype?: DType }) {
    this.learningRate = options.learningRate;
    this.dtype = options.dtype ?? preferredDtype(backend);
    const w = allocateFloatArray(this.dtype, initial.length);
    w.set(Array.from(initial));
    // The backend keeps the weights in its own memory (initialised from `w`); the live values are its view.
    this.optimizer = new RMSPropOptimizer({ backend, params: { w }, learningRate: options.learningRate, inPlace: false });
    this.#hostVisible = backend.capabilities.hostVisible;
    const buffer = this.optimizer.gradientBuffer('w');
    this.gradient = buffer ?? allocateFloatArray(this.dtype, initial.length);
    this.#grads = buffer === null ? { w: this.gradient } : null;
  }

  /** The live weights (the backend's view, updated by each step), or a fresh copy where the backend keeps them off the host. */
  get params(): FloatArray {
    return this.#hostVisible ? this.optimizer.parameter('w') : this.optimizer.readParameter('w');
  }

  step(): void {
    if (this.#grads === null) this.optimizer.step();
    else this.optimizer.step(this.#grads);
  }

  effectiveLearningRates(): Float64Array {
    const meanSquare = this.optimizer.stateDict().state.w.meanSquare;
    return Float64Array.from(meanSquare, (encoded) => this.learningRate / Math.sqrt(decodeNumber(encoded) ?? Number.NaN));
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
