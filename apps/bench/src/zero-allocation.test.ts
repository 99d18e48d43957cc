/**
 * The promise "no allocation per step", held in `pnpm test` and not only in the bench's report: each CPU
 * kernel, dtype and a plain and a fully switched variant through `RMSPropOptimizer`, and the README's path
 * and the user's-own-arrays path, must run 3,000 steps with no collection and under 64 KiB of
 * young-generation growth (`isFlat`). A step that allocated 320 bytes (a message string built for every
 * run of updates by the representability check) grew it by 940 KiB here and failed.
 */
import { describe, expect, it } from 'vitest';
import { checkAllocation, isFlat } from './allocation-check.js';
import type { BenchCase } from './bench-case.js';
import { createCpuStepper } from './rmsprop-cpu.js';
import { createPathStepper, PATH_SPECS } from './rmsprop-paths.js';

const STEPS = 3000;
const N = 1000;

describe('zero allocation per step', () => {
  for (const kernel of ['wasm', 'js'] as const) {
    for (const dtype of ['float32', 'float64'] as const) {
      for (const variant of ['plain', 'centered+momentum'] as const) {
        it(`${kernel} kernel, ${dtype} ${variant}, default non-finite policy`, { timeout: 60_000 }, async () => {
          const c: BenchCase = { variant, dtype, n: N, layout: 'single' };
          const stepper = await createCpuStepper(c, kernel === 'js' ? { kernel: 'js' } : {}, undefined);
          try {
            const result = await checkAllocation(stepper.step, STEPS, N);
            expect(isFlat(result), JSON.stringify(result)).toBe(true);
          } finally {
            stepper.dispose();
          }
        });
      }
    }
  }

  for (const name of ['readme', 'own-arrays'] as const) {
    it(`the ${name} path, float32 plain`, { timeout: 60_000 }, async () => {
      const spec = PATH_SPECS.find((s) => s.name === name)!;
      const stepper = await createPathStepper({ variant: 'plain', dtype: 'float32', n: N, layout: 'single' }, spec);
      try {
        // The own-arrays path's step builds `{ w: grad }` each time, as a user writes it: that object is the
        // caller's allocation, so here the gradients go in once-built (the Map of the same arrays).
        const step = name === 'readme' ? stepper.step : () => void stepper.optimizer.step(stepper.grads);
        const result = await checkAllocation(step, STEPS, N);
        expect(isFlat(result), JSON.stringify(result)).toBe(true);
      } finally {
        stepper.dispose();
      }
    });
  }
});
