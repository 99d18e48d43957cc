/** tfjs backends whose arithmetic keeps subnormal float32 numbers: JavaScript (cpu), WebAssembly, TensorFlow's C library. */
const IEEE_BACKENDS: readonly string[] = ['cpu', 'wasm', 'tensorflow'];

/**
 * Whether a tfjs backend's arithmetic may flush subnormal float32 numbers to zero: the GPU ones (webgl,
 * webgpu; GLSL ES 3.00 and WGSL allow it, and SwiftShader does) and any backend not known to keep them.
 * There ε must be a normal float32, or a zero gradient gives 0/0 (`checkRepresentable`).
 */
export function flushesSubnormals(tfjsBackend: string): boolean {
  return !IEEE_BACKENDS.includes(tfjsBackend);
}
