// Renders src/wasm/kernel-abi.generated.ts: what the WebAssembly kernels expect of their callers (the backend
// and the helper thread), taken from the same definitions the WAT generator uses, so neither side can drift.
import { KERNEL_CONSTANTS, UPDATE_VARIANTS } from '@rmsprop/core';
import { generatedHeader } from './js-kernels-source.mjs';
import { CONSTANTS_BYTES, DESCRIPTOR_BYTES, DESCRIPTOR_FIELDS, kernelName } from './wasm-kernel-wat.mjs';

/** The file's text. */
export function renderKernelAbi() {
  const list = (items) => items.map((s) => `'${s}'`).join(', ');
  const names = (dtype) => list(UPDATE_VARIANTS.map((_, i) => kernelName(i, dtype)));
  return `${generatedHeader('The ABI of the WebAssembly kernels: descriptor layout, constants block, variant numbering and export names.')}
/** The i32 fields of a slot descriptor, in order: each buffer's byte offset (0: absent), then the length. */
export const DESCRIPTOR_FIELDS = [${list(DESCRIPTOR_FIELDS)}] as const;

/** i32 words per slot descriptor. */
export const DESCRIPTOR_WORDS = ${DESCRIPTOR_FIELDS.length};

/** The word of the descriptor holding the length. */
export const DESCRIPTOR_LENGTH = ${DESCRIPTOR_FIELDS.indexOf('length')};

/** Bytes per slot descriptor. */
export const DESCRIPTOR_BYTES = ${DESCRIPTOR_BYTES};

/** float64 values in a constants block (KERNEL_CONSTANTS, in order). */
export const CONSTANTS_COUNT = ${KERNEL_CONSTANTS.length};

/** Bytes of a constants block. */
export const CONSTANTS_BYTES = ${CONSTANTS_BYTES};

/** Number of variants (UPDATE_VARIANTS), one function each per dtype. */
export const VARIANT_COUNT = ${UPDATE_VARIANTS.length};

/** The export names of the variants' functions, per dtype, in variant order. */
export const KERNEL_EXPORTS = {
  float32: [${names('float32')}],
  float64: [${names('float64')}],
} as const;
`;
}
