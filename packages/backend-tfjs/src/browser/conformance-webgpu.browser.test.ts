/**
 * The golden vectors (PyTorch, TensorFlow.js, numpy and the spec's reference) on the tfjs backend over
 * TensorFlow.js's webgpu backend in headless Chromium (Dawn on SwiftShader), under the `tfjs-webgpu` row
 * of the conformance table (@rmsprop/conformance). Skipped, with the reason in the title and printed,
 * where the browser offers no WebGPU adapter.
 */
import '@tensorflow/tfjs-backend-webgpu';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { describe, it } from 'vitest';
import { env } from '@tensorflow/tfjs-core';
import { createTfjsBackend } from '../index.js';
import { loadCommittedVectorsInBrowser } from './__fixtures__/committed-vectors.js';
import { webgpuUnavailable } from './__fixtures__/webgpu-availability.js';

// tfjs runs ops on tensors under 1000 elements on the CPU by default; the golden cases are that small,
// so turn the hand-off off: every op of the update then runs in a GPU shader, which is what this suite checks.
env().set('WEBGPU_CPU_FORWARD', false);

const unavailable = await webgpuUnavailable();
if (unavailable === undefined) {
  defineConformanceSuite('tfjs-webgpu', () => createTfjsBackend({ tfjsBackend: 'webgpu' }), loadCommittedVectorsInBrowser());
} else {
  console.warn(`skipping the tfjs-webgpu conformance suite: ${unavailable}`);
  describe('conformance: tfjs-webgpu', () => {
    it.skip(`every golden case — skipped: ${unavailable}`, () => {});
  });
}
