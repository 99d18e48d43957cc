/**
 * The tfjs backend on TensorFlow.js's GPU backends in headless Chromium (WebGL2 and WebGPU on
 * SwiftShader): the probe's findings, read-back, no tensor growth over many steps, and a trajectory that
 * stays within the table's float32 tolerance of the CPU backend's.
 */
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { CONFORMANCE_BACKENDS, scaledUlpDistance } from '@rmsprop/conformance';
import { BackendUnavailableError, RMSPropOptimizer, tfjsPreset } from '@rmsprop/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend } from '../index.js';
import { webgpuUnavailable } from './__fixtures__/webgpu-availability.js';

// Every op on the GPU, however small the tensor (tfjs hands small ones to its CPU kernels by default).
tf.env().set('WEBGL_CPU_FORWARD', false);
tf.env().set('WEBGPU_CPU_FORWARD', false);

const unavailable = await webgpuUnavailable();

const N = 1500;
const initial = Float32Array.from({ length: N }, (_, i) => Math.cos(0.37 * i));
const gradient = (t: number) => Float32Array.from({ length: N }, (_, i) => Math.sin(0.11 * i + 0.7 * t) * 10 ** ((i % 5) - 2));

describe.each([
  ['webgl', undefined],
  ['webgpu', unavailable],
] as const)('tfjs backend on %s in Chromium', (name, skip) => {
  const title = (text: string) => (skip === undefined ? text : `${text} — skipped: ${skip}`);

  it.skipIf(skip !== undefined)(title('runs there in float32; reads synchronously on webgl and only asynchronously on webgpu'), async () => {
    const backend = await createTfjsBackend({ tfjsBackend: name });
    expect(backend.tfjsBackend).toBe(name);
    expect(backend.capabilities.details.syncReadBack).toBe(name === 'webgl');
    const opt = new RMSPropOptimizer({ backend, params: { w: Float32Array.of(1, 2, 3) }, learningRate: 0.1 });
    opt.step({ w: Float32Array.of(1, -1, 0) });
    const expected = [1 - 0.1 * (1 / (Math.sqrt(0.1) + 1e-8)), 2 + 0.1 * (1 / (Math.sqrt(0.1) + 1e-8)), 3].map(Math.fround);
    const read = Array.from(await opt.readParameterAsync('w'));
    for (let i = 0; i < 3; i++) expect(scaledUlpDistance(read[i], expected[i], 3, 'float32')).toBeLessThanOrEqual(1);
    if (name === 'webgpu') {
      expect(() => opt.readParameter('w')).toThrow(BackendUnavailableError);
      expect(() => opt.readParameter('w')).toThrow(/use the asynchronous reads \(optimizer\.readParameterAsync\(\), optimizer\.stateDictAsync\(\)\)/);
    } else {
      expect(Array.from(opt.readParameter('w'))).toEqual(read);
    }
    opt.dispose();
    backend.dispose();
  });

  it.skipIf(skip !== undefined)(
    title('follows the CPU backend over 200 steps within the float32 tolerance, and holds no more tensors after 200 steps than after 1'),
    async () => {
      const ulps = CONFORMANCE_BACKENDS.find((b) => b.name === `tfjs-${name}`)!.tolerance.float32!.ulps!;
      const backend = await createTfjsBackend({ tfjsBackend: name });
      const cpu = await createCpuBackend();
      const config = tfjsPreset({ learningRate: 0.001, momentum: 0.9, centered: true });
      const gpuOpt = new RMSPropOptimizer({ backend, params: { w: initial.slice() }, ...config });
      const cpuOpt = new RMSPropOptimizer({ backend: cpu, params: { w: initial.slice() }, ...config });
      let worst = 0;
      let scale = initial.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
      let afterOne = 0;
      for (let t = 1; t <= 200; t++) {
        const g = gradient(t);
        gpuOpt.step({ w: g });
        cpuOpt.step({ w: g });
        if (t === 1) afterOne = tf.memory().numTensors;
        if (t % 50 === 0) {
          const expected = cpuOpt.readParameter('w');
          for (const x of expected) scale = Math.max(scale, Math.abs(x));
          const actual = await gpuOpt.readParameterAsync('w');
          for (let i = 0; i < N; i++) worst = Math.max(worst, scaledUlpDistance(actual[i], expected[i], scale, 'float32'));
        }
      }
      expect(tf.memory().numTensors).toBe(afterOne);
      expect(worst).toBeLessThanOrEqual(ulps);
      gpuOpt.dispose();
      cpuOpt.dispose();
      backend.dispose();
      cpu.dispose();
    },
  );
});
