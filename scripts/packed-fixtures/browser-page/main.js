// Built by Vite from the packed @rmsprop/core and @rmsprop/backend-cpu installed with npm, and run in
// Chromium (scripts/packed-browser.test.ts). Publishes its outcome as window.result.
import { RMSPropOptimizer, pytorchPreset } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';

async function main() {
  const backend = await createCpuBackend();
  const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array([0, 0]) }, ...pytorchPreset({ lr: 0.01 }) });
  for (let step = 0; step < 10; step++) optimizer.step({ w: new Float32Array([1, -1]) });
  const w = Array.from(await optimizer.readParameter('w'));
  const { details } = backend.capabilities;
  optimizer.dispose();
  backend.dispose();
  return { name: backend.name, details, w };
}

window.result = main().then(
  (value) => ({ ok: true, value }),
  (error) => ({ ok: false, error: String(error?.stack ?? error) }),
);
