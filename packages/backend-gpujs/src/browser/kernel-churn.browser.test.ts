/// <reference lib="dom" />
/**
 * Parameter lengths that come and go on WebGL2 (headless Chromium): a length's kernels (their shader
 * programs and their own output textures) stay while a slot of that length lives and for the
 * `IDLE_LENGTHS` lengths released last, and are deleted after, so a long-lived backend holds GL objects for
 * the lengths in use and a bounded few more.
 */
import { RMSPropOptimizer } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../index.js';
import { IDLE_LENGTHS } from '../kernel-cache.js';

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
  it(`keeps the programs and textures of ${IDLE_LENGTHS} released lengths and deletes older ones; 30 lengths leave no more`, async () => {
    const backend = await createGpujsBackend({ mode: 'webgl2' });
    const idle = counts();
    const kept = new RMSPropOptimizer({ backend, params: { a: new Float32Array(64).fill(1) }, momentum: 0.9, centered: true });
    kept.step({ a: new Float32Array(64).fill(0.5) });
    const withOneLength = counts();
    expect(withOneLength.programs).toBeGreaterThan(idle.programs);
    let full: { textures: number; programs: number } | undefined;
    for (let length = 100; length < 130; length++) {
      const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(length).fill(1) }, momentum: 0.9, centered: true });
      optimizer.step({ w: new Float32Array(length).fill(0.5) });
      optimizer.step({ w: new Float32Array(length).fill(0.5) });
      expect(optimizer.readParameter('w')[length - 1]).toBeLessThan(1);
      optimizer.dispose();
      // Once IDLE_LENGTHS lengths are idle, each new one frees as much as it took.
      if (length === 100 + IDLE_LENGTHS - 1) full = counts();
      if (full !== undefined) expect(counts()).toEqual(full);
    }
    expect(full!.programs).toBeGreaterThan(withOneLength.programs);
    // The length still in use kept its kernels: its steps go on.
    kept.step({ a: new Float32Array(64).fill(0.5) });
    kept.dispose();
    backend.dispose();
    expect(counts()).toEqual(idle);
  });
});
