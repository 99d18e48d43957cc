/**
 * The backend interface contract (@rmsprop/conformance's defineBackendContractSuite) on gpu.js's cpu mode in
 * Node: float32 only, within the gpujs-cpu row's float32 tolerance of the reference.
 */
import { CONFORMANCE_BACKENDS } from '@rmsprop/conformance';
import { defineBackendContractSuite } from '@rmsprop/conformance/vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';
import { knownFailures } from './__fixtures__/contract-known-failures.js';

defineBackendContractSuite('gpujs-cpu', () => createGpujsBackend({ mode: 'cpu' }), {
  dtypes: ['float32'],
  ulps: { float32: CONFORMANCE_BACKENDS.find((b) => b.name === 'gpujs-cpu')!.tolerance.float32!.ulps! },
  knownFailures,
});
