import { RMSPropOptimizer } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';
const backend = await createCpuBackend();
const p = {};
for (let i = 0; i < 1000; i++) p[`p${i}`] = new Float32Array(16).fill(0.5);
const opt = new RMSPropOptimizer({ backend, params: p, inPlace: false, nonFiniteGradients: 'propagate', learningRate: 1e-3 });
const grads = new Map();
for (let i = 0; i < 1000; i++) { const g = opt.gradientBuffer(`p${i}`); g.fill(0.1); grads.set(`p${i}`, g); }
const t0 = performance.now(); let n = 0;
while (performance.now() - t0 < 4000) { opt.step(grads); n++; }
console.log(((performance.now() - t0) / n * 1000).toFixed(1), 'µs/step');
process.exit(0);
