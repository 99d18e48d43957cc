import { describe, expect, it } from 'vitest';
import { referenceFrom, type StepState } from './__fixtures__/reference-one-step.js';
import type { BenchCase, Variant } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { PATH_IMPLEMENTATION_NAMES } from './path-rows.js';
import { createPathStepper, PATH_SPECS, pathImplementations, type PathSpec } from './rmsprop-paths.js';

describe('createPathStepper', () => {
  it('has one spec per path row, in the order of the tables', () => {
    expect(PATH_SPECS.map((s) => s.name)).toEqual([...PATH_IMPLEMENTATION_NAMES]);
  });

  for (const spec of PATH_SPECS) {
    for (const variant of ['plain', 'centered+momentum'] as const satisfies readonly Variant[]) {
      it(`${spec.name}, ${variant}: the live parameters follow the reference step for step (float32)`, async () => {
        const c: BenchCase = { variant, dtype: 'float32', n: 64, layout: 'single' };
        const stepper = await createPathStepper(c, spec);
        try {
          const live = stepper.params.get('w')!;
          expect(live).toBeInstanceOf(Float32Array);
          const start = new Float64Array(64);
          fillBenchValues(start, benchSeeds(0).params);
          expect(Array.from(live)).toEqual(Array.from(Float32Array.from(start)));
          const g = stepper.grads.get('w')!;
          let state: StepState = {
            params: Float64Array.from(live),
            meanSquare: new Float64Array(64),
            meanGrad: variant.startsWith('centered') ? new Float64Array(64) : null,
            momentum: variant.endsWith('momentum') ? new Float64Array(64) : null,
          };
          for (let s = 0; s < 3; s++) {
            stepper.step();
            state = referenceFrom(variant, state, g);
          }
          expect(stepper.optimizer.stepCount).toBe(3);
          // The bound of the rmsprop-cpu test: it tells the variants apart; not a precision test.
          live.forEach((x, i) => expect(Math.abs(x - state.params[i])).toBeLessThan(1e-5));
          // The user reads the values where the README says: their own array ('own') or parameter(name) ('readme', 'views').
          if (spec.arrays === 'own') expect(Array.from(stepper.optimizer.parameter('w'))).toEqual(Array.from(live));
          else expect(live).toBe(stepper.optimizer.parameter('w'));
        } finally {
          stepper.dispose();
        }
      });
    }
  }

  const specOf = (name: string): PathSpec => PATH_SPECS.find((s) => s.name === name)!;

  it('writes the README path’s gradients into gradientBuffer(name) and steps with step() and no argument', async () => {
    const spec = specOf('readme');
    expect(spec).toMatchObject({ arrays: 'readme', backendOptions: {} });
    expect(spec.nonFiniteGradients).toBeUndefined();
    const stepper = await createPathStepper({ variant: 'plain', dtype: 'float32', n: 16, layout: 'single' }, spec);
    try {
      expect(stepper.grads.get('w')).toBe(stepper.optimizer.gradientBuffer('w'));
      expect(stepper.params.get('w')).toBe(stepper.optimizer.parameter('w'));
      expect(stepper.step.toString()).toMatch(/\.step\(\)/);
    } finally {
      stepper.dispose();
    }
  });

  for (const name of ['own-arrays', 'own-arrays-read-only', 'own-arrays-propagate'] as const) {
    it(`${name}: gives the gradients as the user’s own arrays (not the gradient buffer)`, async () => {
      const stepper = await createPathStepper({ variant: 'plain', dtype: 'float32', n: 16, layout: 'single' }, specOf(name));
      try {
        const buffer = stepper.optimizer.gradientBuffer('w');
        expect(stepper.grads.get('w')).not.toBe(buffer);
      } finally {
        stepper.dispose();
      }
    });
  }

  it('own-arrays-read-only passes inPlace: \'read-only\', the others leave inPlace out', () => {
    expect(specOf('own-arrays-read-only').inPlace).toBe('read-only');
    for (const spec of PATH_SPECS.filter((s) => s.name !== 'own-arrays-read-only')) expect(spec.inPlace).toBeUndefined();
  });

  for (const name of ['readme', 'own-arrays'] as const) {
    it(`${name}: makes 1,000 named parameters for the 1000x1000 layout, stepped in one call`, async () => {
      const stepper = await createPathStepper({ variant: 'plain', dtype: 'float32', n: 1e6, layout: '1000x1000' }, specOf(name));
      try {
        expect(stepper.optimizer.parameterNames).toHaveLength(1000);
        expect(stepper.params.size).toBe(1000);
        const before = stepper.params.get('w999')![0];
        stepper.step();
        expect(stepper.optimizer.stepCount).toBe(1);
        expect(stepper.params.get('w999')![0]).not.toBe(before);
      } finally {
        stepper.dispose();
      }
    });
  }
});

describe('pathImplementations', () => {
  it('offers every path row or says why not, each describing the call it times', async () => {
    const { implementations, unavailable } = await pathImplementations();
    expect([...implementations.map((i) => i.name), ...unavailable.map((u) => u.name)].sort()).toEqual([...PATH_IMPLEMENTATION_NAMES].sort());
    for (const u of unavailable) expect(u.reason.length).toBeGreaterThan(0);
    for (const i of implementations) expect(i.describe()).toMatch(/^RMSPropOptimizer\.step on createCpuBackend\(/);
    for (const i of implementations.filter((i) => i.name !== 'own-arrays-propagate')) expect(i.describe()).toMatch(/nonFiniteGradients default \('error'/);
    expect(implementations.find((i) => i.name === 'readme')?.describe()).toMatch(/inPlace: false.*gradientBuffer\(name\), step\(\) with no argument/);
    expect(implementations.find((i) => i.name === 'own-arrays-read-only')?.describe()).toMatch(/inPlace: 'read-only'/);
    const readme = implementations.find((i) => i.name === 'readme');
    if (readme !== undefined) {
      const instance = await readme.create({ variant: 'plain', dtype: 'float32', n: 1000, layout: 'single' });
      expect(await instance.run(2)).toBeGreaterThan(0);
      await instance.dispose();
    }
  });
});
