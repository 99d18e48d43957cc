import type { DType, RMSPropConfig, StateBufferName } from '@rmsprop/core';

/** The format tag of a golden-vector file. */
export const GOLDEN_FORMAT = 'rmsprop-golden/1';

/** A per-case tolerance: an element passes when |actual − expected| ≤ abs + rel·|expected|. */
export interface CaseTolerance {
  readonly rel: number;
  readonly abs: number;
}

/**
 * The state a case may check after its last step, each part optional. The format's `finalState` fields are
 * the state buffers' names (`STATE_BUFFERS`: meanSquare, meanGrad, momentum, as docs/conformance.md lists
 * them), so a buffer added to core is a field here too; documenting it in docs/conformance.md is the one edit
 * the format needs.
 */
export type GoldenFinalState = { readonly [K in StateBufferName]?: Float64Array };

/**
 * One golden case, parsed and checked (see docs/conformance.md for the JSON form). Numbers are decoded:
 * "NaN", "Infinity" and "-Infinity" are numbers here, arrays are Float64Arrays (a float32 case's values
 * are exactly float32 values held in doubles).
 */
export interface GoldenCase {
  readonly name: string;
  readonly source: string;
  readonly dtype: DType;
  /** The case's config as written in the file (spec field names; a missing field is the spec default). */
  readonly configFields: Readonly<Partial<RMSPropConfig>>;
  /** The complete, validated config. */
  readonly config: Readonly<RMSPropConfig>;
  /** η per step, overriding config.learningRate, when the case has a schedule. */
  readonly learningRateSchedule?: Float64Array;
  readonly params: Float64Array;
  /** Gradient at each step. */
  readonly grads: readonly Float64Array[];
  /** θ after each step. */
  readonly expected: readonly Float64Array[];
  readonly finalState?: GoldenFinalState;
  readonly tolerance?: CaseTolerance;
  /** The file the case came from (for messages). */
  readonly file: string;
}
