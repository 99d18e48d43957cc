import {
  ArgumentError,
  CONFIG_FIELDS,
  describeValue,
  DisposedError,
  ReentrancyError,
  initialState,
  mapStateBuffers,
  resolveConfig,
  checkRepresentable,
  ShapeError,
  STATE_BUFFER_NAMES,
  StateDictError,
  type LearningRateSchedule,
  type RMSPropConfig,
  type StateArrays,
  type StateBufferName,
} from '@rmsprop/core';
import {
  dispose,
  engine,
  getBackend,
  fill,
  Optimizer,
  serialization,
  Tensor,
  variable,
  zerosLike,
  type NamedTensorMap,
  type Variable,
} from '@tensorflow/tfjs-core';
import { stateVariables } from './tfjs-slot.js';
import { flushesSubnormals } from './flushes-subnormals.js';
import { tidyKeep } from './tidy-keep.js';
import { rmspropUpdate, type UpdateOutputs } from './tfjs-update.js';

/** A tensor with a name, as tfjs optimizers take and report them. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** Options of {@link RMSPropTfjsOptimizer}: any spec fields (a preset's output works as is) and a schedule. */
export interface RMSPropTfjsOptimizerOptions extends Partial<RMSPropConfig> {
  /** η per step as a function of t (1-based, counted by `iterations`); overrides `learningRate`. Not serialised. */
  schedule?: LearningRateSchedule;
}

/**
 * One variable's optimizer state: each state buffer by name (`STATE_BUFFERS`), null where the config keeps
 * none — v (`{name}/rms` in tfjs's layout), m (`{name}/mg`, centered only), b (`{name}/momentum`,
 * momentum > 0 only) — and t.
 */
type VariableState = StateArrays<Variable> & {
  /** t for this variable: the steps it has taken (bias correction counts per variable). */
  step: number;
};

/**
 * The suffixes of tfjs's optimizer-weight names, and the state buffer each holds: tf.train.rmsprop's layout,
 * so it names tfjs's buffers explicitly (a state buffer tfjs does not have is not in its checkpoints).
 */
const SUFFIXES = { '/rms': 'meanSquare', '/momentum': 'momentum', '/mg': 'meanGrad' } as const satisfies Record<string, StateBufferName>;

/** The largest iteration count tfjs's `iter` weight holds (an int32 scalar). */
const MAX_ITERATIONS = 2 ** 31 - 1;

/** The most names an error message lists. */
const MAX_LISTED_NAMES = 10;

let registered = false;

/**
 * Registers {@link RMSPropTfjsOptimizer} with `tf.serialization`, so a model saved with it can be loaded
 * (its className is `RMSPropSpec`). Constructing the optimizer registers it too; call this when you load
 * before you construct. Idempotent.
 */
export function registerRMSPropTfjsOptimizer(): void {
  if (registered) return;
  serialization.registerClass(RMSPropTfjsOptimizer);
  registered = true;
}

/**
 * A drop-in `tf.Optimizer` that runs the spec's RMSProp: every switch and preset of @rmsprop/core, the
 * centered mode without tfjs-core's NaN, state kept by variable name (the set of variables may change from
 * step to step), and the update as few tfjs ops inside one tidy per step (no tensors leak).
 *
 * ```ts
 * model.compile({ optimizer: new RMSPropTfjsOptimizer(tfjsPreset({ learningRate: 0.01 })), loss: 'meanSquaredError' });
 * ```
 *
 * `getWeights()`/`setWeights()` use tf.train.rmsprop's layout — `iter`, then `{var}/rms` for every
 * variable, `{var}/momentum` for every variable, and `{var}/mg` when centered — so checkpoints move both
 * ways; `setWeights` reads them by name, not by position, and a variable whose name has no loaded state
 * takes it as tfjs-layers' model loading and tfjs's optimizers do (see `setWeights`). The momentum buffer holds η·u sums when
 * `learningRateInMomentum` (tfjs, Keras, optax) and u sums otherwise (PyTorch): load tfjs checkpoints into
 * an optimizer made with the tfjs preset.
 *
 * Gradients are applied as given: a NaN or ±∞ gradient propagates (tfjs optimizers do not check).
 */
export class RMSPropTfjsOptimizer extends Optimizer {
  /** The name tf.serialization knows this class by. */
  static get className(): string {
    return 'RMSPropSpec';
  }

  /** The resolved spec config. */
  readonly config: Readonly<RMSPropConfig>;
  readonly schedule: LearningRateSchedule | undefined;
  readonly #state = new Map<string, VariableState>();
  /** Variables whose state `setWeights` loaded and no step has used yet, in the weights' order (see `#claimLoadedState`). */
  readonly #unclaimed = new Set<string>();
  /** How many variables the last `setWeights` loaded state for. */
  #loadedCount = 0;
  /** Zero tensors reported as `{var}/momentum` when momentum is off (tfjs's layout always has one). */
  readonly #zeroMomentum = new Map<string, Variable>();
  #disposed = false;
  /** True while `applyGradients` runs (it calls the schedule and reads the gradients object: user code). */
  #applying = false;

  constructor(options: RMSPropTfjsOptimizerOptions = {}) {
    super();
    if (options === null || typeof options !== 'object') {
      throw new ArgumentError('options', options, 'an object of RMSProp config fields and an optional schedule');
    }
    const { schedule, ...fields } = options;
    for (const key of Object.keys(fields)) {
      if (!(CONFIG_FIELDS as readonly string[]).includes(key)) {
        throw new ArgumentError(`options.${key}`, (fields as Record<string, unknown>)[key], `a config field (${CONFIG_FIELDS.join(', ')}) or schedule`);
      }
    }
    if (schedule !== undefined && typeof schedule !== 'function') {
      throw new ArgumentError('options.schedule', schedule, 'a function of the step t returning η');
    }
    this.config = resolveConfig(fields);
    // The variables are float32: ε, η, wd (and η·wd) must be numbers float32 holds (a schedule's η is checked per step).
    checkRepresentable({ config: this.config, learningRate: this.config.learningRate, step: 1 }, 'float32', 'RMSPropTfjsOptimizer');
    this.schedule = schedule;
    registerRMSPropTfjsOptimizer();
  }

  /** The learning rate step t (1-based) uses. */
  learningRateAt(t: number): number {
    if (this.schedule === undefined) return this.config.learningRate;
    const η = this.schedule(t);
    if (typeof η !== 'number' || !Number.isFinite(η) || η < 0) throw new ArgumentError(`schedule(${t})`, η, 'a finite number ≥ 0');
    return η;
  }

  /**
   * One step on the named variables. Everything is checked before anything is written — the argument is
   * a map or an array of `{ name, tensor }`, each name that of a registered float32 variable (an own
   * entry of tfjs's registry, so `constructor` or `toString` name nothing), each gradient a tf.Tensor,
   * not disposed, of the variable's shape and dtype, and state loaded by `setWeights` can be matched (see
   * there) — and all new values are computed before any is assigned. A variable whose gradient is null or
   * undefined is skipped, as tfjs's optimizers do.
   */
  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    if (this.#disposed) throw new DisposedError('RMSPropTfjsOptimizer', 'applyGradients');
    this.#checkNotApplying('applyGradients');
    this.#applying = true;
    try {
      this.#applyGradients(variableGradients);
    } finally {
      this.#applying = false;
    }
  }

  /** `applyGradients`'s work, while `#applying` refuses re-entry. */
  #applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const work: StepWork[] = [];
    const seen = new Set<string>();
    const registered = engine().registeredVariables;
    for (const [name, grad] of gradientEntries(variableGradients)) {
      if (grad === null || grad === undefined) continue; // tfjs skips variables without a gradient
      const field = `variableGradients[${describeValue(name)}]`;
      if (seen.has(name)) throw new ArgumentError(field, name, 'each variable once');
      seen.add(name);
      const param = Object.hasOwn(registered, name) ? registered[name] : undefined;
      if (param === undefined) throw new ArgumentError(field, name, 'the name of a registered tf.Variable');
      if (!(grad instanceof Tensor)) throw new ArgumentError(field, grad, 'a tf.Tensor');
      if (grad.isDisposed) throw new ArgumentError(field, grad, 'a tf.Tensor that is not disposed (this one is)');
      if (param.dtype !== 'float32' || grad.dtype !== 'float32') {
        throw new ShapeError('DTYPE_MISMATCH', name, `variable "${name}" is ${param.dtype} and its gradient ${grad.dtype}; expected float32 for both`);
      }
      if (!sameShape(param.shape, grad.shape)) {
        throw new ShapeError('LENGTH_MISMATCH', name, `gradient of "${name}" has shape [${grad.shape}]; expected [${param.shape}]`);
      }
      const state = this.#state.get(name);
      if (state !== undefined && !sameShape(state.meanSquare.shape, param.shape)) {
        throw new ShapeError('LENGTH_MISMATCH', name, `optimizer state of "${name}" has shape [${state.meanSquare.shape}]; the variable is [${param.shape}]`);
      }
      work.push({ name, param, grad });
    }
    const claims = this.#claimLoadedState(work);
    const t = this.iterations + 1;
    const η = this.learningRateAt(t);
    const config = this.config;
    checkRepresentable({ config, learningRate: η, step: t }, 'float32', `RMSPropTfjsOptimizer step ${t}`, flushesSubnormals(getBackend()));
    for (const w of work) {
      if (!this.#state.has(w.name)) {
        const from = claims.get(w.name);
        if (from === undefined) {
          this.#state.set(w.name, this.#newState(w.param));
        } else {
          this.#state.set(w.name, this.#state.get(from)!);
          this.#state.delete(from);
          this.#unclaimed.delete(from);
        }
      }
      this.#unclaimed.delete(w.name);
    }
    const results = tidyKeep(() => {
      const out: UpdateOutputs[] = [];
      for (const w of work) {
        const s = this.#state.get(w.name)!;
        out.push(rmspropUpdate({ ...s, param: w.param, grad: w.grad }, config, η, s.step + 1));
      }
      return out;
    });
    work.forEach((w, i) => {
      const s = this.#state.get(w.name)!;
      const r = results[i];
      w.param.assign(r.param);
      const fresh: Tensor[] = [r.param];
      // The state keeps exactly the buffers the config stores, so each of its variables gets a new value.
      for (const name of STATE_BUFFER_NAMES) {
        const v = s[name];
        if (v === null) continue;
        v.assign(r[name]!);
        fresh.push(r[name]!);
      }
      s.step += 1;
      dispose(fresh);
    });
    this.incrementIterations();
  }

  /** The state kept for `name` (v, m, b as tf.Variables, and t), or undefined before its first step. */
  stateOf(name: string): Readonly<VariableState> | undefined {
    return this.#state.get(name);
  }

  /** Frees every state variable. Later steps throw. */
  override dispose(): void {
    if (this.#disposed) return;
    this.#checkNotApplying('dispose');
    this.#disposed = true;
    for (const s of this.#state.values()) dispose(stateVariables(s));
    this.#state.clear();
    dispose([...this.#zeroMomentum.values()]);
    this.#zeroMomentum.clear();
  }

  /**
   * tf.train.rmsprop's layout: `iter`, `{var}/rms` for each variable, `{var}/momentum` for each (zeros when
   * momentum is off, as tfjs's buffer would hold with μ = 0 unused), then `{var}/mg` for each when centered.
   * The tensors are the optimizer's own variables: do not dispose them.
   */
  override async getWeights(): Promise<NamedTensor[]> {
    if (this.#disposed) throw new DisposedError('RMSPropTfjsOptimizer', 'getWeights');
    const names = [...this.#state.keys()];
    const weights: NamedTensor[] = [await this.saveIterations()];
    for (const name of names) weights.push({ name: `${name}/rms`, tensor: this.#state.get(name)!.meanSquare });
    for (const name of names) weights.push({ name: `${name}/momentum`, tensor: this.#momentumForSave(name) });
    if (this.config.centered) for (const name of names) weights.push({ name: `${name}/mg`, tensor: this.#state.get(name)!.meanGrad! });
    return weights;
  }

  /**
   * Loads weights in tf.train.rmsprop's layout (from its `getWeights` or this class's), by name: each
   * `{var}/rms`, `{var}/momentum` and `{var}/mg` goes to the variable named `{var}`, which then continues
   * from t = `iter`. A momentum buffer is dropped when momentum is off; a missing m or b starts at zero.
   * Everything is checked before the current state is replaced: the layout, float32 tensors not disposed,
   * the shapes (also against a registered variable of that name), every mean square ≥ 0 (NaN and +∞, which
   * a propagated non-finite gradient leaves, load as they are) and `iter` an integer that tfjs's int32
   * iteration count holds; a {@link StateDictError} names the weight (and the element) that is not.
   *
   * The loaded state waits for the variables' first step. Where a variable of that step has no state by
   * its own name, it takes loaded state no step has used yet:
   * - `{var}`'s, where its name is `{var}_N` and the shapes match: tfjs-layers names the variables of a
   *   model it loads `{var}_1`, `{var}_2`, … when a model with the original names was made before;
   * - by position, where no loaded state has been used by name: the i-th such variable of the step takes
   *   the i-th variable's state in the weights' order, as tf.train.rmsprop does (a second model built in
   *   the same process has new layer names, `dense_Dense2/kernel` for `dense_Dense1/kernel`). The step's
   *   variables without state must then be exactly as many as the loaded ones, of the same shapes in the
   *   same order;
   * - none otherwise: a new variable next to ones that matched by name starts from fresh state.
   *
   * A step that would leave loaded state behind for good throws {@link StateDictError}, listing the
   * names, and changes nothing: by position, when the count or a shape differs; after matches by name,
   * when loaded state is for a variable that is no longer registered while a variable of the step has
   * none. Loaded state for a registered variable that is not in a step (frozen, say) waits for it.
   */
  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    if (this.#disposed) throw new DisposedError('RMSPropTfjsOptimizer', 'setWeights');
    this.#checkNotApplying('setWeights');
    if (!Array.isArray(weightValues) || weightValues.length === 0) {
      throw new StateDictError('weights', `expected an array starting with the iteration count; got ${Array.isArray(weightValues) ? 'an empty array' : typeof weightValues}`);
    }
    const iterationsTensor: unknown = weightValues[0]?.tensor;
    if (!(iterationsTensor instanceof Tensor) || iterationsTensor.isDisposed || iterationsTensor.size !== 1) {
      throw new StateDictError('weights[0]', 'expected the scalar iteration count first (tfjs layout), not disposed');
    }
    const iterations = (await iterationsTensor.data())[0];
    if (!Number.isInteger(iterations) || iterations < 0 || iterations > MAX_ITERATIONS) {
      throw new StateDictError('weights[0]', `iteration count ${describeValue(iterations)} is not an integer from 0 to ${MAX_ITERATIONS} (tfjs keeps it in an int32)`);
    }
    const byVariable = new Map<string, Partial<Record<StateBufferName, Tensor>>>();
    /** The index in `weightValues` of each variable's mean square. */
    const meanSquareAt = new Map<string, number>();
    weightValues.slice(1).forEach((w, i) => {
      const where = `weights[${i + 1}]`;
      if (w === null || typeof w !== 'object' || typeof w.name !== 'string' || !(w.tensor instanceof Tensor)) {
        throw new StateDictError(where, 'expected { name, tensor }');
      }
      if (w.tensor.isDisposed) throw new StateDictError(where, `the tensor of ${describeValue(w.name)} is disposed`);
      const suffix = (Object.keys(SUFFIXES) as (keyof typeof SUFFIXES)[]).find((s) => w.name.endsWith(s) && w.name.length > s.length);
      if (suffix === undefined) throw new StateDictError(where, `name "${w.name}" does not end in /rms, /momentum or /mg`);
      if (w.tensor.dtype !== 'float32') throw new StateDictError(where, `"${w.name}" is ${w.tensor.dtype}; expected float32`);
      const name = w.name.slice(0, -suffix.length);
      const entry = byVariable.get(name) ?? {};
      const field = SUFFIXES[suffix];
      if (entry[field] !== undefined) throw new StateDictError(where, `"${w.name}" appears twice`);
      entry[field] = w.tensor;
      byVariable.set(name, entry);
      if (field === 'meanSquare') meanSquareAt.set(name, i + 1);
    });
    const registered = engine().registeredVariables;
    for (const [name, entry] of byVariable) {
      if (entry.meanSquare === undefined) throw new StateDictError(`weights "${name}/rms"`, `missing: "${name}" has other buffers but no mean square`);
      for (const buffer of STATE_BUFFER_NAMES) {
        const t = entry[buffer];
        if (t !== undefined && !sameShape(t.shape, entry.meanSquare.shape)) {
          throw new StateDictError(`weights "${name}"`, `buffers have shapes [${entry.meanSquare.shape}] and [${t.shape}]`);
        }
      }
      const param = Object.hasOwn(registered, name) ? registered[name] : undefined;
      if (param !== undefined && !sameShape(param.shape, entry.meanSquare.shape)) {
        throw new StateDictError(`weights "${name}/rms"`, `shape [${entry.meanSquare.shape}] does not match variable "${name}" of shape [${param.shape}]`);
      }
    }
    // A mean square is a mean of squares: never below 0 (−0 is 0). NaN passes, as a propagated NaN leaves it.
    const meanSquares = [...byVariable];
    const values = await Promise.all(meanSquares.map(([, entry]) => entry.meanSquare!.data()));
    meanSquares.forEach(([name], k) => {
      const index = values[k].findIndex((x) => x < 0);
      if (index >= 0) {
        throw new StateDictError(
          `weights[${meanSquareAt.get(name)}]`,
          `${describeValue(`${name}/rms`)}[${index}] is ${describeValue(values[k][index])}; a mean square is ≥ 0`,
        );
      }
    });
    // All checked: copy the new state first, then free the old. The tensors passed may be this optimizer's
    // own state variables (`setWeights(await getWeights())`), which must not be freed before they are copied.
    const next = new Map<string, VariableState>();
    for (const [name, entry] of byVariable) {
      const shape = entry.meanSquare!.shape;
      // Variables of their own (the caller may dispose the tensors it passed); temporaries freed by tidy. A
      // buffer the config keeps and the weights lack starts from its initial value.
      next.set(name, tidyKeep(() => ({ ...this.#stateVariables(shape, (buffer) => entry[buffer]?.clone()), step: iterations })));
    }
    for (const s of this.#state.values()) dispose(stateVariables(s));
    this.#state.clear();
    for (const [name, s] of next) this.#state.set(name, s);
    this.#unclaimed.clear();
    for (const name of next.keys()) this.#unclaimed.add(name);
    this.#loadedCount = next.size;
    this.iterations_ = iterations;
  }

  /** The spec fields (the schedule is a function and is not serialised). */
  override getConfig(): serialization.ConfigDict {
    return { ...this.config } as unknown as serialization.ConfigDict;
  }

  /**
   * The optimizer a `getConfig()` result describes. tfjs-layers adds a `customObjects` entry to every config
   * it deserializes (when loading a model saved with `includeOptimizer`); it is not a config field and is
   * ignored. Any other unknown field is an error, as in the constructor.
   */
  static override fromConfig<T extends serialization.Serializable>(cls: serialization.SerializableConstructor<T>, config: serialization.ConfigDict): T {
    const { customObjects: _customObjects, ...fields } = config;
    return new cls(fields as unknown as RMSPropTfjsOptimizerOptions);
  }

  /**
   * The loaded state (by the name it was loaded under) that each variable of `work` without state of its
   * own takes, by the rules `setWeights` gives; throws {@link StateDictError} where those rules leave
   * loaded state behind. Changes nothing.
   */
  #claimLoadedState(work: readonly StepWork[]): Map<string, string> {
    const claims = new Map<string, string>();
    if (this.#unclaimed.size === 0) return claims;
    const open = new Set(this.#unclaimed);
    for (const w of work) open.delete(w.name);
    const rest: StepWork[] = [];
    for (const w of work) {
      if (this.#state.has(w.name)) continue;
      const original = /^(.*)_\d+$/.exec(w.name)?.[1];
      if (original !== undefined && open.has(original) && sameShape(this.#state.get(original)!.meanSquare.shape, w.param.shape)) {
        claims.set(w.name, original);
        open.delete(original);
      } else {
        rest.push(w);
      }
    }
    if (rest.length === 0 || open.size === 0) return claims;
    const waiting = [...open];
    if (waiting.length === this.#loadedCount) {
      // None of the loaded state matched by name: by position, as tf.train.rmsprop.
      const fits = rest.length === waiting.length && rest.every((w, i) => sameShape(w.param.shape, this.#state.get(waiting[i])!.meanSquare.shape));
      if (!fits) {
        const shapes = (names: readonly string[], shapeOf: (name: string) => readonly number[]) => listNames(names, (n) => `${describeValue(n)} [${shapeOf(n)}]`);
        const shapeOfVariable = new Map(rest.map((w) => [w.name, w.param.shape]));
        throw new StateDictError(
          'weights',
          `setWeights() loaded state for ${shapes(waiting, (n) => this.#state.get(n)!.meanSquare.shape)}, which matches none of this step's ` +
            `variables by name, and the variables of this step that have no state, ${shapes([...shapeOfVariable.keys()], (n) => shapeOfVariable.get(n)!)}, ` +
            `cannot take it by position (as many, with the same shapes in the same order); nothing was changed. Step the variables ` +
            `the weights were saved for, or load weights named after these variables`,
        );
      }
      rest.forEach((w, i) => claims.set(w.name, waiting[i]));
      return claims;
    }
    // Some loaded state matched by name, so these variables are new; loaded state waits for a variable of
    // its name unless none is registered any more, which would leave it behind.
    const registered = engine().registeredVariables;
    const orphaned = waiting.filter((n) => !Object.hasOwn(registered, n));
    if (orphaned.length > 0) {
      throw new StateDictError(
        'weights',
        `setWeights() loaded state for ${listNames(orphaned, describeValue)}, which is no longer a registered variable, and ` +
          `this step's variables without state (${listNames(rest.map((w) => w.name), describeValue)}) cannot take it once ` +
          `other loaded state has matched by name; nothing was changed. Load weights named after the variables being trained`,
      );
    }
    return claims;
  }

  /**
   * A step runs user code (the schedule, getters of the gradients object): a step, `setWeights` or
   * `dispose` started from there would change the state under it.
   */
  #checkNotApplying(operation: string): void {
    if (this.#applying) throw new ReentrancyError('RMSPropTfjsOptimizer', operation, 'applyGradients', 'from a schedule or a gradient getter');
  }

    #newState(param: Variable): VariableState {
    return tidyKeep(() => ({ ...this.#stateVariables(param.shape, () => undefined), step: 0 }));
  }

  /**
   * A variable per state buffer the config keeps, of `shape`: `given(name)`'s tensor where it gives one, the
   * buffer's initial value otherwise; null for the others. Call inside a tidy.
   */
  #stateVariables(shape: number[], given: (name: StateBufferName) => Tensor | undefined): StateArrays<Variable> {
    const initial = initialState(this.config);
    return mapStateBuffers(({ name }) => {
      const value = initial[name];
      return value === null ? null : variable(given(name) ?? fill(shape, value, 'float32'), false);
    }) as StateArrays<Variable>;
  }

  #momentumForSave(name: string): Variable {
    const s = this.#state.get(name)!;
    if (s.momentum !== null) return s.momentum;
    let zeros = this.#zeroMomentum.get(name);
    if (zeros === undefined || !sameShape(zeros.shape, s.meanSquare.shape)) {
      if (zeros !== undefined) zeros.dispose();
      zeros = tidyKeep(() => variable(zerosLike(s.meanSquare), false));
      this.#zeroMomentum.set(name, zeros);
    }
    return zeros;
  }
}

/** One variable of a step: its name, the variable and its gradient, all checked. */
interface StepWork {
  readonly name: string;
  readonly param: Variable;
  readonly grad: Tensor;
}

/**
 * The `[name, gradient]` pairs of `applyGradients`' argument: a map's own enumerable entries, or an
 * array's `{ name, tensor }` items. Throws {@link ArgumentError} for anything else.
 */
function gradientEntries(given: unknown): [string, unknown][] {
  if (Array.isArray(given)) {
    return given.map((item: unknown, i): [string, unknown] => {
      if (item === null || typeof item !== 'object' || typeof (item as NamedTensor).name !== 'string') {
        throw new ArgumentError(`variableGradients[${i}]`, item, 'an object { name: string, tensor: tf.Tensor }');
      }
      return [(item as NamedTensor).name, (item as NamedTensor).tensor];
    });
  }
  if (given === null || typeof given !== 'object') {
    throw new ArgumentError('variableGradients', given, 'an object of gradient tensors by variable name, or an array of { name, tensor }');
  }
  return Object.entries(given);
}

/** `names` for a message, each through `show`, the first few only. */
function listNames(names: readonly string[], show: (name: string) => string): string {
  const listed = names.slice(0, MAX_LISTED_NAMES).map(show).join(', ');
  return names.length > MAX_LISTED_NAMES ? `${listed} and ${names.length - MAX_LISTED_NAMES} more` : listed;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
