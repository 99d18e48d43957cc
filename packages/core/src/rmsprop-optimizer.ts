import type { RMSPropBackend, SlotState, SlotUpdate } from './backend.js';
import { checkFiniteGradients } from './check-finite-gradients.js';
import { collectGradients } from './collect-gradients.js';
import { createOptimizerSlots, type OptimizerGroup, type OptimizerSlot } from './create-optimizer-slots.js';
import { decodeStateDict } from './decode-state-dict.js';
import type { FloatArray } from './dtype.js';
import { ArgumentError, describeNames, describeValue, DisposedError, ParameterNameError, ReentrancyError, ShapeError } from './errors.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import type { GradientBuffer, OptimizerParameters, ParameterArray, ParameterName } from './optimizer-parameters.js';
import { planParameterGroups } from './plan-parameter-groups.js';
import type { RMSPropConfig } from './rmsprop-config.js';
import type { NonFiniteGradientPolicy, ParameterMap, RMSPropOptimizerOptions, StepOptions } from './rmsprop-optimizer-options.js';
import { encodeStateDict, type GroupStateSnapshot, type RMSPropStateDict } from './state-dict.js';

export type { NonFiniteGradientPolicy, ParameterGroup, ParameterMap, RMSPropOptimizerOptions, StepOptions } from './rmsprop-optimizer-options.js';

const STEP_OPTION_KEYS: readonly string[] = ['learningRate'];

/** `options` is an object of known step options only (their values are checked where they are used). */
function checkStepOptions(options: unknown): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ArgumentError('options', options, `an object { ${STEP_OPTION_KEYS.join(', ')} } or undefined`);
  }
  for (const key in options) {
    if (!STEP_OPTION_KEYS.includes(key)) {
      throw new ArgumentError(`options.${key}`, (options as Record<string, unknown>)[key], `a step option (${STEP_OPTION_KEYS.join(', ')})`);
    }
  }
}

/**
 * The RMSProp optimizer: named parameters in groups, one backend, atomic steps.
 *
 * ```ts
 * const { backend } = await registry.select();
 * const opt = new RMSPropOptimizer({ backend, params: { w, b }, learningRate: 0.01 });
 * opt.step({ w: gradW, b: gradB });
 * ```
 *
 * A step is atomic: every check (names, lengths, dtypes, the non-finite policy, the learning rate) runs
 * before anything is written, so a step that throws leaves parameters and state exactly as they were.
 *
 * A step runs user code (schedules, the getters of a gradients object): from there, `step`,
 * `loadStateDict`, `writeParameter` and `dispose` throw {@link ReentrancyError}, so the step applies the
 * gradients it was given and its count agrees with the state's. Reads (`readParameter`, `stateDict`,
 * `learningRates`) are allowed and see the state before the step.
 *
 * Its types follow the options it is made with: `Params`, the type of `params`; `Groups`, the types of
 * each group's `params` (a tuple where the groups are written out); `Backend`, the backend's type. So
 * `new RMSPropOptimizer({ backend, params: { w: new Float32Array(2) } })` takes the names `'w'` only, and
 * `parameter('w')` is a `Float32Array`; `gradientBuffer('w')` is one too where the backend's capabilities
 * type has `hostVisible: true` (the CPU backend's), and may be null otherwise. `RMSPropOptimizer` without
 * type arguments is any optimizer: names are strings, arrays `Float32Array | Float64Array`.
 */
export class RMSPropOptimizer<
  // `any` marks a type argument not given (see OptimizerParameters), and lets every optimizer be assigned
  // to `RMSPropOptimizer` without type arguments.
  Params extends ParameterMap = any,
  Backend extends RMSPropBackend = RMSPropBackend,
  Groups extends readonly ParameterMap[] | readonly [] = any,
> {
  readonly backend: Backend;
  readonly nonFiniteGradients: NonFiniteGradientPolicy;
  readonly #schedule: LearningRateSchedule | undefined;
  readonly #groups: OptimizerGroup[];
  readonly #slots = new Map<string, OptimizerSlot>();
  readonly #slotList: OptimizerSlot[];
  /** Each parameter's gradient buffer, for `step()` without gradients (null until first used). */
  #gradientBuffers: ReadonlyMap<string, FloatArray> | null = null;
  readonly #updates: SlotUpdate[] = [];
  /** Each slot's gradient in the step being taken (index i belongs to `#slotList[i]`), looked up once. */
  readonly #gradList: FloatArray[];
  #step = 0;
  #disposed = false;
  /** True while `step()` runs (it calls schedules and gradient getters: user code). */
  #stepping = false;

  constructor(options: RMSPropOptimizerOptions<Backend, Params, Groups>) {
    // Check everything before the backend allocates anything.
    const plan = planParameterGroups(options as RMSPropOptimizerOptions);
    this.backend = plan.backend as Backend;
    this.nonFiniteGradients = plan.nonFiniteGradients;
    this.#schedule = plan.schedule;
    const { groups, slots } = createOptimizerSlots(plan);
    this.#groups = groups;
    this.#slotList = slots;
    for (const slot of slots) {
      this.#slots.set(slot.name, slot);
      this.#updates.push(slot.update);
    }
    this.#gradList = new Array<FloatArray>(slots.length);
  }

  /** Steps taken so far (skipped steps do not count). */
  get stepCount(): number {
    return this.#step;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Parameter names, in group order. */
  get parameterNames(): ParameterName<OptimizerParameters<Params, Groups>>[] {
    return this.#slotList.map((s) => s.name as ParameterName<OptimizerParameters<Params, Groups>>);
  }

  /** Group names and their resolved configs. */
  get groups(): { name: string; config: Readonly<RMSPropConfig>; params: ParameterName<OptimizerParameters<Params, Groups>>[] }[] {
    return this.#groups.map((g) => ({ name: g.name, config: g.config, params: g.slots.map((s) => s.name as ParameterName<OptimizerParameters<Params, Groups>>) }));
  }

  /** The resolved config of the group that holds `name`. */
  configOf(name: ParameterName<OptimizerParameters<Params, Groups>>): Readonly<RMSPropConfig> {
    return this.#slot(name, 'configOf').group.config;
  }

  /**
   * The live parameter values: the array each step updates in place (your own array where the backend
   * adopted it). Throws where the backend keeps parameters off the host (use `readParameter`).
   */
  parameter<Name extends ParameterName<OptimizerParameters<Params, Groups>>>(name: Name): ParameterArray<OptimizerParameters<Params, Groups>, Name> {
    const slot = this.#slot(name, 'parameter');
    const view = slot.backendSlot.params;
    if (view === null) {
      throw new ArgumentError(
        'name',
        name,
        `a parameter with a host view; backend ${describeValue(this.backend.name)} keeps parameters in ${this.backend.capabilities.bufferLocation}: use readParameter()`,
      );
    }
    return view as ParameterArray<OptimizerParameters<Params, Groups>, Name>;
  }

  /** A copy of the parameter values (of the parameter's dtype), on any backend. */
  readParameter<Name extends ParameterName<OptimizerParameters<Params, Groups>>>(name: Name): ParameterArray<OptimizerParameters<Params, Groups>, Name> {
    return this.#slot(name, 'readParameter').backendSlot.readParams() as ParameterArray<OptimizerParameters<Params, Groups>, Name>;
  }

  /**
   * A copy of the parameter values, read asynchronously: works on every backend, including those whose
   * memory the host can only read asynchronously (tfjs on WebGPU), where `readParameter` throws.
   */
  async readParameterAsync<Name extends ParameterName<OptimizerParameters<Params, Groups>>>(name: Name): Promise<ParameterArray<OptimizerParameters<Params, Groups>, Name>> {
    const slot = this.#slot(name, 'readParameterAsync').backendSlot;
    return (slot.readParamsAsync === undefined ? slot.readParams() : slot.readParamsAsync()) as
      | ParameterArray<OptimizerParameters<Params, Groups>, Name>
      | Promise<ParameterArray<OptimizerParameters<Params, Groups>, Name>>;
  }

  /** Overwrite a parameter's values (length must match). */
  writeParameter(name: ParameterName<OptimizerParameters<Params, Groups>>, values: ArrayLike<number>): void {
    const slot = this.#slot(name, 'writeParameter');
    this.#checkNotStepping('writeParameter');
    if (values === null || typeof values !== 'object' || values.length !== slot.backendSlot.length) {
      throw new ShapeError(
        'LENGTH_MISMATCH',
        name,
        `values for parameter ${describeValue(name)} have length ${describeValue((values as ArrayLike<number> | null)?.length)}; expected ${slot.backendSlot.length}`,
      );
    }
    slot.backendSlot.writeParams(values);
  }

  /**
   * The backend's own gradient buffer for `name` (of the parameter's dtype), where it has one: write into it
   * and pass it to step() (or call step() without gradients) to avoid a copy. Null where the backend keeps
   * none (tfjs, gpu.js); typed non-null for a backend whose capabilities type has `hostVisible: true` (the
   * CPU backend).
   */
  gradientBuffer<Name extends ParameterName<OptimizerParameters<Params, Groups>>>(
    name: Name,
  ): GradientBuffer<Backend, ParameterArray<OptimizerParameters<Params, Groups>, Name>> {
    return this.#slot(name, 'gradientBuffer').backendSlot.grads as GradientBuffer<Backend, ParameterArray<OptimizerParameters<Params, Groups>, Name>>;
  }

  /** η each group would use at the next step (its schedule's value at t = stepCount + 1, else its config's). */
  learningRates(): number[] {
    this.#checkNotDisposed('learningRates');
    return this.#groups.map((g) => this.#learningRateOf(g, this.#step + 1, undefined));
  }

  /**
   * Take one step. `grads` maps every parameter name to a gradient of the same dtype and length: an
   * object, or a Map (for models with many parameters: a Map's names are checked without enumerating
   * its keys, about 35 ns less per parameter and step). Without `grads` (or with `undefined`), each
   * parameter's `gradientBuffer(name)` is its gradient: write the gradients there and nothing is copied (a
   * backend without gradient buffers, tfjs or gpu.js, needs `grads`). `options`, where given, is an object
   * of {@link StepOptions} fields only. Returns true when the step was applied, false when it was skipped
   * under the 'skip' policy. Typed, an object must name every parameter, each with an array of its dtype.
   */
  step(
    grads?:
      | { readonly [Name in ParameterName<OptimizerParameters<Params, Groups>>]: ParameterArray<OptimizerParameters<Params, Groups>, Name> }
      | ReadonlyMap<string, FloatArray>,
    options?: StepOptions,
  ): boolean {
    this.#checkNotDisposed('step');
    this.#checkNotStepping('step');
    this.#stepping = true;
    try {
      return this.#takeStep(grads as Readonly<Record<string, FloatArray>> | ReadonlyMap<string, FloatArray> | undefined, options);
    } finally {
      this.#stepping = false;
    }
  }

  /** `step()`'s work, while `#stepping` refuses re-entry. */
  #takeStep(grads: Readonly<Record<string, FloatArray>> | ReadonlyMap<string, FloatArray> | undefined, options: StepOptions | undefined): boolean {
    // 1. Names, dtypes and lengths.
    const slots = this.#slotList;
    const gradList = this.#gradList;
    collectGradients(grads === undefined ? this.#ownGradients() : grads, slots, this.#slots, gradList);
    // 2. Learning rates.
    if (options !== undefined) checkStepOptions(options);
    const override = options?.learningRate;
    if (override !== undefined && !(typeof override === 'number' && Number.isFinite(override) && override >= 0)) {
      throw new ArgumentError('options.learningRate', override, 'a finite number ≥ 0');
    }
    const t = this.#step + 1;
    const groups = this.#groups;
    const fixed = override === undefined && this.#schedule === undefined;
    // One pass over the slots, group by group (the slot list's order): η, t and the gradient go into each
    // slot's update object. Only those internal objects are written before the backend's step.
    let k = 0;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      const slots = group.slots;
      // η of the config, read and stored here: a number returned by a call that V8 does not inline is
      // boxed, a heap allocation per step.
      const learningRate = fixed && group.schedule === undefined ? group.config.learningRate : this.#learningRateOf(group, t, override);
      for (let j = 0; j < slots.length; j++) {
        const slot = slots[j];
        const update = slot.update;
        update.hyper.learningRate = learningRate;
        update.hyper.step = slot.step + 1;
        update.grads = gradList[k++];
      }
    }
    // 3. Non-finite gradients.
    const policy = this.nonFiniteGradients;
    if (policy !== 'propagate' && !checkFiniteGradients(this.backend, slots, gradList, policy)) return false;
    // 4. Apply. Nothing above wrote parameters or state.
    this.backend.step(this.#updates);
    for (let i = 0; i < slots.length; i++) slots[i].step += 1;
    this.#step = t;
    return true;
  }

  /** Every parameter's gradient buffer by name (made once: the buffers stay the same until dispose). */
  #ownGradients(): ReadonlyMap<string, FloatArray> {
    if (this.#gradientBuffers === null) {
      const buffers = new Map<string, FloatArray>();
      for (const slot of this.#slotList) {
        const buffer = slot.backendSlot.grads;
        if (buffer === null) {
          throw new ArgumentError(
            'grads',
            undefined,
            `gradients by parameter name: backend ${describeValue(this.backend.name)} has no gradient buffers (gradientBuffer(${describeValue(slot.name)}) is null), so step() needs them passed`,
          );
        }
        buffers.set(slot.name, buffer);
      }
      this.#gradientBuffers = buffers;
    }
    return this.#gradientBuffers;
  }

  /** The optimizer state in the portable `rmsprop-state/1` format. */
  stateDict(): RMSPropStateDict {
    this.#checkNotDisposed('stateDict');
    return this.#encodeStateDict(
      this.#slotList.map((slot) => slot.backendSlot.readState()),
      this.#step,
      this.#slotList.map((slot) => slot.step),
    );
  }

  /**
   * `stateDict()` with the state read asynchronously: works on every backend, including those whose memory
   * the host can only read asynchronously (tfjs on WebGPU). Every read starts when this is called, and the
   * step counts are taken then, so the result is the state as it was at the call.
   */
  async stateDictAsync(): Promise<RMSPropStateDict> {
    this.#checkNotDisposed('stateDictAsync');
    const step = this.#step;
    const slotSteps = this.#slotList.map((slot) => slot.step);
    const states = await Promise.all(
      this.#slotList.map((slot) => (slot.backendSlot.readStateAsync === undefined ? slot.backendSlot.readState() : slot.backendSlot.readStateAsync())),
    );
    return this.#encodeStateDict(states, step, slotSteps);
  }

  /** The state dict of the slots' states and step counts (index i belongs to `#slotList[i]`). */
  #encodeStateDict(states: readonly SlotState[], step: number, slotSteps: readonly number[]): RMSPropStateDict {
    let i = 0;
    const groups = this.#groups.map((g): GroupStateSnapshot => ({
      name: g.name,
      config: g.config,
      params: g.slots.map((slot) => {
        const k = i++;
        return { name: slot.name, dtype: slot.backendSlot.dtype, length: slot.backendSlot.length, step: slotSteps[k], state: states[k] };
      }),
    }));
    return encodeStateDict(step, groups);
  }

  /**
   * Load a state dict saved by any backend. It must have the same parameter names in the same groups with
   * the same lengths; each group's config is taken from the dict (as PyTorch does), and must keep the same
   * state buffers (centered and momentum > 0 as now). Everything is checked before anything is written.
   * Values saved in float64 and loaded into float32 are rounded to nearest; a finite value the parameter's
   * dtype cannot hold (1e39 into float32) and a negative meanSquare are refused. NaN and ±Infinity, saved
   * as "NaN", "Infinity", "-Infinity", load as they are (state a 'propagate' step left), except −∞ in
   * meanSquare.
   */
  loadStateDict(dict: RMSPropStateDict): void {
    this.#checkNotDisposed('loadStateDict');
    this.#checkNotStepping('loadStateDict');
    const decoded = decodeStateDict(
      dict,
      this.#groups.map((g) => ({ config: g.config, params: g.slots.map((slot) => ({ name: slot.name, length: slot.backendSlot.length, dtype: slot.backendSlot.dtype })) })),
    );
    // Everything checked: write.
    this.#groups.forEach((group, gi) => {
      group.config = decoded.configs[gi];
    });
    this.#slotList.forEach((slot, i) => {
      const d = decoded.parameters[i];
      slot.backendSlot.writeState(d.state);
      slot.step = d.step;
      slot.update.hyper.config = slot.group.config;
    });
    this.#step = decoded.step;
  }

  /** Free the backend's buffers for these parameters. Later calls throw {@link DisposedError}. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#checkNotStepping('dispose');
    this.#disposed = true;
    // The cached gradient-buffer views go too: a backend that frees a block only once no view of it is
    // reachable (the WebAssembly arena) gets it back while a disposed optimizer is still referenced.
    this.#gradientBuffers = null;
    for (const slot of this.#slotList) slot.backendSlot.dispose();
  }

  #learningRateOf(group: OptimizerGroup, t: number, override: number | undefined): number {
    if (override !== undefined) return override;
    const schedule = group.schedule ?? this.#schedule;
    if (schedule === undefined) return group.config.learningRate;
    const value = schedule(t);
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ArgumentError(`schedule(${t}) for group ${describeValue(group.name)}`, value, 'a finite number ≥ 0');
    }
    return value;
  }

  #slot(name: string, operation: string): OptimizerSlot {
    this.#checkNotDisposed(operation);
    const slot = this.#slots.get(name);
    if (slot === undefined) {
      throw new ParameterNameError('UNKNOWN_PARAMETER', name, `unknown parameter ${describeValue(name)}; known parameters: ${describeNames(this.parameterNames)}`);
    }
    return slot;
  }

  #checkNotStepping(operation: string): void {
    if (this.#stepping) throw new ReentrancyError('RMSPropOptimizer', operation, 'step', 'from a schedule or a gradient getter');
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('this RMSPropOptimizer', operation);
  }
}

