import type { FloatArray } from '@rmsprop/core';

/**
 * What the training loop needs from an optimizer: the live weights, a gradient buffer to write into, and
 * a step that reads that buffer. SGD and AdaGrad implement it in float64 here; RMSProp through
 * `RMSPropOptimizer` on the selected backend.
 */
export interface DemoOptimizer {
  /** "SGD", "AdaGrad" or "RMSProp". */
  readonly name: string;
  readonly learningRate: number;
  /** The weights, updated in place by `step`. */
  readonly params: FloatArray;
  /** Write ∇L here before calling `step`. Same dtype and length as `params`. */
  readonly gradient: FloatArray;
  /** One update from the gradient in `gradient`. */
  step(): void;
  /**
   * The multiplier each weight's gradient gets at the next step, ignoring ε: η for SGD, η/√(Σg²) for
   * AdaGrad, η/√v for RMSProp. Each weight's effective learning rate.
   */
  effectiveLearningRates(): Float64Array;
  /** Release backend buffers (a no-op for the float64 optimizers). */
  dispose(): void;
}
