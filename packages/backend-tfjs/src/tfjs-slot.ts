import {
  checkArrayLength,
  checkStateArrays,
  BackendUnavailableError,
  DisposedError,
  type BackendSlot,
  type SlotRequest,
  type SlotState,
} from '@rmsprop/core';
import { dispose, fill, tensor1d, tidy, variable, type Variable } from '@tensorflow/tfjs-core';
import { tidyKeep } from './tidy-keep.js';

/** The variables of one slot. */
export interface SlotVariables {
  param: Variable;
  meanSquare: Variable;
  meanGrad: Variable | null;
  momentum: Variable | null;
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
 * tf.Variables of shape [length] on the tfjs backend that was active when the slot was made. The host
 * sees values only through `readParams`/`readState` (a read-back) and `variables.param` (the tf.Variable
 * itself, for use in tfjs code).
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
  /** Whether the slot has m (centered) and b (momentum) buffers. */
  readonly hasMeanGrad: boolean;
  readonly hasMomentum: boolean;
  #variables: SlotVariables | null;
  readonly #onDispose: (slot: TfjsSlot) => void;

  readonly #syncReadBack: boolean;

  /**
   * `request` must be valid (see the backend's `createSlot`). Where `syncReadBack` is false (tfjs's webgpu
   * backend reads synchronously through a canvas, which returns zeros on some devices), the synchronous
   * reads throw and the asynchronous ones work.
   */
  constructor(request: SlotRequest, owner: object, onDispose: (slot: TfjsSlot) => void, syncReadBack = true) {
    this.#syncReadBack = syncReadBack;
    this.name = request.name;
    this.length = request.length;
    this.owner = owner;
    this.#onDispose = onDispose;
    this.hasMeanGrad = request.state.meanGrad;
    this.hasMomentum = request.state.momentum;
    const id = nextSlotId++;
    const prefix = `rmsprop/${id}/${request.name}`;
    const { length, state } = request;
    this.#variables = tidyKeep(() => ({
      param: variable(tensor1d(Float32Array.from(request.values), 'float32'), false, `${prefix}/param`),
      meanSquare: variable(fill([length], state.initialMeanSquare, 'float32'), false, `${prefix}/meanSquare`),
      meanGrad: state.meanGrad ? variable(fill([length], 0, 'float32'), false, `${prefix}/meanGrad`) : null,
      momentum: state.momentum ? variable(fill([length], 0, 'float32'), false, `${prefix}/momentum`) : null,
    }));
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
    tidy(() => vars.param.assign(tensor1d(Float32Array.from(values), 'float32')));
  }

  async readStateAsync(): Promise<SlotState> {
    const vars = this.#live('readStateAsync');
    const [meanSquare, meanGrad, momentum] = await Promise.all([
      readBackAsync(vars.meanSquare),
      vars.meanGrad === null ? null : readBackAsync(vars.meanGrad),
      vars.momentum === null ? null : readBackAsync(vars.momentum),
    ]);
    return { meanSquare, meanGrad, momentum };
  }

  readState(): SlotState {
    const vars = this.#readable('readState');
    return {
      meanSquare: readBack(vars.meanSquare),
      meanGrad: vars.meanGrad === null ? null : readBack(vars.meanGrad),
      momentum: vars.momentum === null ? null : readBack(vars.momentum),
    };
  }

  /** Checks every array before writing any; values are rounded to float32. */
  writeState(state: { meanSquare: ArrayLike<number>; meanGrad: ArrayLike<number> | null; momentum: ArrayLike<number> | null }): void {
    const vars = this.#live('writeState');
    checkStateArrays(this, state, { meanGrad: vars.meanGrad !== null, momentum: vars.momentum !== null });
    tidy(() => {
      vars.meanSquare.assign(tensor1d(Float32Array.from(state.meanSquare), 'float32'));
      if (vars.meanGrad !== null) vars.meanGrad.assign(tensor1d(Float32Array.from(state.meanGrad!), 'float32'));
      if (vars.momentum !== null) vars.momentum.assign(tensor1d(Float32Array.from(state.momentum!), 'float32'));
    });
  }

  /** Disposes the slot's variables. Later use throws {@link DisposedError}. Idempotent. */
  dispose(): void {
    const vars = this.#variables;
    if (vars === null) return;
    this.#variables = null;
    dispose([vars.param, vars.meanSquare, ...(vars.meanGrad ? [vars.meanGrad] : []), ...(vars.momentum ? [vars.momentum] : [])]);
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
