/**
 * The golden vectors on gpu.js's cpu mode in Node, under the gpujs-cpu row of the conformance table
 * (@rmsprop/conformance): float32 cases, with the row's tolerance and skips. The cpu mode's JavaScript rounds
 * every operation with Math.fround, so the row is the float32-arithmetic row of the CPU backend's f32x4
 * kernel (16 ulps; the cases whose expected values need float64 arithmetic inside a step are skipped).
 */
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';

defineConformanceSuite('gpujs-cpu', () => createGpujsBackend({ mode: 'cpu' }), loadCommittedVectors());
