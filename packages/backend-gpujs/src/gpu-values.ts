/**
 * What gpu.js hands back from a pipeline kernel: a texture in the GL modes (WebGL, WebGL2, headless-gl),
 * a Float32Array in cpu mode. Both are read the same way here.
 */
export interface GpuTexture {
  toArray(): Float32Array | number[];
  delete(): void;
}

/** A buffer of a slot: a GPU texture, or (cpu mode) a float32 array that gpu.js returned. */
export type GpuValues = GpuTexture | Float32Array;

/** Whether gpu.js returned a texture (GL modes) rather than an array (cpu mode). */
export function isTexture(values: GpuValues): values is GpuTexture {
  return !(values instanceof Float32Array) && typeof (values as GpuTexture).toArray === 'function';
}

/** A host copy of the values, `length` float32 elements. */
export function readValues(values: GpuValues, length: number): Float32Array {
  if (!isTexture(values)) return Float32Array.from(values.subarray(0, length));
  // A 1-D output is laid out in a 2-D texture; toArray gives at least the output's length.
  const copy = Float32Array.from(values.toArray());
  return copy.length === length ? copy : copy.slice(0, length);
}

/** Frees a texture (nothing to do for an array, which the garbage collector takes). */
export function releaseValues(values: GpuValues | null): void {
  if (values !== null && isTexture(values)) values.delete();
}
