// Compiled (not run) in a fresh npm project against the installed tarballs, under TypeScript strict with
// moduleResolution node16 and with bundler, skipLibCheck off: each package's main exports, as a user's
// program would use them. See scripts/packed-typescript.test.ts.
import { BackendRegistry, RMSPropOptimizer, pytorchPreset, tfjsPreset, type RMSPropBackend } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';
import { createTfjsBackend, RMSPropTfjsOptimizer } from '@rmsprop/backend-tfjs';
import { createGpujsBackend } from '@rmsprop/backend-gpujs';
import { referenceImplementation, runConformance, summaryLine } from '@rmsprop/conformance';
import { loadCommittedVectors } from '@rmsprop/conformance/node';
import type { Optimizer } from '@tensorflow/tfjs-core';

const registry = new BackendRegistry()
  .register('cpu', createCpuBackend, 100)
  .register('tfjs-cpu', () => createTfjsBackend({ tfjsBackend: 'cpu' }), 50)
  .register('gpujs-cpu', () => createGpujsBackend({ mode: 'cpu' }), 10);
const selected = await registry.select();
const backend: RMSPropBackend = selected.backend;
const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(4) }, ...pytorchPreset({ lr: 0.01 }) });
optimizer.step({ w: new Float32Array([1, 2, 3, 4]) });
const w = optimizer.readParameter('w');
const dropIn: Optimizer = new RMSPropTfjsOptimizer(tfjsPreset({ learningRate: 0.01 }));
const run = runConformance([referenceImplementation({})], loadCommittedVectors().slice(0, 1));
console.log(selected.name, w.length, dropIn.getClassName(), summaryLine(run));
optimizer.dispose();
backend.dispose();
