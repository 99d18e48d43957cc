import type { RMSPropBackend } from './backend.js';
import type { DTypeOfArray, FloatArrayOf } from './dtype.js';
import type { ParameterMap } from './rmsprop-optimizer-options.js';

/** True for `any` only. */
type IsAny<T> = 0 extends 1 & T ? true : false;

/** Every key of every member of a union (`keyof` of a union has only the keys all members share). */
type KeysOfUnion<T> = T extends unknown ? keyof T : never;

/** The type of property `K` of the members of a union that have it. */
type PropertyOfUnion<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : never) : never;

/**
 * The parameters of an `RMSPropOptimizer<Params, Backend, Groups>`: the object type of `params`, or the
 * union of the object types of each group's `params` (`Groups`). `any` stands for "not given" (the type
 * arguments an optimizer is made without); with neither given, any name and either dtype: `ParameterMap`.
 */
export type OptimizerParameters<Params extends ParameterMap, Groups extends readonly ParameterMap[]> =
  IsAny<Groups> extends true ? (IsAny<Params> extends true ? ParameterMap : Params) : Groups[number];

/**
 * The names of `Parameters` (an {@link OptimizerParameters}): a union of string literals where the
 * parameters were written out (`params: { w, b }` makes `'w' | 'b'`), else `string`.
 */
export type ParameterName<Parameters> = KeysOfUnion<Parameters> & string;

/**
 * The array type of parameter `Name` of `Parameters`: `Float32Array` or `Float64Array`, as its dtype, over
 * any buffer (the optimizer may hand out a view into the backend's memory, a SharedArrayBuffer's included).
 * A parameter typed `FloatArray` gives `Float32Array | Float64Array`.
 */
export type ParameterArray<Parameters, Name extends PropertyKey> = FloatArrayOf<DTypeOfArray<Exclude<PropertyOfUnion<Parameters, Name>, undefined>>>;

/**
 * What `RMSPropOptimizer.gradientBuffer` returns for a parameter of array type `Array` on `Backend`: the
 * array where the backend's capabilities type says `hostVisible: true` (every slot then has a gradient
 * buffer: the CPU backend), else the array or null (tfjs and gpu.js return null; a backend typed only as
 * `RMSPropBackend` may do either).
 */
export type GradientBuffer<Backend extends RMSPropBackend, Array> = Backend['capabilities']['hostVisible'] extends true ? Array : Array | null;
