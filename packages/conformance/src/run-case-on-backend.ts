import { allocateFloatArray, decodeNumber, RMSPropOptimizer, type RMSPropBackend, type RMSPropStateDict } from '@rmsprop/core';
import type { GoldenCase } from './golden-case.js';
import { stateArrays } from './state-arrays.js';
import type { Trajectory } from './trajectory.js';

const PARAM = 'theta';

function decodeAll(values: readonly unknown[] | null | undefined): Float64Array | null {
  if (values === null || values === undefined) return null;
  return Float64Array.from(values, (v) => decodeNumber(v) ?? Number.NaN);
}

/** The optimizer for a case, and a function that takes its step i (0-based). */
function prepareCase(backend: RMSPropBackend, goldenCase: GoldenCase): { optimizer: RMSPropOptimizer; step(i: number): void } {
  const params = allocateFloatArray(goldenCase.dtype, goldenCase.params.length);
  params.set(goldenCase.params);
  const optimizer = new RMSPropOptimizer({
    backend,
    params: { [PARAM]: params },
    nonFiniteGradients: 'propagate',
    ...goldenCase.config,
  });
  const grads = allocateFloatArray(goldenCase.dtype, goldenCase.params.length);
  return {
    optimizer,
    step(i: number): void {
      grads.set(goldenCase.grads[i]);
      const learningRate = goldenCase.learningRateSchedule?.[i];
      optimizer.step({ [PARAM]: grads }, learningRate === undefined ? undefined : { learningRate });
    },
  };
}

function trajectoryOf(history: Float64Array[], dict: RMSPropStateDict): Trajectory {
  const state = dict.state[PARAM];
  return {
    params: history,
    // A buffer every config keeps is always in the state dict; an empty array stands in where it is not.
    finalState: stateArrays((buffer) => decodeAll(state[buffer.name]) ?? (buffer.switchedBy === null ? new Float64Array(0) : null)),
  };
}

/**
 * Run a case through the public API people train with: an `RMSPropOptimizer` with one parameter on
 * `backend`, in the case's dtype, with the case's config; non-finite gradients propagate (a golden case
 * may contain them on purpose); a schedule is passed as each step's learning rate. θ is read with
 * `readParameter` after every step (a copy, whatever the backend's buffer location), the final state from
 * `stateDict()`. The caller checks that the backend supports the dtype.
 */
export function runCaseOnBackend(backend: RMSPropBackend, goldenCase: GoldenCase): Trajectory {
  const run = prepareCase(backend, goldenCase);
  try {
    const history: Float64Array[] = [];
    for (let i = 0; i < goldenCase.grads.length; i++) {
      run.step(i);
      history.push(Float64Array.from(run.optimizer.readParameter(PARAM)));
    }
    return trajectoryOf(history, run.optimizer.stateDict());
  } finally {
    run.optimizer.dispose();
  }
}

/**
 * {@link runCaseOnBackend} reading θ and the state asynchronously (`readParameterAsync`,
 * `stateDictAsync`): for backends whose memory the host reads only asynchronously (tfjs on WebGPU), and
 * equal to it everywhere else.
 */
export async function runCaseOnBackendAsync(backend: RMSPropBackend, goldenCase: GoldenCase): Promise<Trajectory> {
  const run = prepareCase(backend, goldenCase);
  try {
    const history: Float64Array[] = [];
    for (let i = 0; i < goldenCase.grads.length; i++) {
      run.step(i);
      history.push(Float64Array.from(await run.optimizer.readParameterAsync(PARAM)));
    }
    return trajectoryOf(history, await run.optimizer.stateDictAsync());
  } finally {
    run.optimizer.dispose();
  }
}
