import type { StateArrays } from '@rmsprop/core';

/** What an implementation produced for one case: θ after every step and the state after the last. */
export interface Trajectory {
  /** θ after each step, as doubles (a float32 implementation's values are exact float32 values). */
  readonly params: readonly Float64Array[];
  /**
   * Each state buffer (`STATE_BUFFERS`, by name) after the last step, as doubles; null where the
   * implementation keeps no such buffer.
   */
  readonly finalState: StateArrays<Float64Array>;
}
