import { RMSPropOptimizer, type FloatArray, type NonFiniteGradientPolicy, type RMSPropBackend } from '@rmsprop/core';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance, type UnavailableImplementation } from './implementation.js';
import type { PathImplementationName } from './path-rows.js';
import { createCpuStepper, createWithOptions, kernelOf, probeCpuBackend, type CpuBackendOptions } from './rmsprop-cpu.js';

/**
 * How a path row calls the optimizer.
 * - 'readme': the root README's code as it is written: the initial values given as params with
 *   `inPlace: false`, the live weights read from `optimizer.parameter(name)`, the gradients written into
 *   `optimizer.gradientBuffer(name)`, and `optimizer.step()` with no argument (every parameter's buffer).
 * - 'own': the user's own typed arrays are the params (inPlace at its default unless `inPlace` says, so the
 *   backend adopts or mirrors them) and each gradient is an array of the user's own, passed in a plain object.
 * - 'views': the careful set-up of rmsprop-cpu (inPlace: false, `optimizer.parameter(name)`, gradients
 *   written into `optimizer.gradientBuffer(name)`, passed in a Map).
 */
export interface PathSpec {
  readonly name: PathImplementationName;
  readonly backendOptions: CpuBackendOptions;
  readonly arrays: 'readme' | 'own' | 'views';
  /** 'own' only: undefined leaves inPlace out (the default, true); 'read-only' promises not to write the arrays between steps. */
  readonly inPlace?: 'read-only';
  /** undefined: the option is left out (the default, 'error'). */
  readonly nonFiniteGradients?: NonFiniteGradientPolicy;
}

export const PATH_SPECS: readonly PathSpec[] = [
  { name: 'readme', backendOptions: {}, arrays: 'readme' },
  { name: 'own-arrays', backendOptions: {}, arrays: 'own' },
  { name: 'own-arrays-read-only', backendOptions: {}, arrays: 'own', inPlace: 'read-only' },
  { name: 'own-arrays-propagate', backendOptions: {}, arrays: 'own', nonFiniteGradients: 'propagate' },
  { name: 'views-error', backendOptions: {}, arrays: 'views' },
  { name: 'js-in-place', backendOptions: { kernel: 'js' }, arrays: 'own' },
];

/** A path's optimizer for one case, with one step as a user calls it. */
export interface PathStepper {
  readonly optimizer: RMSPropOptimizer;
  /** Where the user reads the live values: their own arrays ('own'), or `optimizer.parameter(name)` ('readme', 'views'). */
  readonly params: ReadonlyMap<string, FloatArray>;
  /** The gradient of each parameter at every step: the user's own arrays ('own'), or `optimizer.gradientBuffer(name)`. */
  readonly grads: ReadonlyMap<string, FloatArray>;
  readonly step: () => void;
  dispose(): void;
}

function parameterNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => (count === 1 ? 'w' : `w${String(i).padStart(3, '0')}`));
}

/** The case's parameters with the bench's starting values, by name. */
function startingParams(c: BenchCase): Record<string, FloatArray> {
  const { count, size } = layoutShape(c);
  const Ctor = c.dtype === 'float32' ? Float32Array : Float64Array;
  const params: Record<string, FloatArray> = {};
  parameterNames(count).forEach((name, i) => {
    const values = new Ctor(size);
    fillBenchValues(values, benchSeeds(i).params);
    params[name] = values;
  });
  return params;
}

/** The optimizer options every path shares: the bench's ρ, ε and η and the case's variant; the rest at its default. */
function commonOptions(c: BenchCase, spec: PathSpec): { learningRate: number; rho: number; epsilon: number; momentum: number; centered: boolean; nonFiniteGradients?: NonFiniteGradientPolicy } {
  const { momentum, centered } = variantSettings(c.variant);
  return {
    learningRate: BENCH_LEARNING_RATE,
    rho: BENCH_RHO,
    epsilon: BENCH_EPSILON,
    momentum,
    centered,
    ...(spec.nonFiniteGradients === undefined ? {} : { nonFiniteGradients: spec.nonFiniteGradients }),
  };
}

function disposer(optimizer: RMSPropOptimizer, backend: RMSPropBackend): () => void {
  return () => {
    optimizer.dispose();
    backend.dispose();
  };
}

/**
 * The root README's code: `createCpuBackend(options)`, `new RMSPropOptimizer({ backend, params: { w: initial },
 * inPlace: false, … })`, `const w = optimizer.parameter('w')`, `const grad = optimizer.gradientBuffer('w')`,
 * the gradient written into `grad`, and `optimizer.step()` with no argument. In the 1000x1000 layout the
 * same with 1,000 parameters. A backend without gradient buffers cannot run it (the README's code would
 * not run there either).
 */
async function createReadmeStepper(c: BenchCase, spec: PathSpec): Promise<PathStepper> {
  const backend: RMSPropBackend = await createWithOptions(spec.backendOptions);
  try {
    const optimizer = new RMSPropOptimizer({ backend, params: startingParams(c), inPlace: false, ...commonOptions(c, spec) });
    const params = new Map<string, FloatArray>();
    const grads = new Map<string, FloatArray>();
    optimizer.parameterNames.forEach((name, i) => {
      params.set(name, optimizer.parameter(name));
      const grad = optimizer.gradientBuffer(name);
      if (grad === null) {
        optimizer.dispose();
        throw new Error(`backend "${backend.name}" has no gradient buffers: the README's step() without gradients needs them`);
      }
      fillBenchValues(grad, benchSeeds(i).grads);
      grads.set(name, grad);
    });
    return { optimizer, params, grads, step: () => void optimizer.step(), dispose: disposer(optimizer, backend) };
  } catch (error) {
    backend.dispose();
    throw error;
  }
}

/**
 * Code that keeps its own arrays: `new RMSPropOptimizer({ backend, params: { w }, … })` with the user's own
 * arrays and inPlace left at its default (or `'read-only'` where the spec says), gradients in arrays of the
 * user's own, and `optimizer.step({ w: grad })` with a fresh object literal each step. With 1,000 parameters
 * the object of gradients is built once (nobody writes a literal of 1,000 keys) and passed as is.
 */
async function createOwnArraysStepper(c: BenchCase, spec: PathSpec): Promise<PathStepper> {
  const backend: RMSPropBackend = await createWithOptions(spec.backendOptions);
  try {
    const params = startingParams(c);
    const Ctor = c.dtype === 'float32' ? Float32Array : Float64Array;
    const grads: Record<string, FloatArray> = {};
    Object.entries(params).forEach(([name, values], i) => {
      const g = new Ctor(values.length);
      fillBenchValues(g, benchSeeds(i).grads);
      grads[name] = g;
    });
    const optimizer = new RMSPropOptimizer({
      backend,
      params,
      ...commonOptions(c, spec),
      ...(spec.inPlace === undefined ? {} : { inPlace: spec.inPlace }),
    });
    let step: () => void;
    if (layoutShape(c).count === 1) {
      const grad = grads.w;
      step = () => void optimizer.step({ w: grad });
    } else step = () => void optimizer.step(grads);
    return {
      optimizer,
      params: new Map(Object.entries(params)),
      grads: new Map(Object.entries(grads)),
      step,
      dispose: disposer(optimizer, backend),
    };
  } catch (error) {
    backend.dispose();
    throw error;
  }
}

/** A fresh stepper for a path in one case. */
export async function createPathStepper(c: BenchCase, spec: PathSpec): Promise<PathStepper> {
  if (spec.arrays === 'readme') return createReadmeStepper(c, spec);
  if (spec.arrays === 'own') return createOwnArraysStepper(c, spec);
  const stepper = await createCpuStepper(c, spec.backendOptions, spec.nonFiniteGradients);
  const params = new Map(stepper.optimizer.parameterNames.map((name) => [name, stepper.optimizer.parameter(name)]));
  return { optimizer: stepper.optimizer, params, grads: stepper.grads, step: stepper.step, dispose: () => stepper.dispose() };
}

function describePath(spec: PathSpec, details: Readonly<Record<string, string | number | boolean>>): string {
  const entries = Object.entries(spec.backendOptions).map(([key, value]) => `${key}: ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  const call = entries.length === 0 ? '' : `{ ${entries.join(', ')} }`;
  const policy = spec.nonFiniteGradients === undefined ? "nonFiniteGradients default ('error': g scanned each step)" : `nonFiniteGradients '${spec.nonFiniteGradients}'`;
  const kernel = kernelOf(details);
  const ownInPlace =
    spec.inPlace === 'read-only'
      ? `inPlace: 'read-only' (${kernel === 'js' ? 'adopted' : 'mirrored, no copy in'})`
      : `inPlace default: ${kernel === 'js' ? 'adopted' : 'mirrored'}`;
  const arrays =
    spec.arrays === 'readme'
      ? "as the root README: initial values as params with inPlace: false, parameter(name) as the live weights, g written into gradientBuffer(name), step() with no argument"
      : spec.arrays === 'own'
        ? `the user's own arrays as params (${ownInPlace}), g in the user's own array passed as { w: grad } (an object of 1,000 built once in the 1000x1000 layout)`
        : 'as rmsprop-cpu (inPlace: false, parameter(name) views, g in gradientBuffer(name), a Map)';
  return `RMSPropOptimizer.step on createCpuBackend(${call}), kernel ${kernel}: ${arrays}; ${policy}`;
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
