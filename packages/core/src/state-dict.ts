import type { SlotState } from './backend.js';
import { STATE_BUFFER_NAMES, type RequiredStateBufferName, type StateBufferName } from './state-buffers.js';
import type { DType } from './dtype.js';
import { SPEC_VERSION, type RMSPropConfig, type SpecVersion } from './rmsprop-config.js';

/** The format tag of {@link RMSPropStateDict}. */
export const STATE_DICT_FORMAT = 'rmsprop-state/1' as const;

/**
 * A number as stored in a state dict: a plain JSON number, or for non-finite values the string "NaN",
 * "Infinity" or "-Infinity" (JSON has no literal for them). float32 values are stored as their exact
 * float64 value, so a JSON round trip is lossless for both dtypes.
 */
export type EncodedNumber = number | 'NaN' | 'Infinity' | '-Infinity';

/** One parameter's saved state. */
export type ParameterStateEntry = {
  /** The dtype it was trained in (loading into another dtype rounds). */
  dtype: DType;
  length: number;
  /** t: steps this parameter has taken. */
  step: number;
} & { [K in RequiredStateBufferName]: EncodedNumber[] } & {
  /** Each other state buffer (`STATE_BUFFERS`: meanGrad when centered, momentum when momentum > 0), present iff the group's config keeps it. */
  [K in Exclude<StateBufferName, RequiredStateBufferName>]?: EncodedNumber[];
};

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

/** One parameter's state as the optimizer holds it, for {@link encodeStateDict}. */
export interface ParameterStateSnapshot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  /** t. */
  readonly step: number;
  readonly state: SlotState;
}

/** One group as the optimizer holds it, for {@link encodeStateDict}. */
export interface GroupStateSnapshot {
  readonly name: string;
  readonly config: Readonly<RMSPropConfig>;
  readonly params: readonly ParameterStateSnapshot[];
}

/**
 * The `rmsprop-state/1` dict of an optimizer that has taken `step` steps: each group's name, a copy of
 * its config and its parameter names, and per parameter (keyed by name, in group order) its dtype,
 * length, t, v and, where the slot has them, m and b, every number encoded.
 */
export function encodeStateDict(step: number, groups: readonly GroupStateSnapshot[]): RMSPropStateDict {
  const state: Record<string, ParameterStateEntry> = {};
  for (const group of groups) {
    for (const p of group.params) {
      const entry = { dtype: p.dtype, length: p.length, step: p.step } as ParameterStateEntry;
      for (const name of STATE_BUFFER_NAMES) {
        const values = p.state[name];
        if (values !== null) entry[name] = encodeNumbers(values);
      }
      // Defined, not assigned: a parameter named "__proto__" is an entry like any other (assignment would
      // set the object's prototype and the entry would vanish).
      Object.defineProperty(state, p.name, { value: entry, enumerable: true, writable: true, configurable: true });
    }
  }
  return {
    format: STATE_DICT_FORMAT,
    specVersion: SPEC_VERSION,
    step,
    groups: groups.map((g) => ({ name: g.name, config: { ...g.config }, params: g.params.map((p) => p.name) })),
    state,
  };
}
