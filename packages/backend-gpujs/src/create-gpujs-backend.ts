import { ArgumentError, BackendUnavailableError } from '@rmsprop/core';
import gpujs from 'gpu.js';
import type { GPU } from 'gpu.js';
import { codeFromStringsRefusal } from './code-from-strings.js';
import { destroyKernel } from './destroy-kernel.js';
import { readValues, releaseValues, type GpuValues } from './gpu-values.js';
import { GPU_MODES, GpujsBackend, type GpujsMode } from './gpujs-backend.js';

/** Options of {@link createGpujsBackend}. */
export interface GpujsBackendOptions {
  /**
   * The gpu.js mode: 'gpu' (default) takes the first that works of headless-gl, WebGL2 and WebGL, else
   * cpu mode (unless `requireGpu`); or one of 'webgl2', 'webgl', 'headlessgl', 'cpu'. 'webgpu' and
   * 'webasm' are refused: gpu.js has no kernel maps there.
   */
  readonly mode?: 'gpu' | GpujsMode;
  /** Reject instead of running in cpu mode when no GPU mode works here (the registry's default). */
  readonly requireGpu?: boolean;
  /**
   * A gpu.js `GPU` to build kernels on (it keeps its mode; the backend does not destroy it). Default: a new
   * `GPU` for the mode, destroyed by `dispose()`.
   */
  readonly gpu?: GPU;
}

/** The keys of {@link GpujsBackendOptions}. */
const OPTION_KEYS: ReadonlySet<string> = new Set(['mode', 'requireGpu', 'gpu']);
/** What `options.mode` may be. */
const MODES_ALLOWED = "one of 'gpu', 'webgl2', 'webgl', 'headlessgl', 'cpu'";
/** The methods of gpu.js's `GPU` this backend calls. */
const GPU_METHODS = ['createKernel', 'createKernelMap', 'destroy'] as const;

const MODES_WITHOUT_KERNEL_MAPS: Readonly<Record<string, string>> = {
  webgpu: "gpu.js's webgpu mode has no kernel maps (createKernelMap), which this backend needs to write θ and the state in one pass",
  async: "gpu.js's async mode may pick webgpu, which has no kernel maps (createKernelMap)",
  webasm: "gpu.js's webasm mode has no kernel maps (gpu.js itself falls back to cpu mode for them); ask for mode 'cpu'",
  dev: "gpu.js's dev mode runs kernels without gpu.js's compiler (a mock); it is for debugging kernels, not for training",
};

/** Why gpu.js's cpu mode cannot run where `new Function` is refused (`refusal`: the engine's words). */
function cpuModeRefused(refusal: string): string {
  return (
    "cpu mode compiles its kernels with `new Function`, which is refused here; in a browser, the page's " +
    "Content-Security-Policy must allow 'unsafe-eval' in script-src for it (gpu.js's WebGL modes need no " +
    `'unsafe-eval') (${refusal})`
  );
}

/** 1 + 2⁻²⁰: exact in float32, 1 in 8-bit packing or float16. */
const PROBE_VALUE = 1 + 2 ** -20;
/** Probe elements: a texture of several rows (gpu.js lays 1-D outputs out in 2-D textures). */
const PROBE_LENGTH = 4099;

/** The gpu.js kernel classes by the mode they run, most specific first (HeadlessGLKernel extends WebGLKernel). */
const KERNEL_CLASSES = [
  ['headlessgl', 'HeadlessGLKernel'],
  ['webgl2', 'WebGL2Kernel'],
  ['webgl', 'WebGLKernel'],
  ['webgpu', 'WebGPUKernel'],
  ['webasm', 'WebAssemblyKernel'],
  ['cpu', 'CPUKernel'],
] as const;

/** The mode a kernel ended up running in, from its class (gpu.js may fall back to cpu for kernel maps). */
function kernelMode(kernel: unknown): string {
  const inner = (kernel as { kernel?: object }).kernel;
  const classes = gpujs as unknown as Record<string, (abstract new (...args: never[]) => object) | undefined>;
  for (const [mode, name] of KERNEL_CLASSES) {
    const Class = classes[name];
    if (Class !== undefined && inner instanceof Class) return mode;
  }
  return 'unknown';
}

/**
 * Creates a gpu.js `GPU` in the mode asked for, checks that kernel maps run there in float32 (a probe
 * kernel map computes 1 + 2⁻²⁰ and reads it back: a device without float textures would give 1, and
 * gpu.js would otherwise drop silently to 8-bit packing), and resolves to a {@link GpujsBackend}.
 * Rejects, saying why, where the mode is missing, has no kernel maps, or does not read back float32; and
 * with an `ArgumentError` naming the option for an unknown option or a value of the wrong kind.
 */
export async function createGpujsBackend(options: GpujsBackendOptions = {}): Promise<GpujsBackend> {
  checkOptions(options);
  const wanted = options.mode ?? 'gpu';
  if (Object.hasOwn(MODES_WITHOUT_KERNEL_MAPS, wanted)) throw new BackendUnavailableError(MODES_WITHOUT_KERNEL_MAPS[wanted]!, []);
  const requireGpu = options.requireGpu ?? false;
  const GPUClass = (gpujs as unknown as { GPU: typeof GPU }).GPU;
  let gpu: GPU;
  let ownsGpu = true;
  let fellBack = '';
  if (options.gpu !== undefined) {
    gpu = options.gpu;
    ownsGpu = false;
  } else if (wanted === 'gpu') {
    // gpu.js's own choice in 'gpu' mode ends at webasm where no GL works, and webasm has no kernel maps.
    const gl = (['headlessgl', 'webgl2', 'webgl'] as const).find((mode) => {
      return isModeSupported(mode);
    });
    if (gl === undefined) {
      fellBack = 'no GPU mode of gpu.js works here (no WebGL2 or WebGL, no headless-gl)';
      if (requireGpu) throw new BackendUnavailableError(`gpu.js: ${fellBack}; only its cpu mode would run`, []);
    }
    gpu = new GPUClass({ mode: gl ?? 'cpu' });
  } else {
    if (wanted !== 'cpu' && !isModeSupported(wanted)) {
      throw new BackendUnavailableError(`gpu.js mode '${wanted}' is not supported here${wanted === 'headlessgl' ? " (headless-gl, the 'gl' package, is not built or no display is open)" : ''}`, []);
    }
    gpu = new GPUClass({ mode: wanted });
  }
  try {
    const mode = probe(gpu, fellBack);
    if (requireGpu && !(GPU_MODES as readonly string[]).includes(mode)) {
      throw new BackendUnavailableError(`gpu.js runs in '${mode}' mode here, not on a GPU`, []);
    }
    return new GpujsBackend(gpu, mode as GpujsMode, ownsGpu, fellBack === '' ? {} : { modeReason: fellBack });
  } catch (error) {
    if (ownsGpu) gpu.destroy();
    throw error;
  }
}

/**
 * Refuses options that are not an object, an unknown key, and a value of the wrong kind, each with an
 * {@link ArgumentError} naming the option, before anything is made. `mode` may also be one that gpu.js has
 * but this backend cannot run (refused afterwards, saying why); an option given as `undefined` is its default.
 */
function checkOptions(options: unknown): asserts options is GpujsBackendOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError('options', options, 'an object { mode?, requireGpu?, gpu? }');
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!OPTION_KEYS.has(key)) throw new ArgumentError(`options.${key}`, given[key], 'one of the options mode, requireGpu or gpu');
  }
  const { mode, requireGpu, gpu } = given;
  if (mode !== undefined) {
    const known = typeof mode === 'string' && (mode === 'gpu' || mode === 'cpu' || (GPU_MODES as readonly string[]).includes(mode) || Object.hasOwn(MODES_WITHOUT_KERNEL_MAPS, mode));
    if (!known) throw new ArgumentError('options.mode', mode, MODES_ALLOWED);
  }
  if (requireGpu !== undefined && typeof requireGpu !== 'boolean') throw new ArgumentError('options.requireGpu', requireGpu, 'true or false');
  if (gpu !== undefined) {
    const methods = gpu !== null && typeof gpu === 'object' ? (gpu as Record<string, unknown>) : null;
    if (methods === null || GPU_METHODS.some((name) => typeof methods[name] !== 'function')) {
      throw new ArgumentError('options.gpu', gpu, 'a gpu.js GPU (an object with createKernel, createKernelMap and destroy)');
    }
  }
}

/** Whether gpu.js's kernel class for `mode` reports itself supported here. */
export function isModeSupported(mode: 'headlessgl' | 'webgl2' | 'webgl'): boolean {
  const kernels = gpujs as unknown as Record<string, { isSupported?: boolean }>;
  const name = { headlessgl: 'HeadlessGLKernel', webgl2: 'WebGL2Kernel', webgl: 'WebGLKernel' }[mode];
  try {
    return kernels[name]?.isSupported === true;
  } catch {
    return false;
  }
}

/**
 * Runs the float32 probe kernel map; returns the mode it ran in. In cpu mode, first checks that
 * `new Function` compiles here (gpu.js's cpu kernels are JavaScript compiled from source text; where that
 * is refused gpu.js fails with an untyped `"run" not defined`). `fellBack`: why 'gpu' mode came to cpu mode.
 */
function probe(gpu: GPU, fellBack: string): string {
  const kernel = gpu.createKernelMap(
    { copy: 'function keepProbe(x) { return x; }' } as never,
    'function probeFloat(values, tiny) { const x = values[this.thread.x] + tiny; keepProbe(x); return x; }' as never,
    { pipeline: true, immutable: true, precision: 'single', tactic: 'precision', output: [PROBE_LENGTH] } as never,
  ) as unknown as ((values: Float32Array, tiny: number) => Record<string, GpuValues>) & { destroy(): void; kernel?: { precision?: string } };
  /** The typed error where cpu mode cannot compile its kernels here, else undefined. */
  const refusedInCpuMode = (): BackendUnavailableError | undefined => {
    const refusal = kernelMode(kernel) === 'cpu' ? codeFromStringsRefusal() : undefined;
    if (refusal === undefined) return undefined;
    return new BackendUnavailableError(fellBack === '' ? `gpu.js's ${cpuModeRefused(refusal)}` : `gpu.js: ${fellBack}; its ${cpuModeRefused(refusal)}`, []);
  };
  try {
    const refused = refusedInCpuMode();
    if (refused !== undefined) throw refused;
    let out: Record<string, GpuValues>;
    try {
      out = kernel(new Float32Array(PROBE_LENGTH).fill(1), 2 ** -20);
    } catch (error) {
      // A GPU passed in whose kernel fell back to cpu mode while building (gpu.js's 'gpu' mode does).
      throw refusedInCpuMode() ?? error;
    }
    const mode = kernelMode(kernel);
    const precision = kernel.kernel?.precision;
    if (precision !== 'single') {
      throw new BackendUnavailableError(`gpu.js (${mode}) would run in '${String(precision)}' precision here, not 'single' (float32): RMSProp's state would be rounded to 8 bits`, []);
    }
    for (const key of ['result', 'copy'] as const) {
      const values = readValues(out[key]!, PROBE_LENGTH);
      releaseValues(out[key]!);
      const wrong = values.findIndex((v) => v !== PROBE_VALUE);
      if (wrong >= 0) {
        throw new BackendUnavailableError(`gpu.js (${mode}) does not read back float32 here: 1 + 2⁻²⁰ came back as ${values[wrong]} at element ${wrong} of its ${key === 'result' ? 'result' : 'kernel-map output'}`, []);
      }
    }
    if (mode === 'webasm' || mode === 'webgpu') throw new BackendUnavailableError(MODES_WITHOUT_KERNEL_MAPS[mode]!, []);
    if (mode !== 'cpu' && !(GPU_MODES as readonly string[]).includes(mode)) {
      throw new BackendUnavailableError(`gpu.js ran the probe in a kernel class this backend does not know (${mode}); expected webgl2, webgl, headlessgl or cpu`, []);
    }
    return mode;
  } finally {
    destroyKernel(gpu, kernel);
  }
}
