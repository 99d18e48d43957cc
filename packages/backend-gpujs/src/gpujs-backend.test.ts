import { createCpuBackend } from '@rmsprop/backend-cpu';
import { BackendRegistry, BackendUnavailableError, initialState, RMSPropOptimizer } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from './create-gpujs-backend.js';
import type { GpujsSlot } from './gpujs-slot.js';

const bytes = (a: ArrayLike<number>): string => Buffer.from(Float32Array.from(a).buffer).toString('hex');

describe('createGpujsBackend (Node)', () => {
  it("runs gpu.js's cpu mode where no GPU mode works, and says which mode runs and why", async () => {
    const backend = await createGpujsBackend();
    // No headless-gl is built in this workspace (README: "headless-gl in Node").
    expect(backend.mode).toBe('cpu');
    expect(backend.capabilities.details).toMatchObject({ mode: 'cpu', gpu: false, precision: 'single' });
    expect(String(backend.capabilities.details.modeReason)).toMatch(/no GPU mode of gpu\.js works here/);
    expect(backend.capabilities.dtypes).toEqual(['float32']);
    expect(backend.capabilities.bufferLocation).toBe('js-heap');
    backend.dispose();
  });

  it('rejects with the reason where a GPU is required and none is here, so a registry falls back to the next backend', async () => {
    await expect(createGpujsBackend({ requireGpu: true })).rejects.toThrow(BackendUnavailableError);
    await expect(createGpujsBackend({ requireGpu: true })).rejects.toThrow(/no GPU mode of gpu\.js works here/);
    const registry = new BackendRegistry()
      .register('gpujs', () => createGpujsBackend({ requireGpu: true }), 200)
      .register('cpu', createCpuBackend, 100);
    const selection = await registry.select();
    expect(selection.name).toBe('cpu');
    expect(JSON.stringify(selection)).toMatch(/gpujs.*no GPU mode of gpu\.js works here/);
    selection.backend.dispose();
  });

  it.each([
    ['webgpu', /webgpu mode has no kernel maps/],
    ['async', /may pick webgpu, which has no kernel maps/],
    ['webasm', /webasm mode has no kernel maps/],
    ['dev', /dev mode/],
  ])("refuses gpu.js's %s mode, saying why", async (mode, reason) => {
    await expect(createGpujsBackend({ mode: mode as 'cpu' })).rejects.toThrow(reason);
  });

  it('refuses an unknown mode and a missing GL mode, naming them', async () => {
    await expect(createGpujsBackend({ mode: 'vulkan' as 'cpu' })).rejects.toThrow(/options\.mode = "vulkan" is not allowed; expected one of 'gpu', 'webgl2'/);
    await expect(createGpujsBackend({ mode: 'headlessgl' })).rejects.toThrow(/gpu\.js mode 'headlessgl' is not supported here \(headless-gl/);
    await expect(createGpujsBackend({ mode: 'webgl2' })).rejects.toThrow(/gpu\.js mode 'webgl2' is not supported here/);
  });
});

describe('GpujsBackend in cpu mode', () => {
  it('a step returns new buffers and leaves the ones it read untouched (no aliasing between steps)', async () => {
    const backend = await createGpujsBackend({ mode: 'cpu' });
    const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array([1, 2, 3]) }, momentum: 0.9, learningRate: 0.1 });
    const config = optimizer.configOf('w');
    const slot = backend.createSlot({ name: 's', dtype: 'float32', length: 3, values: new Float32Array([1, 2, 3]), adopt: false, state: initialState(config) }) as GpujsSlot;
    const old = { ...slot.buffers };
    const oldBytes = [bytes(old.param as Float32Array), bytes(old.meanSquare as Float32Array), bytes(old.momentum as Float32Array)];
    backend.step([{ slot, grads: new Float32Array([1, 1, 1]), hyper: { config, learningRate: 0.1, step: 1 } }]);
    const now = slot.buffers;
    expect(now.param).not.toBe(old.param);
    expect(now.meanSquare).not.toBe(old.meanSquare);
    expect(now.momentum).not.toBe(old.momentum);
    expect([bytes(old.param as Float32Array), bytes(old.meanSquare as Float32Array), bytes(old.momentum as Float32Array)]).toEqual(oldBytes);
    expect(bytes(slot.readParams())).not.toBe(oldBytes[0]);
    optimizer.dispose();
    backend.dispose();
  });

  it('empty parameters take steps, read and save as empty arrays', async () => {
    const backend = await createGpujsBackend({ mode: 'cpu' });
    const optimizer = new RMSPropOptimizer({ backend, params: { e: new Float32Array(0), w: new Float32Array([1]) }, momentum: 0.5 });
    optimizer.step({ e: new Float32Array(0), w: new Float32Array([2]) });
    expect(optimizer.readParameter('e')).toEqual(new Float32Array(0));
    expect(optimizer.stateDict().state.e).toMatchObject({ length: 0, meanSquare: [], momentum: [] });
    optimizer.dispose();
    backend.dispose();
  });

  it('saves a state that the CPU backend continues from, to the same bits as never switching (all in cpu mode arithmetic)', async () => {
    const gpu = await createGpujsBackend({ mode: 'cpu' });
    const cpu = await createCpuBackend({ kernel: 'js' });
    const n = 257;
    const start = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
    const grad = (t: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(0.3 * i + t));
    const options = { learningRate: 0.01, momentum: 0.9, centered: true, weightDecay: 0.01 };
    const a = new RMSPropOptimizer({ backend: gpu, params: { w: start }, ...options });
    const c = new RMSPropOptimizer({ backend: cpu, params: { w: start }, ...options });
    for (let t = 1; t <= 10; t++) {
      a.step({ w: grad(t) });
      c.step({ w: grad(t) });
    }
    const b = new RMSPropOptimizer({ backend: cpu, params: { w: new Float32Array(n) }, ...options });
    b.loadStateDict(a.stateDict());
    b.writeParameter('w', a.readParameter('w'));
    for (let t = 11; t <= 20; t++) {
      b.step({ w: grad(t) });
      c.step({ w: grad(t) });
      a.step({ w: grad(t) });
    }
    // gpu.js's cpu mode computes each step in float64 and stores float32, as the JS loops do.
    expect(bytes(b.readParameter('w'))).toBe(bytes(c.readParameter('w')));
    expect(bytes(a.readParameter('w'))).toBe(bytes(c.readParameter('w')));
    for (const o of [a, b, c]) o.dispose();
    gpu.dispose();
    cpu.dispose();
  });
});
