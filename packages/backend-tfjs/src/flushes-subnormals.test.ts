import { describe, expect, it } from 'vitest';
import { flushesSubnormals } from './flushes-subnormals.js';

describe('flushesSubnormals', () => {
  it('is false for tfjs backends with IEEE float32 (cpu, wasm, tensorflow) and true for the GPU ones and unknown ones', () => {
    expect(['cpu', 'wasm', 'tensorflow'].map(flushesSubnormals)).toEqual([false, false, false]);
    expect(['webgl', 'webgpu', 'someday'].map(flushesSubnormals)).toEqual([true, true, true]);
  });
});
