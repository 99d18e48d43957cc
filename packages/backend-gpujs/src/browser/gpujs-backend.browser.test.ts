/// <reference lib="dom" />
/**
 * The gpu.js backend on WebGL2 in headless Chromium (ANGLE on SwiftShader): the mode it reports, no
 * texture leak over 1,000 steps, and parameters read mid-training against the CPU backend.
 */
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { runColumn, backendImplementation, CONFORMANCE_BACKENDS, ulpOf } from '@rmsprop/conformance';
import { RMSPropOptimizer } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { createGpujsBackend } from '../index.js';
import { loadCommittedVectorsInBrowser } from './__fixtures__/committed-vectors.js';

/** Live WebGL textures: each one createTexture returned and deleteTexture has not freed, tracked on the prototype. */
const liveTextures = new Set<WebGLTexture>();
const proto = WebGL2RenderingContext.prototype;
const create = proto.createTexture;
const remove = proto.deleteTexture;
proto.createTexture = function (this: WebGL2RenderingContext) {
  const texture = create.call(this);
  if (texture !== null) liveTextures.add(texture);
  return texture;
};
proto.deleteTexture = function (this: WebGL2RenderingContext, texture: WebGLTexture | null) {
  if (texture !== null) liveTextures.delete(texture);
  return remove.call(this, texture);
};
const live = (): number => liveTextures.size;

/** Largest |a − b| over the arrays, in float32 ulps of the larger |value| of `b` (the trajectory's scale). */
function scaledUlps(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  for (const x of b) scale = Math.max(scale, Math.abs(x));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / ulpOf(scale, 'float32');
}

describe('gpu.js backend in Chromium (WebGL2)', () => {
  it("runs in gpu.js's webgl2 mode on the GPU and says so; the default mode picks it too", async () => {
    const backend = await createGpujsBackend({ mode: 'webgl2' });
    expect(backend.capabilities.details).toMatchObject({ mode: 'webgl2', gpu: true, precision: 'single' });
    expect(backend.capabilities.bufferLocation).toBe('gpu-texture');
    backend.dispose();
    const auto = await createGpujsBackend({ requireGpu: true });
    expect(auto.mode).toBe('webgl2');
    auto.dispose();
  });

  it('the committed golden vectors: the largest distance per source, in float32 ulps of the trajectory scale', async () => {
    const entry = CONFORMANCE_BACKENDS.find((b) => b.name === 'gpujs-webgl2')!;
    const backend = await createGpujsBackend({ mode: 'webgl2' });
    const cases = loadCommittedVectorsInBrowser();
    const cells = runColumn(backendImplementation(entry, backend), cases);
    backend.dispose();
    const worst = new Map<string, number>();
    for (const [i, cell] of cells.entries()) {
      if (cell.status !== 'pass' && cell.status !== 'fail') continue;
      const source = cases[i]!.name.split('/')[0]!;
      worst.set(source, Math.max(worst.get(source) ?? 0, cell.comparison.maxUlps));
    }
    console.log('gpujs-webgl2 max ulps by source:', JSON.stringify(Object.fromEntries(worst)));
    expect(cells.filter((c) => c.status === 'fail' || c.status === 'error')).toEqual([]);
  });

  it("gpu.js's WebGL 1 mode runs too (float textures), ending where WebGL2 ends", async () => {
    const webgl = await createGpujsBackend({ mode: 'webgl' });
    const webgl2 = await createGpujsBackend({ mode: 'webgl2' });
    expect(webgl.capabilities.details).toMatchObject({ mode: 'webgl', gpu: true });
    const n = 1031;
    const start = Float32Array.from({ length: n }, (_, i) => Math.cos(0.37 * i));
    const make = (backend: typeof webgl) => new RMSPropOptimizer({ backend, params: { w: start }, learningRate: 1e-3, momentum: 0.9, centered: true });
    const a = make(webgl);
    const b = make(webgl2);
    for (let t = 1; t <= 50; t++) {
      const g = Float32Array.from({ length: n }, (_, i) => Math.sin(0.11 * i + 0.7 * t));
      a.step({ w: g });
      b.step({ w: g });
    }
    const ulps = scaledUlps(a.readParameter('w') as Float32Array, b.readParameter('w') as Float32Array);
    console.log(`gpujs webgl vs webgl2 after 50 steps: ${ulps} ulps of the trajectory scale`);
    expect(ulps).toBeLessThanOrEqual(16);
    for (const x of [a, b, webgl, webgl2]) x.dispose();
  });

  it('1,000 steps leave the number of live textures where it was after two steps; dispose frees them all', async () => {
    const start = live();
    const backend = await createGpujsBackend({ mode: 'webgl2' });
    const n = 3000;
    const optimizer = new RMSPropOptimizer({
      backend,
      groups: [
        { params: { w: Float32Array.from({ length: n }, (_, i) => Math.cos(i)) }, momentum: 0.9, centered: true },
        { params: { b: new Float32Array(17).fill(0.5) } },
      ],
      learningRate: 1e-3,
    });
    const grads = { w: Float32Array.from({ length: n }, (_, i) => Math.sin(i)), b: new Float32Array(17).fill(0.25) };
    // The first step makes each kernel's own output textures, the second the copies it hands out while
    // the slots still hold the first step's; from then on every step frees as many as it makes.
    optimizer.step(grads);
    optimizer.step(grads);
    const before = live();
    const counts: number[] = [];
    for (let t = 0; t < 1000; t++) {
      optimizer.step(grads);
      if (t < 5 || t % 200 === 0) counts.push(live() - before);
    }
    expect(counts).toEqual(counts.map(() => 0));
    // Reading allocates nothing that stays either.
    optimizer.readParameter('w');
    optimizer.stateDict();
    expect(live()).toBe(before);
    optimizer.dispose();
    backend.dispose();
    expect(live()).toBe(start);
  });

  it('parameters read mid-training equal the CPU backend’s (WebAssembly f32x4) within the float32 bound', async () => {
    const gpu = await createGpujsBackend({ mode: 'webgl2' });
    const cpu = await createCpuBackend();
    const n = 4099;
    const start = Float32Array.from({ length: n }, (_, i) => Math.cos(0.37 * i));
    const configs = [{ momentum: 0 }, { momentum: 0.9 }, { centered: true }, { momentum: 0.9, centered: true, nesterov: true }];
    const report: string[] = [];
    for (const config of configs) {
      const make = (backend: typeof gpu | typeof cpu) => new RMSPropOptimizer({ backend, params: { w: start }, learningRate: 1e-3, ...config });
      const a = make(gpu);
      const b = make(cpu);
      for (let t = 1; t <= 300; t++) {
        const g = Float32Array.from({ length: n }, (_, i) => Math.sin(0.11 * i + 0.7 * t));
        a.step({ w: g });
        b.step({ w: g });
        if (t % 100 === 0) {
          const ulps = scaledUlps(a.readParameter('w') as Float32Array, b.readParameter('w') as Float32Array);
          report.push(`${JSON.stringify(config)} t=${t}: ${ulps.toFixed(2)}`);
          expect(ulps, `${JSON.stringify(config)} at step ${t}`).toBeLessThanOrEqual(16);
        }
      }
      a.dispose();
      b.dispose();
    }
    console.log('gpujs-webgl2 vs cpu, ulps of the trajectory scale:\n' + report.join('\n'));
    gpu.dispose();
    cpu.dispose();
  });
});
