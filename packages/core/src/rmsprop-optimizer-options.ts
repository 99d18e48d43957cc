import type { RMSPropBackend } from './backend.js';
import type { FloatArray } from './dtype.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import type { RMSPropConfig } from './rmsprop-config.js';

/** What to do with a NaN or ±Infinity in a gradient. */
export type NonFiniteGradientPolicy = 'error' | 'skip' | 'propagate';

/** Parameters by name: a plain object (not an array or Map) of Float32Arrays and Float64Arrays. */
export type ParameterMap = Readonly<Record<string, FloatArray>>;

/** A group of parameters with its own config overrides and schedule; `Params` is the type of `params`. */
export interface ParameterGroup<Params extends ParameterMap = ParameterMap> extends Partial<RMSPropConfig> {
  /** A non-empty string naming the group in messages and the state dict (default `group0`, `group1`, …). */
  name?: string;
  params: Params;
  /** η per step for this group; overrides the optimizer's schedule. */
  schedule?: LearningRateSchedule;
}

/**
 * The options of `new RMSPropOptimizer(options)`. The type parameters are what the optimizer's types are
 * made from: `Backend`, the backend's type; `Params`, the type of `params`; `Groups`, the types of each
 * group's `params`, in order (a tuple where the groups are written out, an array otherwise).
 */
export interface RMSPropOptimizerOptions<
  Backend extends RMSPropBackend = RMSPropBackend,
  Params extends ParameterMap = ParameterMap,
  Groups extends readonly ParameterMap[] | readonly [] = readonly ParameterMap[],
> extends Partial<RMSPropConfig> {
  /** A ready backend (see `BackendRegistry.select`). The optimizer does not dispose it. */
  backend: Backend;
  /** The parameters, as one group. Give either `params` or `groups`. */
  params?: Params;
  /** Parameter groups with per-group overrides of the config fields above. */
  groups?: { readonly [I in keyof Groups]: ParameterGroup<Groups[I]> };
  /** η per step, as a function of t (1-based); overrides `learningRate`. */
  schedule?: LearningRateSchedule;
  /** Default 'error'. */
  nonFiniteGradients?: NonFiniteGradientPolicy;
  /**
   * What happens to the typed arrays given in `params` (default true):
   * - `true`: they hold the live values, updated by every step: the storage itself where the backend adopts
   *   them (JS loops), a mirror copied in before each step and out after it where it cannot (WebAssembly:
   *   `capabilities.hostArrays`);
   * - `'read-only'`: as `true`, but you promise not to write them between steps (use `writeParameter`):
   *   a mirroring backend then skips the copy in, and a write of yours would be overwritten by the next step;
   * - `false`: their values are copied in once; the live values are `parameter(name)`, the backend's own
   *   memory where it has a host view (no copy per step: the fastest path on the WebAssembly kernel).
   * Either way, `parameter(name)` returns the array that holds the live values. Under `true` and
   * `'read-only'` no two parameters may share memory (one array under two names, or overlapping views of
   * one buffer): the constructor refuses them with an ArgumentError naming both. Under `false` they may.
   */
  inPlace?: boolean | 'read-only';
}

/** Per-step options (other keys are refused). */
export interface StepOptions {
  /** η for this step for every group, overriding schedules and configs. */
  learningRate?: number;
}
