/// <reference lib="dom" />
/**
 * Destroying one length's kernels (evicted from the idle ones) leaves every other length's kernels working on
 * WebGL2. gpu.js points the context's vertex attributes at the vertex buffer of the kernel built last and
 * never again at run time; deleting that buffer with its kernel made every later draw of every other
 * kernel produce zeros (a new slot's θ read 0 where 0.001 was uploaded).
 */
import { initialState, resolveConfig, type BackendSlot } from '@rmsprop/core';
import { expect, it } from 'vitest';
import { createGpujsBackend } from '../index.js';
import { IDLE_LENGTHS } from '../kernel-cache.js';

it('after a length\'s kernels are destroyed (evicted from the idle ones), slots of other lengths upload and step correctly', async () => {
  const backend = await createGpujsBackend({ mode: 'webgl2' });
  const config = resolveConfig({ learningRate: 0.01, momentum: 0.9 });
  const make = (name: string, n: number, value: number): BackendSlot =>
    backend.createSlot({ name, dtype: 'float32', length: n, values: new Float32Array(n).fill(value), adopt: false, state: initialState(config) });
  // Kernels for length 33 are built and kept (a live slot holds them).
  const kept = make('kept', 33, 1);
  backend.step([{ slot: kept, grads: new Float32Array(33).fill(0.5), hyper: { config, learningRate: 0.01, step: 1 } }]);
  const keptAfterOne = Array.from(kept.readParams());
  const keptState = kept.readState();
  // IDLE_LENGTHS lengths with kernels, held; then length 2's kernels, built last and released first; then
  // the others released: with one idle length too many, length 2's kernels (the last built) are destroyed.
  const others = Array.from({ length: IDLE_LENGTHS }, (_, k) => make(`other${k}`, 3 + k, 3));
  backend.step(others.map((slot) => ({ slot, grads: new Float32Array(slot.length).fill(0.5), hyper: { config, learningRate: 0.01, step: 1 } })));
  const brief = make('brief', 2, 3);
  backend.step([{ slot: brief, grads: new Float32Array(2).fill(0.5), hyper: { config, learningRate: 0.01, step: 1 } }]);
  brief.dispose();
  for (const slot of others) slot.dispose();
  // A new slot of the kept length uploads its values, and both slots step as a fresh backend's would.
  const fresh = make('fresh', 33, 0.001);
  expect(Array.from(fresh.readParams())).toEqual(Array(33).fill(Math.fround(0.001)));
  backend.step([
    { slot: kept, grads: new Float32Array(33).fill(0.5), hyper: { config, learningRate: 0.01, step: 2 } },
    { slot: fresh, grads: new Float32Array(33).fill(0.5), hyper: { config, learningRate: 0.01, step: 1 } },
  ]);
  // The same steps on a backend that never destroyed a kernel.
  const control = await createGpujsBackend({ mode: 'webgl2' });
  const twin = control.createSlot({ name: 'twin', dtype: 'float32', length: 33, values: Float32Array.from(keptAfterOne), adopt: false, state: initialState(config) });
  twin.writeState(keptState);
  const twinFresh = control.createSlot({ name: 'twinFresh', dtype: 'float32', length: 33, values: new Float32Array(33).fill(0.001), adopt: false, state: initialState(config) });
  control.step([
    { slot: twin, grads: new Float32Array(33).fill(0.5), hyper: { config, learningRate: 0.01, step: 2 } },
    { slot: twinFresh, grads: new Float32Array(33).fill(0.5), hyper: { config, learningRate: 0.01, step: 1 } },
  ]);
  expect(Array.from(kept.readParams())).toEqual(Array.from(twin.readParams()));
  expect(Array.from(fresh.readParams())).toEqual(Array.from(twinFresh.readParams()));
  expect(Array.from(fresh.readParams())).not.toContain(0);
  control.dispose();
  backend.dispose();
});
