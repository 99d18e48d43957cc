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
 */
export class RMSPropAdapter implements DemoOptimizer {
  readonly name = 'RMSProp';
  readonly learningRate: number;
  readonly dtype: DType;
  readonly optimizer: RMSPropOptimizer;
  readonly gradient: FloatArray;
  readonly #grads: Record<string, FloatArray>;

  constructor(backend: RMSPropBackend, initial: ArrayLike<number>, options: { learningRate: number; dtype?: DType }) {
    this.learningRate = options.learningRate;
    this.dtype = options.dtype ?? preferredDtype(backend);
    const w = allocateFloatArray(this.dtype, initial.length);
    w.set(Array.from(initial));
    this.optimizer = new RMSPropOptimizer({ backend, params: { w }, learningRate: options.learningRate });
    // Write gradients straight into the backend's own buffer where it has one (no copy per step).
    this.gradient = this.optimizer.gradientBuffer('w') ?? allocateFloatArray(this.dtype, initial.length);
    this.#grads = { w: this.gradient };
  }

  /** The live weights (updated in place), or a fresh copy where the backend keeps them off the host. */
  get params(): FloatArray {
    return this.optimizer.backend.capabilities.hostVisible ? this.optimizer.parameter('w') : this.optimizer.readParameter('w');
  }

  step(): void {
    this.optimizer.step(this.#grads);
  }

  effectiveLearningRates(): Float64Array {
    const meanSquare = this.optimizer.stateDict().state.w.meanSquare;
    return Float64Array.from(meanSquare, (encoded) => this.learningRate / Math.sqrt(decodeNumber(encoded) ?? Number.NaN));
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
