/**
 * The golden vectors (PyTorch, TensorFlow.js, numpy and the spec's reference) on the CPU backend, in
 * float32 and float64, under the backend's row of the conformance table (@rmsprop/conformance).
 */
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createCpuBackend } from './cpu-backend.js';

defineConformanceSuite('cpu', createCpuBackend, loadCommittedVectors());
