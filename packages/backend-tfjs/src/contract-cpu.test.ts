/**
 * The backend interface contract (@rmsprop/conformance's defineBackendContractSuite) on the tfjs backend over
 * TensorFlow.js's cpu backend in Node: float32 only, within the tfjs-cpu row's float32 tolerance of the
 * reference; what it holds measured in live tensors.
 */
import '@tensorflow/tfjs-backend-cpu';
import { CONFORMANCE_BACKENDS } from '@rmsprop/conformance';
import { defineBackendContractSuite } from '@rmsprop/conformance/vitest';
import { memory } from '@tensorflow/tfjs-core';
import { createTfjsBackend } from './tfjs-backend.js';
import { knownFailures } from './__fixtures__/contract-known-failures.js';

defineBackendContractSuite('tfjs-cpu', () => createTfjsBackend({ tfjsBackend: 'cpu' }), {
  dtypes: ['float32'],
  ulps: { float32: CONFORMANCE_BACKENDS.find((b) => b.name === 'tfjs-cpu')!.tolerance.float32!.ulps! },
  usage: () => memory().numTensors,
  knownFailures,
});
