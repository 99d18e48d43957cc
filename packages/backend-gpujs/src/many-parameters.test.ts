/**
 * The checks before a gpu.js step are linear in the number of parameters. A nested loop over the updates
 * (to find a slot given twice) took 17 s per step at 100,000 parameters; one step number written on each
 * slot (`checkSlotUpdates`) finds it in O(1). The step is refused at its last update (the first slot
 * again), so the test's time is the checks' alone: about 40 ms here, with 15 s allowed.
 */
import { initialState, pytorchPreset } from '@rmsprop/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';
import type { GpujsBackend } from './gpujs-backend.js';
import type { GpujsSlot } from './gpujs-slot.js';

const config = pytorchPreset({ lr: 0.01 });
let backend: GpujsBackend;
let slots: GpujsSlot[];
// The slots are made first, outside the test's limit (0.4 s here; more while CI runs suites side by side).
beforeAll(async () => {
  backend = await createGpujsBackend({ mode: 'cpu' });
  const state = initialState(config);
  slots = Array.from({ length: 100_000 }, (_, i) => backend.createSlot({ name: `p${i}`, dtype: 'float32', length: 1, values: new Float32Array(1), adopt: false, state }) as GpujsSlot);
}, 180_000);
afterAll(() => backend.dispose());

it('100,000 slots: a slot given twice at the end is found, nothing computed', { timeout: 15_000 }, () => {
  const hyper = { config, learningRate: 0.01, step: 1 };
  const grads = new Float32Array([1]);
  const updates = slots.map((slot) => ({ slot, grads, hyper }));
  updates.push({ slot: slots[0], grads, hyper });
  expect(() => backend.step(updates)).toThrow(/^updates\[100000\]\.slot = "p0" is not allowed; expected a slot not already updated in this step$/);
  expect(Array.from(slots[0].readParams())).toEqual([0]);
});
