/**
 * The backend interface contract (@rmsprop/conformance's defineBackendContractSuite) on every form of the
 * CPU backend: the WebAssembly SIMD kernel on one thread and on two, and the JS loops. float64 is
 * bit-identical to referenceStep on both kernels (0 ulps); float32 is within the README's bound.
 */
import { defineBackendContractSuite } from '@rmsprop/conformance/vitest';
import type { RMSPropBackend } from '@rmsprop/core';
import { createCpuBackend } from './create-cpu-backend.js';
import { WasmSimdBackend } from './wasm/wasm-simd-backend.js';

const ulps = { float32: 16, float64: 0 };
/** Bytes of the arena in use: what a WebAssembly backend's slots hold. */
const arenaBytes = (backend: RMSPropBackend) => (backend as WasmSimdBackend).arenaBytes;

defineBackendContractSuite('cpu (wasm-simd)', () => createCpuBackend({ kernel: 'wasm-simd' }), { ulps, usage: arenaBytes });
defineBackendContractSuite('cpu (wasm-simd, 2 threads)', () => createCpuBackend({ kernel: 'wasm-simd', threads: 2 }), { ulps, usage: arenaBytes });
defineBackendContractSuite('cpu (js)', () => createCpuBackend({ kernel: 'js' }), { ulps });
