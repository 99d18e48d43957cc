/**
 * TensorFlow.js's webgl backend in headless Chromium (WebGL2 through ANGLE on SwiftShader): it
 * initialises, is the active backend, and computes float32 exactly.
 */
import '@tensorflow/tfjs-backend-webgl';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';

describe('tfjs webgl in Chromium', () => {
  afterAll(() => tf.disposeVariables());

  it('becomes the active backend', async () => {
    expect(await tf.setBackend('webgl')).toBe(true);
    await tf.ready();
    expect(tf.getBackend()).toBe('webgl');
    // Full float32 textures: without them tfjs falls back to float16 and the optimizer's numbers drift.
    expect(tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')).toBe(true);
    expect(tf.env().getNumber('WEBGL_VERSION')).toBe(2);
  });

  it('computes sqrt([4, 9]) = [2, 3] in float32 and reads it back exactly', async () => {
    await tf.setBackend('webgl');
    const x = tf.tensor1d([4, 9], 'float32');
    const y = tf.sqrt(x);
    expect(y.dtype).toBe('float32');
    expect(Array.from(await y.data())).toEqual([2, 3]);
    tf.dispose([x, y]);
  });

  it('keeps a non-trivial float32 value exact through a texture round trip', async () => {
    await tf.setBackend('webgl');
    // 1/3 in float32 is 0x3eaaaaab; an 8- or 16-bit texture path would change it.
    const third = Math.fround(1 / 3);
    const x = tf.tensor1d([third, -third, 1e-30, 3e38], 'float32');
    const y = tf.mul(x, tf.scalar(1));
    expect(Array.from(await y.data())).toEqual([third, -third, Math.fround(1e-30), Math.fround(3e38)]);
    tf.dispose([x, y]);
  });
});
