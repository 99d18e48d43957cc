// Per-parameter overhead of RMSPropOptimizer.step on the CPU backend: 1000 parameters of 16 float32 elements
// (kernel work negligible) as the bench's careful path sets it up; also 1000×1000 vs 1×1e6.
import { RMSPropOptimizer, resolveConfig } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';
const threads = Number(process.env.THREADS ?? 1);
async function make(params, length) {
  const backend = await createCpuBackend(threads > 1 ? { threads } : {});
  const p = {};
  for (let i = 0; i < params; i++) p[`p${i}`] = new Float32Array(length).fill(0.5);
  const opt = new RMSPropOptimizer({ backend, params: p, inPlace: false, nonFiniteGradients: 'propagate', learningRate: 1e-3, rho: 0.9, epsilon: 1e-8 });
  const grads = new Map();
  for (let i = 0; i < params; i++) { const g = opt.gradientBuffer(`p${i}`) ?? new Float32Array(length); g.fill(0.1); grads.set(`p${i}`, g); }
  return () => opt.step(grads);
}
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function time(fn, ms) { let steps = 0; const t0 = cpu(); let t; do { for (let j = 0; j < 10; j++) fn(); steps += 10; t = cpu(); } while (t - t0 < ms); return (t - t0) / steps; }
const cases = { small: await make(1000, 16), many: await make(1000, 1000), one: await make(1, 1e6) };
for (const f of Object.values(cases)) time(f, 300);
const res = { small: [], many: [], one: [] };
for (let r = 0; r < 15; r++) for (const [k, f] of Object.entries(cases)) res[k].push(time(f, 100));
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
const small = med(res.small), many = med(res.many), one = med(res.one);
console.log(`threads ${threads}: 1000×16 step ${(small * 1000).toFixed(1)} µs (${(small * 1e6 / 1000).toFixed(0)} ns/parameter); 1000×1000 ${(many * 1000).toFixed(0)} µs; 1×1e6 ${(one * 1000).toFixed(0)} µs; ratio ${(one / many).toFixed(3)}`);
process.exit(0);
