/**
 * The golden vectors (PyTorch, TensorFlow.js, numpy and the spec's reference) on the tfjs backend over
 * TensorFlow.js's webgl backend in headless Chromium (WebGL2 on SwiftShader), under the `tfjs-webgl` row
 * of the conformance table (@rmsprop/conformance).
 */
import '@tensorflow/tfjs-backend-webgl';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { env } from '@tensorflow/tfjs-core';
import { createTfjsBackend } from '../index.js';
import { loadCommittedVectorsInBrowser } from './__fixtures__/committed-vectors.js';

// tfjs runs ops on tensors under 128 elements on the CPU by default; the golden cases are that small,
// so turn the hand-off off: every op of the update then runs in a GPU shader, which is what this suite checks.
env().set('WEBGL_CPU_FORWARD', false);

defineConformanceSuite('tfjs-webgl', () => createTfjsBackend({ tfjsBackend: 'webgl' }), loadCommittedVectorsInBrowser());
