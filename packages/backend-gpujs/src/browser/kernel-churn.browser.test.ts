/// <reference lib="dom" />
/**
 * Parameter lengths that come and go on WebGL2 (headless Chromium): a length's kernels (their shader
 * programs and their own output textures) are deleted when the last slot of that length is disposed, so a
 * long-lived backend holds GL objects only for the lengths in use.
 */
import { RMSPropOptimizer } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../index.js';

/** Live WebGL textures and programs: each one created and not yet deleted, tracked on the prototype. */
const live = { texture: new Set<object>(), program: new Set<object>() };
const proto = WebGL2RenderingContext.prototype;
const track = <K extends 'texture' | 'program'>(kind: K, create: 'createTexture' | 'createProgram', remove: 'deleteTexture' | 'deleteProgram'): void => {
  const made = proto[create] as (this: WebGL2RenderingContext) => object | null;
  const freed = proto[remove] as (this: WebGL2RenderingContext, object: object | null) => void;
  (proto as unknown as Record<string, unknown>)[create] = function (this: WebGL2RenderingContext) {
    const object = made.call(this);
    if (object !== null) live[kind].add(object);
    return object;
  };
  (proto as unknown as Record<string, unknown>)[remove] = function (this: WebGL2RenderingContext, object: object | null) {
    if (object !== null) live[kind].delete(object);
    return freed.call(this, object);
  };
};
track('texture', 'createTexture', 'deleteTexture');
track('program', 'createProgram', 'deleteProgram');
const counts = (): { textures: number; programs: number } => ({ textures: live.texture.size, programs: live.program.size });

describe('gpu.js backend in Chromium (WebGL2): parameter lengths that come and go', () => {
  it("deletes a length's programs and textures with its last slot; 30 lengths leave nothing behind", async () => {
    const backend = await createGpujsBackend({ mode: 'webgl2' });
    const idle = counts();
    const kept = new RMSPropOptimizer({ backend, params: { a: new Float32Array(64).fill(1) }, momentum: 0.9, centered: true });
    kept.step({ a: new Float32Array(64).fill(0.5) });
    const withOneLength = counts();
    expect(withOneLength.programs).toBeGreaterThan(idle.programs);
    for (let length = 100; length < 130; length++) {
      const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(length).fill(1) }, momentum: 0.9, centered: true });
      optimizer.step({ w: new Float32Array(length).fill(0.5) });
      optimizer.step({ w: new Float32Array(length).fill(0.5) });
      expect(optimizer.readParameter('w')[length - 1]).toBeLessThan(1);
      optimizer.dispose();
      expect(counts()).toEqual(withOneLength);
    }
    // The length still in use kept its kernels: its steps go on.
    kept.step({ a: new Float32Array(64).fill(0.5) });
    kept.dispose();
    expect(counts()).toEqual(idle);
    backend.dispose();
  });
});
