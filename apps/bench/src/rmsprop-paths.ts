import { RMSPropOptimizer, type FloatArray, type NonFiniteGradientPolicy, type RMSPropBackend } from '@rmsprop/core';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance, type UnavailableImplementation } from './implementation.js';
import type { PathImplementationName } from './path-rows.js';
import { createCpuStepper, createWithOptions, kernelOf, probeCpuBackend, type CpuBackendOptions } from './rmsprop-cpu.js';

/**
 * How a path row calls the optimizer. 'own': the user's own typed arrays are the params (inPlace left at its
 * default, so the backend adopts or mirrors them) and each gradient is an array of the user's own, passed
 * in a plain object, as the root README does. 'views': the careful set-up of rmsprop-cpu (inPlace: false,
 * `optimizer.parameter(name)`, gradients written into `optimizer.gradientBuffer(name)`, a Map).
 */
export interface PathSpec {
  readonly name: PathImplementationName;
  readonly backendOptions: CpuBackendOptions;
  readonly arrays: 'own' | 'views';
  /** undefined: the option is left out (the default, 'error'). */
  readonly nonFiniteGradients?: NonFiniteGradientPolicy;
}

export const PATH_SPECS: readonly PathSpec[] = [
  { name: 'readme-defaults', backendOptions: {}, arrays: 'own' },
  { name: 'mirrored-propagate', backendOptions: {}, arrays: 'own', nonFiniteGradients: 'propagate' },
  { name: 'views-error', backendOptions: {}, arrays: 'views' },
  { name: 'js-in-place', backendOptions: { kernel: 'js' }, arrays: 'own' },
];

/** A path's optimizer for one case, with one step as a user calls it. */
export interface PathStepper {
  readonly optimizer: RMSPropOptimizer;
  /** Where the user reads the live values: their own arrays ('own'), or `optimizer.parameter(name)` ('views'). */
  readonly params: ReadonlyMap<string, FloatArray>;
  /** The gradient passed for each parameter at every step. */
  readonly grads: ReadonlyMap<string, FloatArray>;
  readonly step: () => void;
  dispose(): void;
}

function parameterNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? 'w' : `w${String(i).padStart(3, '0')}`));
}

/**
 * The root README's way: `createCpuBackend(options)`, `new RMSPropOptimizer({ backend, params: { w }, … })`
 * with the user's own arrays and inPlace left at its default, gradients in arrays of the user's own, and
 * `optimizer.step({ w: grad })` with a fresh object literal each step, as the README's loop writes it. With
 * 1,000 parameters the object of gradients is built once (nobody writes a literal of 1,000 keys) and passed
 * as is. The bench's ρ, ε and η; everything else at its default unless the spec says otherwise.
 */
async function createOwnArraysStepper(c: BenchCase, spec: PathSpec): Promise<PathStepper> {
  const backend: RMSPropBackend = await createWithOptions(spec.backendOptions);
  try {
    const { count, size } = layoutShape(c);
    const Ctor = c.dtype === 'float32' ? Float32Array : Float64Array;
    const names = parameterNames(count);
    const params: Record<string, FloatArray> = {};
    const grads: Record<string, FloatArray> = {};
    names.forEach((name, i) => {
      const values = new Ctor(size);
      fillBenchValues(values, benchSeeds(i).params);
      params[name] = values;
      const g = new Ctor(size);
      fillBenchValues(g, benchSeeds(i).grads);
      grads[name] = g;
    });
    const { momentum, centered } = variantSettings(c.variant);
    const optimizer = new RMSPropOptimizer({
      backend,
      params,
      learningRate: BENCH_LEARNING_RATE,
      rho: BENCH_RHO,
      epsilon: BENCH_EPSILON,
      momentum,
      centered,
      ...(spec.nonFiniteGradients === undefined ? {} : { nonFiniteGradients: spec.nonFiniteGradients }),
    });
    let step: () => void;
    if (count === 1) {
      const grad = grads.w;
      step = () => void optimizer.step({ w: grad });
    } else step = () => void optimizer.step(grads);
    return {
      optimizer,
      params: new Map(Object.entries(params)),
      grads: new Map(Object.entries(grads)),
      step,
      dispose: () => {
        optimizer.dispose();
        backend.dispose();
      },
    };
  } catch (error) {
    backend.dispose();
    throw error;
  }
}

/** A fresh stepper for a path in one case. */
export async function createPathStepper(c: BenchCase, spec: PathSpec): Promise<PathStepper> {
  if (spec.arrays === 'own') return createOwnArraysStepper(c, spec);
  const stepper = await createCpuStepper(c, spec.backendOptions, spec.nonFiniteGradients);
  const params = new Map(stepper.optimizer.parameterNames.map((name) => [name, stepper.optimizer.parameter(name)]));
  return { optimizer: stepper.optimizer, params, grads: stepper.grads, step: stepper.step, dispose: () => stepper.dispose() };
}

function describePath(spec: PathSpec, details: Readonly<Record<string, string | number | boolean>>): string {
  const entries = Object.entries(spec.backendOptions).map(([key, value]) => `${key}: ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  const call = entries.length === 0 ? '' : `{ ${entries.join(', ')} }`;
  const policy = spec.nonFiniteGradients === undefined ? "nonFiniteGradients default ('error': g scanned each step)" : `nonFiniteGradients '${spec.nonFiniteGradients}'`;
  const arrays =
    spec.arrays === 'own'
      ? `the user's own arrays as params (inPlace default: ${kernelOf(details) === 'js' ? 'adopted' : 'mirrored'}), g in the user's own array passed as { w: grad } (an object of 1,000 built once in the 1000x1000 layout)`
      : 'as rmsprop-cpu (inPlace: false, parameter(name) views, g in gradientBuffer(name), a Map)';
  return `RMSPropOptimizer.step on createCpuBackend(${call}), kernel ${kernelOf(details)}: ${arrays}; ${policy}`;
}

/** One path row as an implementation. */
export function pathImplementation(spec: PathSpec, details: Readonly<Record<string, string | number | boolean>>): Implementation {
  return {
    name: spec.name,
    role: 'ours',
    describe: () => describePath(spec, details),
    unsupported: (c) => (c.dtype === 'float32' || c.dtype === 'float64' ? undefined : `${c.dtype} is not a CPU backend dtype`),
    async create(c: BenchCase): Promise<Instance> {
      const stepper = await createPathStepper(c, spec);
      return { run: (steps) => timeSteps(stepper.step, steps), dispose: () => stepper.dispose() };
    },
  };
}

/** The path rows that can run here (each backend option probed once), and why the others cannot. */
export async function pathImplementations(): Promise<{ implementations: Implementation[]; unavailable: UnavailableImplementation[] }> {
  const implementations: Implementation[] = [];
  const unavailable: UnavailableImplementation[] = [];
  const probes = new Map<string, Awaited<ReturnType<typeof probeCpuBackend>>>();
  for (const spec of PATH_SPECS) {
    const key = JSON.stringify(spec.backendOptions);
    if (!probes.has(key)) probes.set(key, await probeCpuBackend(spec.backendOptions));
    const probe = probes.get(key)!;
    if ('error' in probe) unavailable.push({ name: spec.name, reason: `createCpuBackend(${key === '{}' ? '' : key}) failed: ${probe.error}` });
    else if (spec.backendOptions.kernel !== undefined && kernelOf(probe.details) !== spec.backendOptions.kernel) {
      unavailable.push({ name: spec.name, reason: `createCpuBackend(${key}) runs kernel ${kernelOf(probe.details)}` });
    } else implementations.push(pathImplementation(spec, probe.details));
  }
  return { implementations, unavailable };
}
