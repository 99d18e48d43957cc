import { createReferenceState, referenceStep } from '@rmsprop/core';
import type { GoldenCase } from './golden-case.js';
import type { Trajectory } from './trajectory.js';

function roundAll(values: Float64Array | null): void {
  if (values === null) return;
  for (let i = 0; i < values.length; i++) values[i] = Math.fround(values[i]);
}

/**
 * Run a case through the spec's float64 reference (`referenceStep`). For a float32 case the reference
 * keeps float32 storage: each step runs in float64 from the float32 state, and θ, v, m and b are rounded
 * to float32 after it — the semantics of a float32 parameter updated by exact arithmetic. This is the
 * column that shows how far each framework's numbers are from the spec.
 */
export function runCaseOnReference(goldenCase: GoldenCase): Trajectory {
  const { config, dtype } = goldenCase;
  const params = Float64Array.from(goldenCase.params);
  const state = createReferenceState(config, params.length);
  const history: Float64Array[] = [];
  goldenCase.grads.forEach((g, step) => {
    referenceStep(config, params, g, state, goldenCase.learningRateSchedule?.[step] ?? config.learningRate);
    if (dtype === 'float32') {
      roundAll(params);
      roundAll(state.meanSquare);
      roundAll(state.meanGrad);
      roundAll(state.momentum);
    }
    history.push(Float64Array.from(params));
  });
  return {
    params: history,
    finalState: {
      meanSquare: Float64Array.from(state.meanSquare),
      meanGrad: state.meanGrad === null ? null : Float64Array.from(state.meanGrad),
      momentum: state.momentum === null ? null : Float64Array.from(state.momentum),
    },
  };
}
