import { tidy, type TensorContainer } from '@tensorflow/tfjs-core';

/**
 * `tf.tidy` for a function that returns tensors inside plain objects and arrays (where some fields may be
 * null or numbers): every tensor made inside is freed except those reachable from the result, as tidy
 * does; only the typing differs, since tfjs's `TensorContainer` type has no room for null fields.
 */
export function tidyKeep<T>(fn: () => T): T {
  return tidy(fn as unknown as () => TensorContainer) as unknown as T;
}
