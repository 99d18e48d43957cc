/**
 * The golden vectors (PyTorch, TensorFlow.js, numpy and the spec's reference) on gpu.js's WebGL2 mode in
 * headless Chromium (ANGLE on SwiftShader), under the gpujs-webgl2 row of the conformance table.
 */
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createGpujsBackend } from '../index.js';
import { loadCommittedVectorsInBrowser } from './__fixtures__/committed-vectors.js';

defineConformanceSuite('gpujs-webgl2', () => createGpujsBackend({ mode: 'webgl2' }), loadCommittedVectorsInBrowser());
