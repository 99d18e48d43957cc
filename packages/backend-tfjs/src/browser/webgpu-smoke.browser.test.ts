/**
 * TensorFlow.js's webgpu backend in headless Chromium (--enable-unsafe-webgpu; Dawn on SwiftShader): it
 * initialises, is the active backend, and computes float32 exactly. Where the browser offers no WebGPU
 * adapter the tests are skipped, and the reason is in their titles and printed.
 */
import '@tensorflow/tfjs-backend-webgpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { webgpuUnavailable } from './__fixtures__/webgpu-availability.js';

const unavailable = await webgpuUnavailable();
if (unavailable !== undefined) console.warn(`skipping the tfjs webgpu tests: ${unavailable}`);
const title = (name: string): string => (unavailable === undefined ? name : `${name} — skipped: ${unavailable}`);

describe('tfjs webgpu in Chromium', () => {
  afterAll(() => tf.disposeVariables());

  it.skipIf(unavailable !== undefined)(title('becomes the active backend'), async () => {
    expect(await tf.setBackend('webgpu')).toBe(true);
    await tf.ready();
    expect(tf.getBackend()).toBe('webgpu');
  });

  it.skipIf(unavailable !== undefined)(title('computes sqrt([4, 9]) = [2, 3] in float32 and reads it back exactly'), async () => {
    await tf.setBackend('webgpu');
    const x = tf.tensor1d([4, 9], 'float32');
    const y = tf.sqrt(x);
    expect(y.dtype).toBe('float32');
    expect(Array.from(await y.data())).toEqual([2, 3]);
    tf.dispose([x, y]);
  });

  it.skipIf(unavailable !== undefined)(title('keeps a non-trivial float32 value exact through a buffer round trip'), async () => {
    await tf.setBackend('webgpu');
    const third = Math.fround(1 / 3);
    const x = tf.tensor1d([third, -third, 1e-30, 3e38], 'float32');
    const y = tf.mul(x, tf.scalar(1));
    expect(Array.from(await y.data())).toEqual([third, -third, Math.fround(1e-30), Math.fround(3e38)]);
    tf.dispose([x, y]);
  });
});
