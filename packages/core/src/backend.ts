import type { DType, FloatArray } from './dtype.js';
import type { RMSPropConfig, SpecVersion } from './rmsprop-config.js';
import type { StateArrays, StateRecord } from './state-buffers.js';

/**
 * Where a backend keeps parameters, gradients and state.
 * - `js-heap`: ordinary typed arrays (the plain JS kernel).
 * - `wasm-memory`: one WebAssembly memory; host views are typed arrays over it.
 * - `gpu-texture`: GPU textures; the host sees values only through explicit reads.
 * - `tfjs-variable`: tf.Variables on the active TensorFlow.js backend.
 */
export type BufferLocation = 'js-heap' | 'wasm-memory' | 'gpu-texture' | 'tfjs-variable';

/** How a backend treats a caller's array given with `adopt: true`: see `BackendCapabilities.hostArrays`. */
export type HostArrayHandling = 'adopted' | 'mirrored' | 'copied';

/**
 * Free-form facts about a backend for people and reports (the mode that runs, threads, versions, …): string,
 * number and boolean values by name. Any name may be absent, so reading one gives `undefined` too. A
 * backend's own details type is an object type alias (not an interface, which would not fit this index
 * signature), e.g. the CPU backend's `CpuBackendDetails`; it may declare a name it never has as
 * `?: undefined`, so that a union of details types reads it without narrowing.
 */
export type BackendDetails = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * What a backend found when it probed its environment at init.
 *
 * `Details` is the type of `details` (each backend exports its own: `CpuBackendDetails`,
 * `TfjsBackendDetails`, `GpujsBackendDetails`); `HostVisible` is `true` or `false` where a backend always
 * has, or never has, host views (the CPU backend: `true`; tfjs and gpu.js: `false`), which types
 * `RMSPropOptimizer.gradientBuffer` as non-null or nullable.
 */
export interface BackendCapabilities<Details extends BackendDetails = BackendDetails, HostVisible extends boolean = boolean> {
  /** The dtypes this backend runs, as probed here (a subset of what it could run elsewhere). */
  readonly dtypes: readonly DType[];
  /** Where buffers live. */
  readonly bufferLocation: BufferLocation;
  /**
   * True when every slot has host views that are the backend's own memory: `BackendSlot.params`, the memory
   * the kernel updates, so the user sees each step's result there without a copy, and `BackendSlot.grads`,
   * a gradient buffer the kernel reads. False when parameters are only reachable through
   * `readParams`/`writeParams` (and `params` is null).
   */
  readonly hostVisible: HostVisible;
  /**
   * What a slot requested with `adopt: true` (and values of its dtype) does with the caller's array:
   * - `'adopted'`: it is the parameter storage; each step updates it in place;
   * - `'mirrored'`: it holds the live values too, but the kernel works on a copy in its own memory (copied
   *   in before each step and back after it: a cost per step; the backend's own view avoids it);
   * - `'copied'`: its values are copied in once; the caller's array is never written.
   */
  readonly hostArrays: HostArrayHandling;
  /** Free-form facts for people and reports: the mode that runs (e.g. "wasm-simd", "webgl2"), threads, … */
  readonly details: Details;
}

/**
 * The state buffers of one parameter (`STATE_BUFFERS`: v `meanSquare`, m `meanGrad`, b `momentum`), as host
 * arrays in the slot's dtype or float64, keyed by name; a buffer the slot does not keep is null.
 */
export type SlotState = StateArrays<FloatArray>;

/** What the optimizer asks a backend for when it adds a parameter. */
export interface SlotRequest {
  /** The parameter's name, for messages and debugging. */
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  /**
   * The initial parameter values. Where `adopt` is true, the backend keeps this very array up to date as
   * its `capabilities.hostArrays` says ('adopted' or 'mirrored'), or copies the values in ('copied').
   * `'read-only'` is `true` with the caller's promise not to write the array between steps: a mirroring
   * backend skips the copy in before each step.
   */
  readonly values: FloatArray;
  readonly adopt: boolean | 'read-only';
  /**
   * Which state buffers to allocate, by name (`STATE_BUFFERS`), and what every element of each starts
   * from: null for a buffer the slot does not keep (`initialState(config)` makes it).
   */
  readonly state: StateRecord<number | null>;
}

/**
 * One parameter's buffers, owned by the backend that created them. Views handed out (`params`,
 * `grads`) stay valid until `dispose()`: a backend must never invalidate a view it handed out.
 */
export interface BackendSlot {
  readonly name: string;
  readonly dtype: DType;
  readonly length: number;
  /** A host view of the parameter that each step updates in place, or null where none exists (GPU, tfjs). */
  readonly params: FloatArray | null;
  /**
   * A host buffer the kernel can read gradients from. Writing gradients here and passing this same array
   * to `step` avoids a copy. Null where the backend has no host-side gradient buffer (never where
   * `capabilities.hostVisible` is true).
   */
  readonly grads: FloatArray | null;
  /**
   * A copy of the parameter values. A backend whose memory can only be read asynchronously (WebGPU) throws
   * here, saying so, and implements `readParamsAsync`.
   */
  readParams(): FloatArray;
  /** A copy of the parameter values, read asynchronously. Optional: where absent, `readParams` is used. */
  readParamsAsync?(): Promise<FloatArray>;
  /** Overwrite the parameter values (length must match; the caller checks). */
  writeParams(values: ArrayLike<number>): void;
  /** A copy of the state buffers (see `readParams` for backends that read asynchronously only). */
  readState(): SlotState;
  /** A copy of the state buffers, read asynchronously. Optional: where absent, `readState` is used. */
  readStateAsync?(): Promise<SlotState>;
  /** Overwrite the state buffers (lengths and presence must match: `checkStateArrays`). */
  writeState(state: StateArrays<ArrayLike<number>>): void;
  /** Free the buffers. Later use is a caller error. */
  dispose(): void;
}

/** Hyperparameters for one slot for one step: the resolved config, η after any schedule, and t. */
export interface StepHyperparameters {
  readonly config: Readonly<RMSPropConfig>;
  /** η for this step (overrides `config.learningRate`). */
  readonly learningRate: number;
  /** t, 1-based: the step being taken (used by bias correction). */
  readonly step: number;
}

/** One slot's work in a step. */
export interface SlotUpdate {
  readonly slot: BackendSlot;
  /** The gradient, same dtype and length as the slot (checked by the caller). May be `slot.grads`. */
  readonly grads: FloatArray;
  readonly hyper: StepHyperparameters;
}

/**
 * A compute backend for spec version v1. Created by an async factory that probes the environment and
 * may reject (the registry then falls back to the next backend and records why).
 *
 * Contract (docs/adding-a-backend.md, "Who checks what"; tested by `defineBackendContractSuite`): a backend
 * checks everything its interface can receive, through core's shared checks (`checkSlotRequest`,
 * `checkStateArrays`, `checkSlotUpdate`), so it is safe to use directly; config ranges and gradient values
 * are the optimizer's to check. A `step` that throws changes nothing; one that passes its checks completes
 * for every slot. It must not allocate per call on hot paths.
 *
 * `Capabilities` is the type of `capabilities`: a backend class declares its own (its details, and
 * `hostVisible: true` where every slot has host views), and `RMSPropOptimizer` and `BackendRegistry` carry it.
 */
export interface RMSPropBackend<Capabilities extends BackendCapabilities = BackendCapabilities> {
  readonly specVersion: SpecVersion;
  readonly name: string;
  readonly capabilities: Capabilities;
  createSlot(request: SlotRequest): BackendSlot;
  /**
   * Optional: the slots of several requests at once, in order, all or none (on a throw, none of them stays
   * allocated). The optimizer creates all its slots through this where a backend has it, so a backend can
   * lay them out together: the CPU backend's WebAssembly arena puts the θ blocks of consecutive slots end to
   * end (and g, v, m, b alike), and a step over them is one kernel loop.
   */
  createSlots?(requests: readonly SlotRequest[]): BackendSlot[];
  /** Apply one step to each update's slot. */
  step(updates: readonly SlotUpdate[]): void;
  /**
   * Optional: the index of the first NaN or ±∞ in `grads` (a gradient for `slot`, of its dtype and length,
   * as the optimizer has checked), or −1. A backend that can scan faster than a JS loop (SIMD over its own
   * gradient buffer) implements it; the optimizer scans in JavaScript otherwise.
   */
  findNonFinite?(slot: BackendSlot, grads: FloatArray): number;
  /** Free everything the backend holds. */
  dispose(): void;
}

/** An async factory: probes capabilities and resolves to a ready backend, or rejects with the reason. */
export type BackendFactory<Backend extends RMSPropBackend = RMSPropBackend> = () => Promise<Backend>;
