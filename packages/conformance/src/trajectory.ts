/** What an implementation produced for one case: θ after every step and the state after the last. */
export interface Trajectory {
  /** θ after each step, as doubles (a float32 implementation's values are exact float32 values). */
  readonly params: readonly Float64Array[];
  readonly finalState: {
    readonly meanSquare: Float64Array;
    readonly meanGrad: Float64Array | null;
    readonly momentum: Float64Array | null;
  };
}
