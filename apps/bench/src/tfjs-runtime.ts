type TfjsCore = typeof import('@tensorflow/tfjs-core');

let loading: Promise<TfjsCore> | undefined;

/**
 * TensorFlow.js core with its cpu and wasm backends registered, loaded on first use (importing the bench
 * registers nothing). Production mode is on: it skips tfjs's debug checks and its "use tfjs-node" notice,
 * as anyone timing tfjs would. The wasm backend runs single-threaded (WASM_HAS_MULTITHREAD_SUPPORT false),
 * one core like every other implementation here.
 */
export function loadTfjs(): Promise<TfjsCore> {
  loading ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.enableProdMode();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return tf;
  })();
  return loading;
}

/** Makes `name` tfjs's active backend (untimed, before each run: tfjs has one active backend per process). */
export async function activateTfjsBackend(tf: TfjsCore, name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend '${name}' failed to initialise`);
}

/** Whether tfjs's `name` backend initialises here, or why not. */
export async function probeTfjsBackend(name: string): Promise<string | undefined> {
  try {
    const tf = await loadTfjs();
    await activateTfjsBackend(tf, name);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
