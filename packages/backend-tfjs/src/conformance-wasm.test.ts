/**
 * The golden vectors on TensorFlow.js's wasm backend in Node, under the tfjs-wasm row of the conformance table
 * (@rmsprop/conformance): float32 cases only, with the row's measured tolerance and skips.
 */
import '@tensorflow/tfjs-backend-wasm';
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import { defineConformanceSuite } from '@rmsprop/conformance/vitest';
import { createTfjsBackend } from './tfjs-backend.js';

defineConformanceSuite('tfjs-wasm', () => createTfjsBackend({ tfjsBackend: 'wasm' }), loadCommittedVectors());
