import { describe, expect, it } from 'vitest';
import { referenceFrom, type StepState } from './__fixtures__/reference-one-step.js';
import { VARIANTS, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { cpuImplementations, createCpuStepper, kernelOf } from './rmsprop-cpu.js';

describe('createCpuStepper', () => {
  for (const variant of VARIANTS) {
    it(`${variant}: sets the optimizer up with the variant's config and steps the live parameter like the reference`, async () => {
      const c: BenchCase = { variant, dtype: 'float32', n: 64, layout: 'single' };
      const stepper = await createCpuStepper(c, {}, 'propagate');
      try {
        const live = stepper.optimizer.parameter('w');
        const start = new Float64Array(64);
        fillBenchValues(start, benchSeeds(0).params);
        expect(Array.from(live)).toEqual(Array.from(Float32Array.from(start)));
        let state: StepState = { params: Float64Array.from(live), meanSquare: new Float64Array(64), meanGrad: variant.startsWith('centered') ? new Float64Array(64) : null, momentum: variant.endsWith('momentum') ? new Float64Array(64) : null };
        for (let s = 0; s < 3; s++) {
          stepper.step();
          state = referenceFrom(variant, state, stepper.grads.get('w')!);
        }
        // A bound that tells the variants apart (momentum moves θ by ~1e-3 more at step 2), not a precision test.
        live.forEach((x, i) => expect(Math.abs(x - state.params[i])).toBeLessThan(1e-5));
      } finally {
        stepper.dispose();
      }
    });
  }

  it('passes the backend’s own gradient buffer to step where it has one (no copy), else an array of its own', async () => {
    const stepper = await createCpuStepper({ variant: 'plain', dtype: 'float64', n: 16, layout: 'single' }, {}, 'propagate');
    try {
      const buffer = stepper.optimizer.gradientBuffer('w');
      if (buffer === null) expect(stepper.gradientBuffers).toBe(0);
      else {
        expect(stepper.grads.get('w')).toBe(buffer);
        expect(stepper.gradientBuffers).toBe(1);
      }
    } finally {
      stepper.dispose();
    }
  });

  it('makes 1,000 named parameters for the 1000x1000 layout, in one optimizer', async () => {
    const stepper = await createCpuStepper({ variant: 'plain', dtype: 'float32', n: 1e6, layout: '1000x1000' }, {}, 'propagate');
    try {
      expect(stepper.optimizer.parameterNames).toHaveLength(1000);
      expect(stepper.grads.size).toBe(1000);
      stepper.step();
      expect(stepper.optimizer.stepCount).toBe(1);
    } finally {
      stepper.dispose();
    }
  });
});

describe('cpuImplementations', () => {
  it('has rmsprop-cpu first, a JS-kernel row only where the default kernel is not JS, and a reason for whatever cannot run', async () => {
    const { implementations, unavailable } = await cpuImplementations('propagate');
    expect(implementations[0].name).toBe('rmsprop-cpu');
    const kernel = String(implementations[0].facts?.()['rmsprop-cpu kernel']);
    if (kernel === 'js') expect(implementations.map((i) => i.name)).not.toContain('rmsprop-cpu-js');
    for (const u of unavailable) expect(u.reason.length).toBeGreaterThan(0);
    for (const i of implementations.filter((i) => i.name !== 'rmsprop-cpu-one')) expect(i.describe()).toMatch(/^RMSPropOptimizer on createCpuBackend\(/);
  });

  it('rmsprop-cpu-one runs only beside the 1000x1000 layout, as one parameter of the case’s n', async () => {
    const { implementations } = await cpuImplementations('propagate');
    const one = implementations.find((i) => i.name === 'rmsprop-cpu-one')!;
    expect(one.describe()).toMatch(/same as rmsprop-cpu with all n elements in one parameter/);
    expect(one.unsupported({ variant: 'plain', dtype: 'float32', n: 1e6, layout: 'single' })).toMatch(/1000x1000 cases only/);
    expect(one.unsupported({ variant: 'plain', dtype: 'float32', n: 1e6, layout: '1000x1000' })).toBeUndefined();
    const instance = await one.create({ variant: 'plain', dtype: 'float32', n: 1e6, layout: '1000x1000' });
    expect(await instance.run(2)).toBeGreaterThan(0);
    await instance.dispose();
  });

  it('reads the kernel from capabilities.details', () => {
    expect(kernelOf({ kernel: 'wasm-simd' })).toBe('wasm-simd');
    expect(kernelOf({})).toBe('unknown');
  });
});
