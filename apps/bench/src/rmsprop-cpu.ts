import { createCpuBackend } from '@rmsprop/backend-cpu';
import { RMSPropOptimizer, type FloatArray, type NonFiniteGradientPolicy, type RMSPropBackend } from '@rmsprop/core';
import { BENCH_EPSILON, BENCH_LEARNING_RATE, BENCH_RHO, layoutShape, variantSettings, type BenchCase } from './bench-case.js';
import { benchSeeds, fillBenchValues } from './bench-data.js';
import { timeSteps, type Implementation, type Instance, type UnavailableImplementation } from './implementation.js';

/** Options passed through to `createCpuBackend` (e.g. `{ kernel: 'js' }`), as the backend defines them. */
export type CpuBackendOptions = Readonly<Record<string, unknown>>;

/**
 * `createCpuBackend` called with options. The bench passes them through as given and reads what runs from
 * `capabilities.details`, so it works with any version of the backend: one that does not know an option
 * rejects it, and the bench reports why.
 */
export const createWithOptions = createCpuBackend as unknown as (options?: CpuBackendOptions) => Promise<RMSPropBackend>;

/** What `createCpuBackend(options)` gives here: its capability details, or the error it threw. */
export async function probeCpuBackend(options: CpuBackendOptions): Promise<{ details: Readonly<Record<string, string | number | boolean>> } | { error: string }> {
  try {
    const backend = await createWithOptions(options);
    const details = { ...backend.capabilities.details, bufferLocation: backend.capabilities.bufferLocation };
    backend.dispose();
    return { details };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** The kernel a backend reports (`capabilities.details.kernel`), or 'unknown'. */
export function kernelOf(details: Readonly<Record<string, unknown>>): string {
  const kernel = details.kernel;
  return typeof kernel === 'string' ? kernel : 'unknown';
}

/** An optimizer on a fresh CPU backend, set up the way a careful user would, and one step as a function. */
export interface CpuStepper {
  readonly optimizer: RMSPropOptimizer;
  readonly backend: RMSPropBackend;
  /**
   * The gradient passed for each parameter at every step: `optimizer.gradientBuffer(name)` where it exists.
   * A Map, as the optimizer's docs advise for many parameters (its names are checked without enumeration).
   */
  readonly grads: ReadonlyMap<string, FloatArray>;
  /** One `optimizer.step(grads)`, with `grads` built once. */
  readonly step: () => void;
  /** How many parameters take their gradient from `optimizer.gradientBuffer(name)` (the rest: the bench's own arrays). */
  readonly gradientBuffers: number;
  dispose(): void;
}

/**
 * A fresh backend and `RMSPropOptimizer` for the case: the layout's parameters with the bench's starting
 * values; then each parameter's live array is `optimizer.parameter(name)`, and its gradient goes into
 * `optimizer.gradientBuffer(name)` where the backend has one (no copy at step), else into an array of the
 * bench's own. The gradients are written once and every step reuses them. `nonFiniteGradients` undefined
 * leaves the option out (the default, 'error').
 */
export async function createCpuStepper(c: BenchCase, options: CpuBackendOptions, nonFiniteGradients: NonFiniteGradientPolicy | undefined): Promise<CpuStepper> {
  const backend = await createWithOptions(options);
  try {
    const { count, size } = layoutShape(c);
    const Ctor = c.dtype === 'float32' ? Float32Array : Float64Array;
    const names = Array.from({ length: count }, (_, i) => (count === 1 ? 'w' : `w${String(i).padStart(3, '0')}`));
    const params: Record<string, FloatArray> = {};
    names.forEach((name, i) => {
      const values = new Ctor(size);
      fillBenchValues(values, benchSeeds(i).params);
      params[name] = values;
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
      // undefined: the option is left out, as a user who keeps the default ('error') writes it.
      ...(nonFiniteGradients === undefined ? {} : { nonFiniteGradients }),
      // The arena owns the parameters (views handed out): no copy in or out per step. With the default
      // (inPlace: true) the WebAssembly kernel mirrors the caller's arrays, two copies per step.
      inPlace: false,
    });
    const grads = new Map<string, FloatArray>();
    let gradientBuffers = 0;
    names.forEach((name, i) => {
      optimizer.parameter(name); // the live values are here (a view into WebAssembly memory, or the adopted array)
      const buffer = optimizer.gradientBuffer(name);
      if (buffer !== null) gradientBuffers++;
      const g = buffer ?? new Ctor(size);
      fillBenchValues(g, benchSeeds(i).grads);
      grads.set(name, g);
    });
    return {
      optimizer,
      backend,
      grads,
      step: () => void optimizer.step(grads),
      gradientBuffers,
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

/** The CPU backend through `RMSPropOptimizer`, created with `options`. */
export function rmspropCpuImplementation(
  name: string,
  options: CpuBackendOptions,
  details: Readonly<Record<string, string | number | boolean>>,
  nonFiniteGradients: NonFiniteGradientPolicy,
): Implementation {
  const dtypes = new Set(['float32', 'float64']);
  return {
    name,
    role: 'ours',
    describe: () => {
      const threads = typeof details.threads === 'number' ? `, ${details.threads} thread${details.threads === 1 ? '' : 's'}` : '';
      const entries = Object.entries(options).map(([key, value]) => `${key}: ${typeof value === 'string' ? `'${value}'` : String(value)}`);
      const call = entries.length === 0 ? '' : `{ ${entries.join(', ')} }`;
      return (
        `RMSPropOptimizer on createCpuBackend(${call}): kernel ${kernelOf(details)}${threads}, buffers in ${String(details.bufferLocation)}; ` +
        `g written into optimizer.gradientBuffer(name) where there is one, passed in a Map; nonFiniteGradients '${nonFiniteGradients}'`
      );
    },
    unsupported: (c) => (dtypes.has(c.dtype) ? undefined : `${c.dtype} is not a CPU backend dtype`),
    facts: () => ({ [`${name} kernel`]: kernelOf(details) }),
    async create(c: BenchCase): Promise<Instance> {
      const stepper = await createCpuStepper(c, options, nonFiniteGradients);
      return { run: (steps) => timeSteps(stepper.step, steps), dispose: () => stepper.dispose() };
    },
  };
}

/**
 * `rmsprop-cpu-one`: `rmsprop-cpu` with the case's n as one parameter, run only in the cases of another
 * layout (1000x1000). The layout goal divides rmsprop-cpu's row by this one, timed in the same interleaved
 * rounds, rather than by the single-layout case's row measured minutes earlier: on this shared machine two
 * cases apart drift by up to ±20 % (docs/performance.md), more than the difference the goal is about.
 */
export function rmspropCpuOneImplementation(
  details: Readonly<Record<string, string | number | boolean>>,
  nonFiniteGradients: NonFiniteGradientPolicy,
): Implementation {
  const inner = rmspropCpuImplementation('rmsprop-cpu-one', {}, details, nonFiniteGradients);
  return {
    ...inner,
    describe: () => `the same as rmsprop-cpu with all n elements in one parameter, timed in the rounds of the 1000x1000 cases (the layout goal's denominator)`,
    unsupported: (c) => (c.layout === 'single' ? 'runs in the 1000x1000 cases only (in single cases it is rmsprop-cpu)' : inner.unsupported(c)),
    facts: undefined,
    create: (c: BenchCase) => inner.create({ ...c, layout: 'single' }),
  };
}

/**
 * `rmsprop-cpu` (the default kernel), plus `rmsprop-cpu-js` (`{ kernel: 'js' }`) where the default is not
 * already the JS kernel and that option is accepted, and `rmsprop-cpu-2t` (`{ threads: 2 }`) where the
 * backend accepts that option and reports `details.threads === 2`. What cannot run is listed with the reason.
 */
export async function cpuImplementations(
  nonFiniteGradients: NonFiniteGradientPolicy,
): Promise<{ implementations: Implementation[]; unavailable: UnavailableImplementation[] }> {
  const implementations: Implementation[] = [];
  const unavailable: UnavailableImplementation[] = [];
  const main = await probeCpuBackend({});
  if ('error' in main) {
    unavailable.push({ name: 'rmsprop-cpu', reason: `createCpuBackend() failed: ${main.error}` });
    return { implementations, unavailable };
  }
  implementations.push(rmspropCpuImplementation('rmsprop-cpu', {}, main.details, nonFiniteGradients));
  implementations.push(rmspropCpuOneImplementation(main.details, nonFiniteGradients));
  if (kernelOf(main.details) !== 'js') {
    const js = await probeCpuBackend({ kernel: 'js' });
    if ('error' in js) unavailable.push({ name: 'rmsprop-cpu-js', reason: `createCpuBackend({ kernel: 'js' }) failed: ${js.error}` });
    else if (kernelOf(js.details) !== 'js') unavailable.push({ name: 'rmsprop-cpu-js', reason: `createCpuBackend({ kernel: 'js' }) runs kernel ${kernelOf(js.details)}` });
    else implementations.push(rmspropCpuImplementation('rmsprop-cpu-js', { kernel: 'js' }, js.details, nonFiniteGradients));
  }
  const threaded = await probeCpuBackend({ threads: 2 });
  if ('error' in threaded) unavailable.push({ name: 'rmsprop-cpu-2t', reason: `createCpuBackend({ threads: 2 }) is not supported: ${threaded.error}` });
  else if (threaded.details.threads !== 2) {
    unavailable.push({ name: 'rmsprop-cpu-2t', reason: `createCpuBackend({ threads: 2 }) reports details.threads = ${String(threaded.details.threads)}` });
  } else implementations.push(rmspropCpuImplementation('rmsprop-cpu-2t', { threads: 2 }, threaded.details, nonFiniteGradients));
  return { implementations, unavailable };
}
