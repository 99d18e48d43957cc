/**
 * The golden vectors on TensorFlow.js's cpu backend in Node, under the tfjs-cpu row of the conformance table
 * (@rmsprop/conformance): float32 cases only, with the row's measured tolerance and skips.
 */
import '@tensorflow/tfjs-backend-cpu';
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createTfjsBackend } from './tfjs-backend.js';

defineConformanceSuite('tfjs-cpu', () => createTfjsBackend({ tfjsBackend: 'cpu' }), loadCommittedVectors());
