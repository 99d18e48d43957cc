/**
 * The backend interface contract (@rmsprop/conformance's defineBackendContractSuite) on the tfjs backend
 * over TensorFlow.js's webgl backend in headless Chromium (WebGL2 on SwiftShader), every op on the GPU;
 * within the tfjs-webgl row's float32 tolerance, what it holds measured in live tensors.
 */
import '@tensorflow/tfjs-backend-webgl';
import { CONFORMANCE_BACKENDS } from '@rmsprop/conformance';
import { defineBackendContractSuite } from '@rmsprop/conformance/vitest';
import { env, memory } from '@tensorflow/tfjs-core';
import { createTfjsBackend } from '../index.js';
import { knownFailures } from '../__fixtures__/contract-known-failures.js';

// tfjs runs ops on small tensors on the CPU by default; the contract's are small, so every op goes to a shader.
env().set('WEBGL_CPU_FORWARD', false);

defineBackendContractSuite('tfjs-webgl', () => createTfjsBackend({ tfjsBackend: 'webgl' }), {
  dtypes: ['float32'],
  ulps: { float32: CONFORMANCE_BACKENDS.find((b) => b.name === 'tfjs-webgl')!.tolerance.float32!.ulps! },
  usage: () => memory().numTensors,
  knownFailures,
  // GPU shaders may flush subnormal float32 numbers to zero (SwiftShader does).
  flushesSubnormals: true,
});
