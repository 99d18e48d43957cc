import type { DType } from './dtype.js';
import type { RMSPropConfig, SpecVersion } from './rmsprop-config.js';

/** The format tag of {@link RMSPropStateDict}. */
export const STATE_DICT_FORMAT = 'rmsprop-state/1' as const;

/**
 * A number as stored in a state dict: a plain JSON number, or for non-finite values the string "NaN",
 * "Infinity" or "-Infinity" (JSON has no literal for them). float32 values are stored as their exact
 * float64 value, so a JSON round trip is lossless for both dtypes.
 */
export type EncodedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** One parameter's saved state. */
export interface ParameterStateEntry {
  /** The dtype it was trained in (loading into another dtype rounds). */
  dtype: DType;
  length: number;
  /** t: steps this parameter has taken. */
  step: number;
  meanSquare: EncodedNumber[];
  /** Present iff the group is centered. */
  meanGrad?: EncodedNumber[];
  /** Present iff the group's momentum > 0. */
  momentum?: EncodedNumber[];
}

/**
 * Optimizer state in a versioned, backend-independent form: plain JSON-safe data, keyed by parameter
 * name (never by position). Parameters themselves are not included (as in PyTorch): they belong to the
 * model. Saved from any backend, it loads into any other.
 */
export interface RMSPropStateDict {
  format: typeof STATE_DICT_FORMAT;
  specVersion: SpecVersion;
  /** Optimizer steps taken (the t a schedule sees next is step + 1). */
  step: number;
  /** Each group's resolved config and parameter names, in group order. */
  groups: { name: string; config: RMSPropConfig; params: string[] }[];
  state: Record<string, ParameterStateEntry>;
}

/** Encode a typed array's values for a state dict. */
export function encodeNumbers(values: ArrayLike<number>): EncodedNumber[] {
  const out: EncodedNumber[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    out[i] = Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  }
  return out;
}

/** Decode one stored number; returns undefined when it is neither a number nor a known string. */
export function decodeNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return undefined;
}
