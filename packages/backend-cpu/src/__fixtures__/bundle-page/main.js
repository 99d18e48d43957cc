// A page that uses @rmsprop/backend-cpu as an application would: createCpuBackend({ threads: 2 }) and one
// RMSProp step. It writes what ran, the step's result and every resource the page loaded into #result
// (browser-bundle.test.ts builds it with Vite and reads it back from Chromium).
import { RMSPropOptimizer } from '@rmsprop/core';
import { createCpuBackend } from '@rmsprop/backend-cpu';

const result = document.getElementById('result');
createCpuBackend({ threads: 2 }).then(
  (backend) => {
    const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array([1, 2, 3]) }, learningRate: 0.1, momentum: 0.9 });
    optimizer.step({ w: new Float32Array([0.5, -1, 2]) });
    optimizer.step({ w: new Float32Array([0.25, 3, -2]) });
    result.textContent = JSON.stringify({
      details: backend.capabilities.details,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      w: Array.from(optimizer.parameter('w')),
      resources: performance.getEntriesByType('resource').map((entry) => new URL(entry.name).pathname),
    });
  },
  (error) => {
    result.textContent = JSON.stringify({ error: String(error) });
  },
);
