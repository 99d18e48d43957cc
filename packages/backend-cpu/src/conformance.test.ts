/**
 * The golden vectors (PyTorch, TensorFlow.js, numpy and the spec's reference) on the CPU backend, in
 * float32 and float64, with each kernel under its row of the conformance table (@rmsprop/conformance).
 */
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createCpuBackend } from './create-cpu-backend.js';

const cases = loadCommittedVectors();
// The default kernel (WebAssembly SIMD here), and the JS loops it falls back to.
defineConformanceSuite('cpu', () => createCpuBackend({ kernel: 'wasm-simd' }), cases);
defineConformanceSuite('cpu-js', () => createCpuBackend({ kernel: 'js' }), cases);
