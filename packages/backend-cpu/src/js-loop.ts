import type { FloatArray, StateArrays } from '@rmsprop/core';

/**
 * The buffers a kernel updates in place, all of one dtype and one length: θ and each state buffer by name
 * (null where the slot keeps none); a kernel only touches the ones its variant needs.
 */
export type KernelBuffers = { readonly params: FloatArray } & StateArrays<FloatArray>;

/**
 * One fused, single-pass RMSProp loop for one variant of the spec, generated from @rmsprop/core's update
 * program (js-kernels.generated.ts). It reads each element of θ, g, v (and m, b where the variant has them)
 * once, computes in float64 (JS numbers) with the reference's operations in the reference's order, and
 * writes θ, v (m, b) once; a Float32Array store rounds to nearest. The loop has no branch on the config and
 * allocates nothing.
 *
 * `grads` has the buffers' dtype and length (the caller checks); `k` is a constants block filled by
 * `setKernelConstants` (indexed by `KERNEL_CONSTANT`).
 */
export type JsLoop = (buffers: KernelBuffers, grads: FloatArray, k: Float64Array) => void;
