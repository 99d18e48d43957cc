/** The element types a backend may support. */
export type DType = 'float32' | 'float64';

/** All dtypes, in a fixed order. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/**
 * The largest finite value of each dtype: float32's (2 − 2⁻²³)·2¹²⁷ and float64's `Number.MAX_VALUE`. The
 * update saturates at it (`saturate` in update-program.ts), and hyperparameters must round to a finite
 * value below it in the slot's dtype.
 */
export const LARGEST_FINITE: { readonly [D in DType]: number } = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };

/** A typed array of either supported dtype. */
export type FloatArray = Float32Array | Float64Array;

/** The typed array that holds elements of dtype `D`. */
export type FloatArrayOf<D extends DType> = D extends 'float32' ? Float32Array : Float64Array;

/**
 * The dtype of a typed array type: `'float32'` for a `Float32Array` (over any buffer), `'float64'` for a
 * `Float64Array`, both for `FloatArray`, and never for anything else.
 */
export type DTypeOfArray<A> = A extends Float32Array ? 'float32' : A extends Float64Array ? 'float64' : never;

/** The dtype of a typed array, or `undefined` when it is not a Float32Array or Float64Array. */
export function dtypeOf(values: unknown): DType | undefined {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Float64Array) return 'float64';
  return undefined;
}

/** Allocate a zero-filled typed array of the given dtype. */
export function allocateFloatArray<D extends DType>(dtype: D, length: number): FloatArrayOf<D> {
  return (dtype === 'float32' ? new Float32Array(length) : new Float64Array(length)) as FloatArrayOf<D>;
}
