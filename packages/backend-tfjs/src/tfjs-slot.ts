import {
  checkArrayLength,
  checkStateArrays,
  mapStateBuffers,
  BackendUnavailableError,
  DisposedError,
  STATE_BUFFER_NAMES,
  type BackendSlot,
  type SlotRequest,
  type SlotState,
  type SlotStateArrays,
  type StateArrays,
  type StateRecord,
} from '@rmsprop/core';
import { dispose, fill, getBackend, tensor1d, tidy, variable, type Variable } from '@tensorflow/tfjs-core';
import { tidyKeep } from './tidy-keep.js';
import { withTfjsBackend } from './with-tfjs-backend.js';

/** The variables of one slot: θ, and each state buffer by name (`STATE_BUFFERS`), null where the slot keeps none. */
export type SlotVariables = { readonly param: Variable } & StateArrays<Variable>;

/** The state variables the slot keeps, in `STATE_BUFFERS` order. */
export function stateVariables(vars: StateArrays<Variable>): Variable[] {
  const out: Variable[] = [];
  for (const name of STATE_BUFFER_NAMES) {
    const v = vars[name];
    if (v !== null) out.push(v);
  }
  return out;
}

let nextSlotId = 0;

/** A copy of a tensor's values (on tfjs's cpu backend `dataSync` returns the tensor's own storage). */
function readBack(t: Variable): Float32Array {
  return Float32Array.from(t.dataSync() as Float32Array);
}

/** A copy of a tensor's values, read asynchronously; the read starts (and takes its values) at the call. */
async function readBackAsync(t: Variable): Promise<Float32Array> {
  return Float32Array.from((await t.data()) as Float32Array);
}

/**
 * One parameter on the tfjs backend: θ, v (and m, b where asked for) as non-trainable float32
 * tf.Variables of shape [length] on one tfjs backend (`tfjsBackend`), whichever is active when the slot
 * is made or written (see `withTfjsBackend`). The host sees values only through `readParams`/`readState`
 * (a read-back) and `variables.param` (the tf.Variable itself, for use in tfjs code).
 */
export class TfjsSlot implements BackendSlot {
  readonly name: string;
  readonly dtype = 'float32' as const;
  readonly length: number;
  /** Parameters live in tf.Variables: there is no host view. */
  readonly params = null;
  /** Gradients are uploaded from whatever host array `step` gets. */
  readonly grads = null;
  /** The backend that created this slot; its `step` takes only its own slots. */
  readonly owner: object;
  /** Which state buffers the slot keeps, by name. */
  readonly keeps: StateRecord<boolean>;
  /** The number of the last step that took this slot (the backend's duplicate check). */
  stamp = 0;
  /** The tfjs backend the variables live on. */
  readonly tfjsBackend: string;
  #variables: SlotVariables | null;
  readonly #onDispose: (slot: TfjsSlot) => void;

  readonly #syncReadBack: boolean;

  /**
   * `request` must be valid (see the backend's `createSlot`). Where `syncReadBack` is false (tfjs's webgpu
   * backend reads synchronously through a canvas, which returns zeros on some devices), the synchronous
   * reads throw and the asynchronous ones work. The variables are made on tfjs backend `tfjsBackend`
   * (default: the active one), which must be initialised.
   */
  constructor(request: SlotRequest, owner: object, onDispose: (slot: TfjsSlot) => void, syncReadBack = true, tfjsBackend: string = getBackend()) {
    this.#syncReadBack = syncReadBack;
    this.tfjsBackend = tfjsBackend;
    this.name = request.name;
    this.length = request.length;
    this.owner = owner;
    this.#onDispose = onDispose;
    const { length, state } = request;
    this.keeps = mapStateBuffers(({ name }) => state[name] !== null);
    const id = nextSlotId++;
    const prefix = `rmsprop/${id}/${request.name}`;
    // Each variable is named after its buffer; one the slot does not keep is null.
    this.#variables = withTfjsBackend(tfjsBackend, 'createSlot', () =>
      tidyKeep(() => ({
        param: variable(tensor1d(Float32Array.from(request.values), 'float32'), false, `${prefix}/param`),
        ...(mapStateBuffers(({ name }) => {
          const initial = state[name];
          return initial === null ? null : variable(fill([length], initial, 'float32'), false, `${prefix}/${name}`);
        }) as StateArrays<Variable>),
      })),
    );
  }

  /** The slot's tf.Variables (θ, v, m, b). They belong to the slot: do not dispose them yourself. */
  get variables(): Readonly<SlotVariables> {
    return this.#live('variables');
  }

  get disposed(): boolean {
    return this.#variables === null;
  }

  readParams(): Float32Array {
    return readBack(this.#readable('readParams').param);
  }

  async readParamsAsync(): Promise<Float32Array> {
    return readBackAsync(this.#live('readParamsAsync').param);
  }

  writeParams(values: ArrayLike<number>): void {
    const vars = this.#live('writeParams');
    checkArrayLength(this, 'values', values);
    withTfjsBackend(this.tfjsBackend, 'writeParams', () => tidy(() => vars.param.assign(tensor1d(Float32Array.from(values), 'float32'))));
  }

  async readStateAsync(): Promise<SlotState> {
    const vars = this.#live('readStateAsync');
    // Every read starts now, at the call.
    const values = await Promise.all(
      STATE_BUFFER_NAMES.map((name) => {
        const v = vars[name];
        return v === null ? null : readBackAsync(v);
      }),
    );
    return mapStateBuffers(({ name }) => values[STATE_BUFFER_NAMES.indexOf(name)]) as SlotState;
  }

  readState(): SlotState {
    const vars = this.#readable('readState');
    return mapStateBuffers(({ name }) => {
      const v = vars[name];
      return v === null ? null : readBack(v);
    }) as SlotState;
  }

  /** Checks every array before writing any; values are rounded to float32. */
  writeState(state: SlotStateArrays): void {
    const vars = this.#live('writeState');
    checkStateArrays(this, state, this.keeps);
    withTfjsBackend(this.tfjsBackend, 'writeState', () =>
      tidy(() => {
        for (const name of STATE_BUFFER_NAMES) {
          const v = vars[name];
          if (v !== null) v.assign(tensor1d(Float32Array.from(state[name]!), 'float32'));
        }
      }),
    );
  }

  /** Disposes the slot's variables. Later use throws {@link DisposedError}. Idempotent. */
  dispose(): void {
    const vars = this.#variables;
    if (vars === null) return;
    this.#variables = null;
    dispose([vars.param, ...stateVariables(vars)]);
    this.#onDispose(this);
  }

  /** The variables, where they can be read synchronously here. */
  #readable(operation: string): SlotVariables {
    const vars = this.#live(operation);
    if (!this.#syncReadBack) {
      throw new BackendUnavailableError(
        `tfjs slot "${this.name}": ${operation}() needs synchronous read-back, which this TensorFlow.js backend does not give here; ` +
          `use the asynchronous reads (optimizer.readParameterAsync(), optimizer.stateDictAsync())`,
        [],
      );
    }
    return vars;
  }

  #live(operation: string): SlotVariables {
    if (this.#variables === null) throw new DisposedError(`tfjs slot "${this.name}"`, operation);
    return this.#variables;
  }
}
