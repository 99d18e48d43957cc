/**
 * The golden vectors on gpu.js's cpu mode in Node, under the gpujs-cpu row of the conformance table
 * (@rmsprop/conformance): float32 cases, with the row's tolerance and skips.
 */
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';

defineConformanceSuite('gpujs-cpu', () => createGpujsBackend({ mode: 'cpu' }), loadCommittedVectors());
