/**
 * The backend interface contract (@rmsprop/conformance's defineBackendContractSuite) on gpu.js's WebGL2 mode
 * in headless Chromium (ANGLE on SwiftShader): float32 textures, within the gpujs-webgl2 row's tolerance.
 */
import { CONFORMANCE_BACKENDS } from '@rmsprop/conformance';
import { defineBackendContractSuite } from '@rmsprop/conformance/vitest';
import { createGpujsBackend } from '../index.js';
import { knownFailures } from '../__fixtures__/contract-known-failures.js';

defineBackendContractSuite('gpujs-webgl2', () => createGpujsBackend({ mode: 'webgl2' }), {
  dtypes: ['float32'],
  ulps: { float32: CONFORMANCE_BACKENDS.find((b) => b.name === 'gpujs-webgl2')!.tolerance.float32!.ulps! },
  knownFailures,
  // GPU shaders may flush subnormal float32 numbers to zero (SwiftShader does).
  flushesSubnormals: true,
});
