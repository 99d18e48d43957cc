import type { BackendSlot, RMSPropBackend, SlotRequest, SlotState, SlotUpdate } from './backend.js';
import { dtypeOf, type FloatArray } from './dtype.js';
import {
  ArgumentError,
  describeValue,
  DisposedError,
  NonFiniteGradientError,
  ParameterNameError,
  ShapeError,
  StateDictError,
} from './errors.js';
import { findNonFinite } from './find-non-finite.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { CONFIG_FIELDS, SPEC_VERSION, type RMSPropConfig } from './rmsprop-config.js';
import {
  decodeNumber,
  encodeNumbers,
  STATE_DICT_FORMAT,
  type ParameterStateEntry,
  type RMSPropStateDict,
} from './state-dict.js';
import { resolveConfig } from './validate-config.js';

/** What to do with a NaN or ±Infinity in a gradient. */
export type NonFiniteGradientPolicy = 'error' | 'skip' | 'propagate';

/** Parameters by name. */
export type ParameterMap = Readonly<Record<string, FloatArray>>;

/** A group of parameters with its own config overrides and schedule. */
export interface ParameterGroup extends Partial<RMSPropConfig> {
  /** A name for messages and the state dict (default `group0`, `group1`, …). */
  name?: string;
  params: ParameterMap;
  /** η per step for this group; overrides the optimizer's schedule. */
  schedule?: LearningRateSchedule;
}

export interface RMSPropOptimizerOptions extends Partial<RMSPropConfig> {
  /** A ready backend (see `BackendRegistry.select`). The optimizer does not dispose it. */
  backend: RMSPropBackend;
  /** The parameters, as one group. Give either `params` or `groups`. */
  params?: ParameterMap;
  /** Parameter groups with per-group overrides of the config fields above. */
  groups?: readonly ParameterGroup[];
  /** η per step, as a function of t (1-based); overrides `learningRate`. */
  schedule?: LearningRateSchedule;
  /** Default 'error'. */
  nonFiniteGradients?: NonFiniteGradientPolicy;
  /**
   * Let the backend update the given typed arrays in place where it can adopt them (default true). Either
   * way, `parameter(name)` returns the array that holds the live values.
   */
  inPlace?: boolean;
}

/** Per-step options. */
export interface StepOptions {
  /** η for this step for every group, overriding schedules and configs. */
  learningRate?: number;
}

interface Group {
  readonly name: string;
  config: Readonly<RMSPropConfig>;
  readonly schedule: LearningRateSchedule | undefined;
  readonly slots: Slot[];
}

interface MutableHyper {
  config: Readonly<RMSPropConfig>;
  learningRate: number;
  step: number;
}

interface Slot {
  readonly name: string;
  readonly group: Group;
  readonly backendSlot: BackendSlot;
  step: number;
  readonly update: { slot: BackendSlot; grads: FloatArray; hyper: MutableHyper };
}

const NON_FINITE_POLICIES: readonly NonFiniteGradientPolicy[] = ['error', 'skip', 'propagate'];
const GROUP_KEYS = new Set(['name', 'params', 'schedule']);
const OPTION_KEYS = new Set(['backend', 'params', 'groups', 'schedule', 'nonFiniteGradients', 'inPlace']);

function pickConfig(source: object, ignore: Set<string>, where: string): Partial<RMSPropConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (ignore.has(key)) continue;
    if (!(CONFIG_FIELDS as readonly string[]).includes(key)) {
      throw new ArgumentError(`${where}.${key}`, value, `a config field (${CONFIG_FIELDS.join(', ')}) or one of ${[...ignore].join(', ')}`);
    }
    out[key] = value;
  }
  return out as Partial<RMSPropConfig>;
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
 */
export class RMSPropOptimizer {
  readonly backend: RMSPropBackend;
  readonly nonFiniteGradients: NonFiniteGradientPolicy;
  readonly #schedule: LearningRateSchedule | undefined;
  readonly #groups: Group[] = [];
  readonly #slots = new Map<string, Slot>();
  readonly #slotList: Slot[] = [];
  readonly #updates: SlotUpdate[] = [];
  /** Each slot's gradient in the step being taken (index i belongs to `#slotList[i]`), looked up once. */
  readonly #gradList: FloatArray[];
  #step = 0;
  #disposed = false;

  constructor(options: RMSPropOptimizerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError('options', options, 'an object with a backend and params or groups');
    }
    const { backend } = options;
    if (backend === null || typeof backend !== 'object' || typeof backend.createSlot !== 'function') {
      throw new ArgumentError('options.backend', backend, 'a ready RMSPropBackend (from BackendRegistry.select)');
    }
    if (backend.specVersion !== SPEC_VERSION) {
      throw new ArgumentError('options.backend.specVersion', backend.specVersion, `'${SPEC_VERSION}'`);
    }
    this.backend = backend;
    const policy = options.nonFiniteGradients ?? 'error';
    if (!NON_FINITE_POLICIES.includes(policy)) {
      throw new ArgumentError('options.nonFiniteGradients', policy, "'error', 'skip' or 'propagate'");
    }
    this.nonFiniteGradients = policy;
    if (options.schedule !== undefined && typeof options.schedule !== 'function') {
      throw new ArgumentError('options.schedule', options.schedule, 'a function of the step t returning η');
    }
    this.#schedule = options.schedule;
    const inPlace = options.inPlace ?? true;
    const base = pickConfig(options, OPTION_KEYS, 'options');
    resolveConfig(base, { nesterov: false }); // reports a bad optimizer-level field under its own name (nesterov is checked per group)

    let groupSpecs: readonly ParameterGroup[];
    if (options.groups !== undefined) {
      if (options.params !== undefined) throw new ArgumentError('options.params', options.params, 'absent when options.groups is given');
      if (!Array.isArray(options.groups) || options.groups.length === 0) {
        throw new ArgumentError('options.groups', options.groups, 'a non-empty array of parameter groups');
      }
      groupSpecs = options.groups;
    } else {
      if (options.params === undefined) throw new ArgumentError('options.params', undefined, 'an object of named typed arrays (or options.groups)');
      groupSpecs = [{ params: options.params }];
    }

    // Check everything before the backend allocates anything.
    const plans: { name: string; config: Readonly<RMSPropConfig>; schedule?: LearningRateSchedule; params: [string, FloatArray][] }[] = [];
    const seen = new Set<string>();
    groupSpecs.forEach((spec, index) => {
      const where = `options.groups[${index}]`;
      if (spec === null || typeof spec !== 'object') throw new ArgumentError(where, spec, 'a parameter group object');
      const name = spec.name ?? `group${index}`;
      const overrides = pickConfig(spec, GROUP_KEYS, where);
      const config = resolveConfig(base, overrides);
      if (spec.schedule !== undefined && typeof spec.schedule !== 'function') {
        throw new ArgumentError(`${where}.schedule`, spec.schedule, 'a function of the step t returning η');
      }
      if (spec.params === null || typeof spec.params !== 'object') {
        throw new ArgumentError(`${where}.params`, spec.params, 'an object of named typed arrays');
      }
      const params: [string, FloatArray][] = [];
      for (const [pname, values] of Object.entries(spec.params)) {
        if (seen.has(pname)) {
          throw new ParameterNameError('UNKNOWN_PARAMETER', pname, `parameter "${pname}" is given twice; each name may appear in one group only`);
        }
        seen.add(pname);
        const dtype = dtypeOf(values);
        if (dtype === undefined) {
          throw new ShapeError('DTYPE_MISMATCH', pname, `parameter "${pname}" is ${describeValue(values)}; expected a Float32Array or Float64Array`);
        }
        if (!backend.capabilities.dtypes.includes(dtype)) {
          throw new ShapeError(
            'DTYPE_MISMATCH',
            pname,
            `parameter "${pname}" is ${dtype}, which backend "${backend.name}" does not support here; it supports ${backend.capabilities.dtypes.join(', ')}`,
          );
        }
        params.push([pname, values]);
      }
      plans.push({ name, config, schedule: spec.schedule, params });
    });

    const requests: SlotRequest[] = [];
    for (const plan of plans) {
      for (const [name, values] of plan.params) {
        requests.push({
          name,
          dtype: dtypeOf(values)!,
          length: values.length,
          values,
          adopt: inPlace,
          state: {
            meanGrad: plan.config.centered,
            momentum: plan.config.momentum > 0,
            initialMeanSquare: plan.config.initialMeanSquare,
          },
        });
      }
    }
    const backendSlots = createAllSlots(backend, requests);
    let k = 0;
    for (const plan of plans) {
      const group: Group = { name: plan.name, config: plan.config, schedule: plan.schedule, slots: [] };
      this.#groups.push(group);
      for (const [name, values] of plan.params) {
        const backendSlot = backendSlots[k++];
        const hyper: MutableHyper = { config: plan.config, learningRate: plan.config.learningRate, step: 0 };
        const slot: Slot = { name, group, backendSlot, step: 0, update: { slot: backendSlot, grads: values, hyper } };
        group.slots.push(slot);
        this.#slots.set(name, slot);
        this.#slotList.push(slot);
        this.#updates.push(slot.update);
      }
    }
    this.#gradList = new Array<FloatArray>(requests.length);
  }

  /** Steps taken so far (skipped steps do not count). */
  get stepCount(): number {
    return this.#step;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  /** Parameter names, in group order. */
  get parameterNames(): string[] {
    return this.#slotList.map((s) => s.name);
  }

  /** Group names and their resolved configs. */
  get groups(): { name: string; config: Readonly<RMSPropConfig>; params: string[] }[] {
    return this.#groups.map((g) => ({ name: g.name, config: g.config, params: g.slots.map((s) => s.name) }));
  }

  /** The resolved config of the group that holds `name`. */
  configOf(name: string): Readonly<RMSPropConfig> {
    return this.#slot(name, 'configOf').group.config;
  }

  /**
   * The live parameter values: the array each step updates in place (your own array where the backend
   * adopted it). Throws where the backend keeps parameters off the host (use `readParameter`).
   */
  parameter(name: string): FloatArray {
    const slot = this.#slot(name, 'parameter');
    const view = slot.backendSlot.params;
    if (view === null) {
      throw new ArgumentError(
        'name',
        name,
        `a parameter with a host view; backend "${this.backend.name}" keeps parameters in ${this.backend.capabilities.bufferLocation}: use readParameter()`,
      );
    }
    return view;
  }

  /** A copy of the parameter values, on any backend. */
  readParameter(name: string): FloatArray {
    return this.#slot(name, 'readParameter').backendSlot.readParams();
  }

  /**
   * A copy of the parameter values, read asynchronously: works on every backend, including those whose
   * memory the host can only read asynchronously (tfjs on WebGPU), where `readParameter` throws.
   */
  async readParameterAsync(name: string): Promise<FloatArray> {
    const slot = this.#slot(name, 'readParameterAsync').backendSlot;
    return slot.readParamsAsync === undefined ? slot.readParams() : slot.readParamsAsync();
  }

  /** Overwrite a parameter's values (length must match). */
  writeParameter(name: string, values: ArrayLike<number>): void {
    const slot = this.#slot(name, 'writeParameter');
    if (values === null || typeof values !== 'object' || values.length !== slot.backendSlot.length) {
      throw new ShapeError(
        'LENGTH_MISMATCH',
        name,
        `values for parameter "${name}" have length ${describeValue((values as ArrayLike<number> | null)?.length)}; expected ${slot.backendSlot.length}`,
      );
    }
    slot.backendSlot.writeParams(values);
  }

  /** The backend's own gradient buffer for `name`, where it has one: write into it and pass it to step() to avoid a copy. */
  gradientBuffer(name: string): FloatArray | null {
    return this.#slot(name, 'gradientBuffer').backendSlot.grads;
  }

  /** η each group would use at the next step (its schedule's value at t = stepCount + 1, else its config's). */
  learningRates(): number[] {
    this.#checkNotDisposed('learningRates');
    return this.#groups.map((g) => this.#learningRateOf(g, this.#step + 1, undefined));
  }

  /**
   * Take one step. `grads` maps every parameter name to a gradient of the same dtype and length: an
   * object, or a Map (for models with many parameters: a Map's names are checked without enumerating
   * its keys, about 35 ns less per parameter and step). Returns true when the step was applied, false when it was skipped under the 'skip' policy.
   */
  step(grads: Readonly<Record<string, FloatArray>> | ReadonlyMap<string, FloatArray>, options?: StepOptions): boolean {
    this.#checkNotDisposed('step');
    if (grads === null || typeof grads !== 'object') {
      throw new ArgumentError('grads', grads, 'an object or Map mapping each parameter name to its gradient');
    }
    // 1. Names, dtypes and lengths. A Map with one entry per parameter, each found, has no unknown name:
    // its keys are counted in O(1). An object's keys are enumerated (about 35 ns each).
    const map = grads instanceof Map ? (grads as ReadonlyMap<string, FloatArray>) : null;
    const record = grads as Readonly<Record<string, FloatArray>>;
    if (map === null || map.size > this.#slotList.length) this.#checkNoUnknownNames(map ?? record);
    const slots = this.#slotList;
    const gradList = this.#gradList;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      const g = map === null ? record[slot.name] : map.get(slot.name);
      gradList[i] = g!;
      if (g === undefined) {
        // An unknown name (a typo) explains a missing one best: report it first.
        if (map !== null) this.#checkNoUnknownNames(map);
        throw new ParameterNameError('MISSING_PARAMETER', slot.name, `no gradient given for parameter "${slot.name}"; every parameter needs one each step`);
      }
      const dtype = dtypeOf(g);
      if (dtype !== slot.backendSlot.dtype) {
        throw new ShapeError(
          'DTYPE_MISMATCH',
          slot.name,
          `gradient of "${slot.name}" is ${dtype ?? describeValue(g)}; expected ${slot.backendSlot.dtype} (the parameter's dtype)`,
        );
      }
      if (g.length !== slot.backendSlot.length) {
        throw new ShapeError('LENGTH_MISMATCH', slot.name, `gradient of "${slot.name}" has length ${g.length}; expected ${slot.backendSlot.length}`);
      }
    }
    // 2. Learning rates.
    const override = options?.learningRate;
    if (override !== undefined && !(typeof override === 'number' && Number.isFinite(override) && override >= 0)) {
      throw new ArgumentError('options.learningRate', override, 'a finite number ≥ 0');
    }
    const t = this.#step + 1;
    const groups = this.#groups;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      const slots = group.slots;
      if (override === undefined && group.schedule === undefined && this.#schedule === undefined) {
        // η of the config, read and stored here: a number returned by a call that V8 does not inline is
        // boxed, a heap allocation per step.
        const learningRate = group.config.learningRate;
        for (let j = 0; j < slots.length; j++) slots[j].update.hyper.learningRate = learningRate;
      } else {
        const learningRate = this.#learningRateOf(group, t, override);
        for (let j = 0; j < slots.length; j++) slots[j].update.hyper.learningRate = learningRate;
      }
    }
    // 3. Non-finite gradients.
    if (this.nonFiniteGradients !== 'propagate') {
      const backend = this.backend;
      for (let i = 0; i < slots.length; i++) {
        const g = gradList[i];
        const j = backend.findNonFinite === undefined ? findNonFinite(g) : backend.findNonFinite(slots[i].backendSlot, g);
        if (j >= 0) {
          if (this.nonFiniteGradients === 'skip') return false;
          throw new NonFiniteGradientError(slots[i].name, j, g[j]);
        }
      }
    }
    // 4. Apply. Nothing above wrote anything.
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      slot.update.grads = gradList[i];
      slot.update.hyper.step = slot.step + 1;
    }
    this.backend.step(this.#updates);
    for (let i = 0; i < slots.length; i++) slots[i].step += 1;
    this.#step = t;
    return true;
  }

  /** Throws UNKNOWN_PARAMETER for the first key of `grads` that names no parameter. */
  #checkNoUnknownNames(grads: Readonly<Record<string, FloatArray>> | ReadonlyMap<string, FloatArray>): void {
    const check = (key: unknown) => {
      if (typeof key === 'string' && this.#slots.has(key)) return;
      throw new ParameterNameError(
        'UNKNOWN_PARAMETER',
        String(key),
        `gradient given for unknown parameter "${String(key)}"; known parameters: ${this.parameterNames.join(', ')}`,
      );
    };
    if (grads instanceof Map) for (const key of grads.keys()) check(key);
    else for (const key in grads) check(key);
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
    const state: Record<string, ParameterStateEntry> = {};
    this.#slotList.forEach((slot, i) => {
      const s = states[i];
      const entry: ParameterStateEntry = {
        dtype: slot.backendSlot.dtype,
        length: slot.backendSlot.length,
        step: slotSteps[i],
        meanSquare: encodeNumbers(s.meanSquare),
      };
      if (s.meanGrad !== null) entry.meanGrad = encodeNumbers(s.meanGrad);
      if (s.momentum !== null) entry.momentum = encodeNumbers(s.momentum);
      state[slot.name] = entry;
    });
    return {
      format: STATE_DICT_FORMAT,
      specVersion: SPEC_VERSION,
      step,
      groups: this.#groups.map((g) => ({ name: g.name, config: { ...g.config }, params: g.slots.map((s) => s.name) })),
      state,
    };
  }


  /**
   * Load a state dict saved by any backend. It must have the same parameter names in the same groups with
   * the same lengths; each group's config is taken from the dict (as PyTorch does), and must keep the same
   * state buffers (centered and momentum > 0 as now). Everything is checked before anything is written.
   * Values saved in float64 and loaded into float32 are rounded to nearest.
   */
  loadStateDict(dict: RMSPropStateDict): void {
    this.#checkNotDisposed('loadStateDict');
    const fail = (path: string, message: string): never => {
      throw new StateDictError(path, message);
    };
    if (dict === null || typeof dict !== 'object') fail('', `is ${describeValue(dict)}; expected an object`);
    if (dict.format !== STATE_DICT_FORMAT) fail('.format', `is ${describeValue(dict.format)}; expected "${STATE_DICT_FORMAT}"`);
    if (dict.specVersion !== SPEC_VERSION) fail('.specVersion', `is ${describeValue(dict.specVersion)}; expected "${SPEC_VERSION}"`);
    if (!Number.isInteger(dict.step) || dict.step < 0) fail('.step', `is ${describeValue(dict.step)}; expected an integer ≥ 0`);
    if (!Array.isArray(dict.groups) || dict.groups.length !== this.#groups.length) {
      fail('.groups', `has ${Array.isArray(dict.groups) ? dict.groups.length : describeValue(dict.groups)} groups; expected ${this.#groups.length}`);
    }
    const configs: Readonly<RMSPropConfig>[] = [];
    this.#groups.forEach((group, gi) => {
      const saved = dict.groups[gi];
      const path = `.groups[${gi}]`;
      if (saved === null || typeof saved !== 'object') fail(path, `is ${describeValue(saved)}; expected a group object`);
      const names = group.slots.map((s) => s.name);
      if (!Array.isArray(saved.params) || saved.params.length !== names.length || saved.params.some((n, i) => n !== names[i])) {
        fail(`${path}.params`, `is ${JSON.stringify(saved.params)}; expected ${JSON.stringify(names)}`);
      }
      if (saved.config === null || typeof saved.config !== 'object') {
        fail(`${path}.config`, `is ${describeValue(saved.config)}; expected an object with every RMSPropConfig field`);
      }
      const missing = CONFIG_FIELDS.filter((field) => !(field in saved.config));
      if (missing.length > 0) fail(`${path}.config`, `lacks ${missing.join(', ')}; a saved config lists every RMSPropConfig field`);
      let config: Readonly<RMSPropConfig>;
      try {
        config = resolveConfig(saved.config);
      } catch (error) {
        return fail(`${path}.config`, (error as Error).message);
      }
      if (config.centered !== group.config.centered || config.momentum > 0 !== group.config.momentum > 0) {
        fail(
          `${path}.config`,
          `needs state buffers (centered ${config.centered}, momentum ${config.momentum}) that differ from this optimizer's ` +
            `(centered ${group.config.centered}, momentum ${group.config.momentum}); create the optimizer with the same centered and momentum settings`,
        );
      }
      configs.push(config);
    });
    if (dict.state === null || typeof dict.state !== 'object') fail('.state', `is ${describeValue(dict.state)}; expected an object keyed by parameter name`);
    for (const key of Object.keys(dict.state)) {
      if (!this.#slots.has(key)) fail(`.state["${key}"]`, `is for a parameter this optimizer does not have`);
    }
    const decoded: { slot: Slot; step: number; meanSquare: Float64Array; meanGrad: Float64Array | null; momentum: Float64Array | null }[] = [];
    for (const slot of this.#slotList) {
      const path = `.state["${slot.name}"]`;
      const entry = dict.state[slot.name];
      if (entry === undefined || entry === null || typeof entry !== 'object') fail(path, 'is missing');
      const length = slot.backendSlot.length;
      if (entry.length !== length) fail(`${path}.length`, `is ${describeValue(entry.length)}; expected ${length}`);
      if (entry.dtype !== 'float32' && entry.dtype !== 'float64') fail(`${path}.dtype`, `is ${describeValue(entry.dtype)}; expected "float32" or "float64"`);
      if (!Number.isInteger(entry.step) || entry.step < 0) fail(`${path}.step`, `is ${describeValue(entry.step)}; expected an integer ≥ 0`);
      const config = configs[this.#groups.indexOf(slot.group)];
      const read = (field: 'meanSquare' | 'meanGrad' | 'momentum', wanted: boolean): Float64Array | null => {
        const values = entry[field];
        if (!wanted) {
          if (values !== undefined) fail(`${path}.${field}`, `is present but the group's config has no ${field} state`);
          return null;
        }
        if (!Array.isArray(values) || values.length !== length) {
          fail(`${path}.${field}`, `is ${describeValue(values)}; expected an array of ${length} numbers`);
        }
        const out = new Float64Array(length);
        for (let i = 0; i < length; i++) {
          const x = decodeNumber(values![i]);
          if (x === undefined) fail(`${path}.${field}[${i}]`, `is ${describeValue(values![i])}; expected a number or "NaN", "Infinity", "-Infinity"`);
          out[i] = x!;
        }
        return out;
      };
      decoded.push({
        slot,
        step: entry.step,
        meanSquare: read('meanSquare', true)!,
        meanGrad: read('meanGrad', config.centered),
        momentum: read('momentum', config.momentum > 0),
      });
    }
    // Everything checked: write.
    this.#groups.forEach((group, gi) => {
      group.config = configs[gi];
    });
    for (const d of decoded) {
      d.slot.backendSlot.writeState({ meanSquare: d.meanSquare, meanGrad: d.meanGrad, momentum: d.momentum });
      d.slot.step = d.step;
      d.slot.update.hyper.config = d.slot.group.config;
    }
    this.#step = dict.step;
  }

  /** Free the backend's buffers for these parameters. Later calls throw {@link DisposedError}. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const slot of this.#slotList) slot.backendSlot.dispose();
  }

  #learningRateOf(group: Group, t: number, override: number | undefined): number {
    if (override !== undefined) return override;
    const schedule = group.schedule ?? this.#schedule;
    if (schedule === undefined) return group.config.learningRate;
    const value = schedule(t);
    if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new ArgumentError(`schedule(${t}) for group "${group.name}"`, value, 'a finite number ≥ 0');
    }
    return value;
  }

  #slot(name: string, operation: string): Slot {
    this.#checkNotDisposed(operation);
    const slot = this.#slots.get(name);
    if (slot === undefined) {
      throw new ParameterNameError('UNKNOWN_PARAMETER', name, `unknown parameter "${name}"; known parameters: ${this.parameterNames.join(', ')}`);
    }
    return slot;
  }

  #checkNotDisposed(operation: string): void {
    if (this.#disposed) throw new DisposedError('this RMSPropOptimizer', operation);
  }
}


/**
 * The backend's slots for `requests`, in order: through `createSlots` where the backend has it (one
 * layout for all), else one `createSlot` each. All or none: where one fails, those made are disposed.
 */
function createAllSlots(backend: RMSPropBackend, requests: readonly SlotRequest[]): BackendSlot[] {
  if (typeof backend.createSlots === 'function') {
    const slots = backend.createSlots(requests);
    if (!Array.isArray(slots) || slots.length !== requests.length) {
      throw new TypeError(`backend "${backend.name}": createSlots returned ${Array.isArray(slots) ? `${slots.length} slots` : String(slots)} for ${requests.length} requests`);
    }
    return slots;
  }
  const slots: BackendSlot[] = [];
  try {
    for (const request of requests) slots.push(backend.createSlot(request));
  } catch (error) {
    for (const slot of slots) slot.dispose();
    throw error;
  }
  return slots;
}
