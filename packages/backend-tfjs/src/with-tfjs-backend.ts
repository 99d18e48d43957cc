import { BackendUnavailableError } from '@rmsprop/core';
import { engine, getBackend, setBackend } from '@tensorflow/tfjs-core';

/** The one field of tfjs's engine read here that its typings mark private. */
interface EnginePending {
  /** Set while `tf.setBackend` (or `tf.ready`) waits for a backend's asynchronous initialisation. */
  readonly pendingBackendInit: Promise<boolean> | null | undefined;
}

/** Whether tfjs is waiting for a backend's asynchronous initialisation (tfjs's ops throw until it ends). */
export function tfjsInitialising(): boolean {
  return (engine() as unknown as EnginePending).pendingBackendInit != null;
}

/** Whether tfjs backend `name` is registered and initialised, so that switching to it is synchronous. */
function initialised(name: string): boolean {
  return Object.hasOwn(engine().registry, name);
}

/**
 * Makes tfjs backend `name` the active one, at once: tfjs's `setBackend` switches synchronously to a
 * backend that is already initialised (only the first switch to a backend waits for its initialisation),
 * so the promise it returns, which resolves to true, is not needed. Call only where `initialised(name)`.
 */
function switchTo(name: string): void {
  void setBackend(name);
}

/**
 * Makes `previous` (the name `tf.getBackend()` gave before a switch) tfjs's active backend again, where
 * it still is initialised. Where no backend was active before (`previous` null or undefined), the one
 * switched to stays active: tfjs has no way back to having none.
 */
export function restoreTfjsBackend(previous: string | null | undefined): void {
  if (previous === null || previous === undefined || getBackend() === previous || !initialised(previous)) return;
  switchTo(previous);
}

/**
 * Runs `fn` with tfjs backend `name` active and makes the backend that was active before active again
 * afterwards, also when `fn` throws: the tensors `fn` makes live on `name` and its ops run there,
 * whichever backend the user has made active, which stays so. Where `name` is already active this is
 * just `fn()`; otherwise it costs two synchronous `tf.setBackend` calls (measured in Node between tfjs cpu
 * and wasm: 0.24 ms for the pair, 0.2–0.35 ms added to a step of 1,000 elements; tfjs sets up every wasm
 * kernel again on each switch).
 *
 * Throws {@link BackendUnavailableError} (and runs nothing) where `name` is no longer initialised (it was
 * removed with `tf.removeBackend`), or while tfjs is still initialising a backend (a `tf.setBackend` not
 * yet awaited, during which tfjs's own ops throw). `operation` names the caller in those messages.
 */
export function withTfjsBackend<T>(name: string, operation: string, fn: () => T): T {
  const previous = getBackend();
  if (previous === name && !tfjsInitialising()) return fn();
  if (tfjsInitialising()) {
    throw new BackendUnavailableError(
      `TensorFlow.js is still initialising backend '${previous}' (a tf.setBackend() not yet awaited); await tf.ready() before ${operation}()`,
      [],
    );
  }
  if (!initialised(name)) {
    throw new BackendUnavailableError(
      `TensorFlow.js backend '${name}', where this RMSProp backend's variables live, is no longer initialised (tf.removeBackend?); ${operation}() cannot run`,
      [],
    );
  }
  switchTo(name);
  try {
    return fn();
  } finally {
    restoreTfjsBackend(previous);
  }
}
