import {
  checkSlotRequest,
  checkSlotUpdates,
  ArgumentError,
  BackendUnavailableError,
  DisposedError,
  SPEC_VERSION,
  STATE_BUFFER_NAMES,
  type BackendCapabilities,
  type BackendSlot,
  type RMSPropBackend,
  type SlotRequest,
  type SlotUpdate,
} from '@rmsprop/core';
import { add, dispose, engine, fill, getBackend, ready, setBackend, tensor1d, version_core, type Tensor } from '@tensorflow/tfjs-core';
import { flushesSubnormals } from './flushes-subnormals.js';
import { stateVariables, TfjsSlot } from './tfjs-slot.js';
import { tidyKeep } from './tidy-keep.js';
import { rmspropUpdate, type UpdateOutputs } from './tfjs-update.js';
import { restoreTfjsBackend, tfjsInitialising, withTfjsBackend } from './with-tfjs-backend.js';
import { wasmCompileRefusal } from './wasm-compile-refusal.js';

/** Elements in the float32 probe: more than tfjs's GPU backends run on the CPU (webgl 128, webgpu 1000). */
const PROBE_LENGTH = 4096;

/** The name the tfjs backend registers under and reports. */
export const TFJS_BACKEND_NAME = 'tfjs';

/** Options of {@link createTfjsBackend}. */
export interface TfjsBackendOptions {
  /**
   * The TensorFlow.js backend to run on ('cpu', 'wasm', 'webgl', 'webgpu', …); it must be registered
   * (import '@tensorflow/tfjs-backend-wasm' and the like first). tfjs's active backend stays as it was
   * (where none was active yet, this one becomes active). Default: the active backend, after `tf.ready()`.
   */
  readonly tfjsBackend?: string;
}

/** `capabilities.details` of the tfjs backend ({@link TfjsBackend}). */
export type TfjsBackendDetails = {
  /** The TensorFlow.js backend the variables live on ('cpu', 'wasm', 'webgl', 'webgpu', …). */
  readonly tfjsBackend: string;
  /** `version_core` of the @tensorflow/tfjs-core that runs. */
  readonly tfjsVersion: string;
  /** Whether the host can read variables synchronously here (false on webgpu: use the async reads). */
  readonly syncReadBack: boolean;
  readonly description: string;
};

/** The tfjs backend's capabilities: parameters live in tf.Variables, never in host views (`hostVisible: false`). */
export type TfjsBackendCapabilities = BackendCapabilities<TfjsBackendDetails, false>;

/** The keys {@link TfjsBackendOptions} has. */
const OPTION_KEYS: readonly string[] = ['tfjsBackend'];

/**
 * RMSProp on TensorFlow.js: each parameter's θ, v (and m, b) are float32 tf.Variables on one tfjs backend
 * (`tfjsBackend`), and a step runs the spec's update as a handful of tfjs elementwise ops per parameter
 * (see `rmspropUpdate`), all inside one `tf.tidy`, so the number of tensors tfjs holds does not grow from
 * step to step.
 *
 * Every call runs on `tfjsBackend` whichever tfjs backend is active at the time (several of these
 * backends, on different tfjs backends, work side by side): where another one is active, a call makes
 * `tfjsBackend` active for its duration and the other one active again before it returns (see
 * `withTfjsBackend`), so the user's active backend is the same after the call and no variable moves.
 *
 * float32 only: tfjs has no float64 on most of its backends.
 *
 * Gradients arrive as host arrays (the core optimizer's contract) and are uploaded once per step; for
 * gradients that are already tensors, use {@link RMSPropTfjsOptimizer} (a drop-in tf.Optimizer).
 */
export class TfjsBackend implements RMSPropBackend<TfjsBackendCapabilities> {
  readonly specVersion = SPEC_VERSION;
  readonly name = TFJS_BACKEND_NAME;
  readonly capabilities: TfjsBackendCapabilities;
  /** The tfjs backend the variables live on. */
  readonly tfjsBackend: string;
  readonly #slots = new Set<TfjsSlot>();
  #disposed = false;

  /** Whether the host can read variables synchronously here (`readParams`); the async reads always work. */
  readonly syncReadBack: boolean;

  /** Use {@link createTfjsBackend}, which initialises `tfjsBackend` and probes it first. */
  constructor(tfjsBackend: string, syncReadBack = true) {
    this.tfjsBackend = tfjsBackend;
    this.syncReadBack = syncReadBack;
    this.capabilities = Object.freeze({
      dtypes: Object.freeze(['float32'] as const),
      bufferLocation: 'tfjs-variable',
      hostVisible: false,
      hostArrays: 'copied',
      details: Object.freeze({
        tfjsBackend,
        tfjsVersion: version_core,
        syncReadBack,
        description: 'the spec as tfjs elementwise ops in one tidy per step; state in float32 tf.Variables',
      }),
    });
  }

  /** Creates the slot's variables (θ copied from `request.values`; `adopt` cannot apply here). */
  createSlot(request: SlotRequest): BackendSlot {
    this.#checkUsable('createSlot');
    checkSlotRequest(request, ['float32'], 'the tfjs backend runs float32 only');
    const slot = new TfjsSlot(request, this, (s) => this.#slots.delete(s), this.syncReadBack, this.tfjsBackend);
    this.#slots.add(slot);
    return slot;
  }

  /**
   * One step for each update. Every update is checked first (the slot is this backend's and live, the
   * gradient is a float32 array of the slot's length, the state the config needs exists, η and t), then
   * every new θ and state is computed, and only then are the variables assigned: a step that throws leaves
   * every variable as it was.
   */
  step(updates: readonly SlotUpdate[]): void {
    this.#checkUsable('step');
    checkSlotUpdates(updates, this, 'tfjs', { flushesSubnormals: flushesSubnormals(this.tfjsBackend) });
    withTfjsBackend(this.tfjsBackend, 'step', () => this.#step(updates));
  }

  /** `step` for checked updates, with `tfjsBackend` active. */
  #step(updates: readonly SlotUpdate[]): void {
    const n = updates.length;
    const results = tidyKeep(() => {
      const out: UpdateOutputs[] = [];
      for (let i = 0; i < n; i++) {
        const { slot, grads, hyper } = updates[i];
        const vars = (slot as TfjsSlot).variables;
        out.push(rmspropUpdate({ ...vars, grad: tensor1d(Float32Array.from(grads), 'float32') }, hyper.config, hyper.learningRate, hyper.step));
      }
      return out;
    });
    // Every output that is not the variable it came from (state the config does not store is passed
    // through) becomes that variable's value.
    for (let i = 0; i < n; i++) {
      const vars = (updates[i].slot as TfjsSlot).variables;
      const r = results[i];
      vars.param.assign(r.param);
      for (const name of STATE_BUFFER_NAMES) {
        const next = r[name];
        const v = vars[name];
        if (next !== null && next !== v) v!.assign(next);
      }
    }
    // The outputs that became variables' values stay alive through the variables; the rest are freed.
    const owned = new Set<Tensor>();
    for (const u of updates) {
      const vars = (u.slot as TfjsSlot).variables;
      owned.add(vars.param);
      for (const v of stateVariables(vars)) owned.add(v);
    }
    for (const r of results) {
      if (!owned.has(r.param)) dispose(r.param);
      for (const name of STATE_BUFFER_NAMES) {
        const t = r[name];
        if (t !== null && !owned.has(t)) dispose(t);
      }
    }
  }

  /** Disposes every live slot's variables. Later calls throw {@link DisposedError}; disposing twice is a no-op. */
  dispose(): void {
    if (this.#disposed) return;
    for (const slot of [...this.#slots]) slot.dispose();
    this.#disposed = true;
  }

  #checkUsable(operation: string): void {
    if (this.#disposed) throw new DisposedError('tfjs backend', operation);
  }
}

/**
 * Initialises `options.tfjsBackend` (or takes the active tfjs backend), checks that it computes in float32
 * (a WebGL device without float32 textures would round every value to float16), and resolves to a ready
 * {@link TfjsBackend}. tfjs's active backend is the same afterwards as before (tfjs switches to a backend
 * while it initialises it; this switches back), except where no tfjs backend was active yet: then the new
 * one is, as tfjs has no way back to having none. Rejects with the reason where the tfjs backend is not
 * registered, fails to initialise, or is not float32, and with {@link ArgumentError} for an option that is
 * not one of {@link TfjsBackendOptions}' or not of its type.
 */
export async function createTfjsBackend(options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError('options', options, 'an object { tfjsBackend? }');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) throw new ArgumentError(`options.${key}`, (options as Record<string, unknown>)[key], 'tfjsBackend (the only option)');
  }
  const wanted = options.tfjsBackend;
  if (wanted !== undefined && (typeof wanted !== 'string' || wanted === '')) {
    throw new ArgumentError('options.tfjsBackend', wanted, "a tfjs backend name such as 'cpu', 'wasm', 'webgl' or 'webgpu'");
  }
  // A tf.setBackend() the user has not awaited yet: switching now would race it (tfjs would end with one
  // backend's name and another's instance), so wait for it first.
  if (tfjsInitialising()) await ready();
  let name: string;
  if (wanted === undefined) {
    await ready();
    name = getBackend();
  } else {
    if (engine().findBackendFactory(wanted) === null) {
      throw new BackendUnavailableError(
        `TensorFlow.js backend '${wanted}' is not registered (import '@tensorflow/tfjs-backend-${wanted}' first)`,
        [],
      );
    }
    const previous = getBackend();
    // tfjs initialises a backend only by making it active (its other way, findBackend, leaves an
    // asynchronous one half-initialised); the previous one becomes active again at once, failed or not,
    // unless the user's code made another one active meanwhile.
    const started = await setBackend(wanted);
    if (getBackend() === wanted) restoreTfjsBackend(previous);
    if (!started) {
      // tfjs only logs why; for its wasm backend the likeliest cause can be found out.
      const why = wanted === 'wasm' ? await wasmCompileRefusal() : undefined;
      throw new BackendUnavailableError(`TensorFlow.js backend '${wanted}' failed to initialise here${why === undefined ? '' : `: ${why}`}`, []);
    }
    name = wanted;
  }
  // 1 + 2⁻²⁰ is exact in float32 and rounds to 1 in float16. 4096 elements: above the sizes that tfjs's
  // webgl and webgpu backends hand to their CPU kernels instead of running on the GPU.
  const expected = 1 + 2 ** -20;
  const probe = withTfjsBackend(name, 'createTfjsBackend', () =>
    tidyKeep(() => add(fill([PROBE_LENGTH], 1, 'float32'), fill([PROBE_LENGTH], 2 ** -20, 'float32'))),
  );
  const values = (await probe.data()) as Float32Array;
  probe.dispose();
  const wrong = values.findIndex((v) => v !== expected);
  if (wrong >= 0) {
    throw new BackendUnavailableError(
      `TensorFlow.js backend '${name}' does not compute in float32 here (1 + 2⁻²⁰ read back as ${values[wrong]}); RMSProp's state would be rounded to float16`,
      [],
    );
  }
  // tfjs's webgpu backend reads synchronously by drawing into a canvas; measured in Chromium 156 on
  // SwiftShader, that returns zeros and then loses the WebGPU device. There, only the asynchronous reads
  // are offered (readParams/readState throw, saying so).
  const syncReadBack = name !== 'webgpu';
  return new TfjsBackend(name, syncReadBack);
}
