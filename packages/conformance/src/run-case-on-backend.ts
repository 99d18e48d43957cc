import { allocateFloatArray, decodeNumber, RMSPropOptimizer, type RMSPropBackend } from '@rmsprop/core';
import type { GoldenCase } from './golden-case.js';
import type { Trajectory } from './trajectory.js';

const PARAM = 'theta';

function decodeAll(values: readonly unknown[] | null | undefined): Float64Array | null {
  if (values === null || values === undefined) return null;
  return Float64Array.from(values, (v) => decodeNumber(v) ?? Number.NaN);
}

/**
 * Run a case through the public API people train with: an `RMSPropOptimizer` with one parameter on
 * `backend`, in the case's dtype, with the case's config; non-finite gradients propagate (a golden case
 * may contain them on purpose); a schedule is passed as each step's learning rate. θ is read with
 * `readParameter` after every step (a copy, whatever the backend's buffer location), the final state from
 * `stateDict()`. The caller checks that the backend supports the dtype.
 */
export function runCaseOnBackend(backend: RMSPropBackend, goldenCase: GoldenCase): Trajectory {
  const params = allocateFloatArray(goldenCase.dtype, goldenCase.params.length);
  params.set(goldenCase.params);
  const optimizer = new RMSPropOptimizer({
    backend,
    params: { [PARAM]: params },
    nonFiniteGradients: 'propagate',
    ...goldenCase.config,
  });
  try {
    const grads = allocateFloatArray(goldenCase.dtype, goldenCase.params.length);
    const history: Float64Array[] = [];
    goldenCase.grads.forEach((g, step) => {
      grads.set(g);
      const learningRate = goldenCase.learningRateSchedule?.[step];
      optimizer.step({ [PARAM]: grads }, learningRate === undefined ? undefined : { learningRate });
      history.push(Float64Array.from(optimizer.readParameter(PARAM)));
    });
    const state = optimizer.stateDict().state[PARAM];
    return {
      params: history,
      finalState: {
        meanSquare: decodeAll(state.meanSquare) ?? new Float64Array(0),
        meanGrad: decodeAll(state.meanGrad),
        momentum: decodeAll(state.momentum),
      },
    };
  } finally {
    optimizer.dispose();
  }
}
