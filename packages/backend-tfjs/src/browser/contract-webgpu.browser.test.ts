/**
 * The backend interface contract (@rmsprop/conformance's defineBackendContractSuite) on the tfjs backend
 * over TensorFlow.js's webgpu backend in headless Chromium (Dawn on SwiftShader), every op on the GPU. The
 * host reads only asynchronously there: the suite reads through readParamsAsync/readStateAsync and checks
 * that the synchronous reads refuse, saying so. Skipped, with the reason, where the browser has no WebGPU.
 */
import '@tensorflow/tfjs-backend-webgpu';
import { CONFORMANCE_BACKENDS } from '@rmsprop/conformance';
import { defineBackendContractSuite } from '@rmsprop/conformance/vitest';
import { env, memory } from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { createTfjsBackend } from '../index.js';
import { knownFailures } from '../__fixtures__/contract-known-failures.js';
import { webgpuUnavailable } from './__fixtures__/webgpu-availability.js';

env().set('WEBGPU_CPU_FORWARD', false);

const unavailable = await webgpuUnavailable();
if (unavailable === undefined) {
  defineBackendContractSuite('tfjs-webgpu', () => createTfjsBackend({ tfjsBackend: 'webgpu' }), {
    dtypes: ['float32'],
    ulps: { float32: CONFORMANCE_BACKENDS.find((b) => b.name === 'tfjs-webgpu')!.tolerance.float32!.ulps! },
    usage: () => memory().numTensors,
    knownFailures,
    // GPU shaders may flush subnormal float32 numbers to zero (SwiftShader does).
    flushesSubnormals: true,
  });
} else {
  console.warn(`skipping the tfjs-webgpu backend contract: ${unavailable}`);
  describe('backend contract: tfjs-webgpu', () => {
    it.skip(`every contract point — skipped: ${unavailable}`, () => {});
  });
}
