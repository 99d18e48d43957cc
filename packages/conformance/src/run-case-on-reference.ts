import { createReferenceState, referenceStep, STATE_BUFFER_NAMES } from '@rmsprop/core';
import type { GoldenCase } from './golden-case.js';
import { stateArrays } from './state-arrays.js';
import type { Trajectory } from './trajectory.js';

function roundAll(values: Float64Array | null): void {
  if (values === null) return;
  for (let i = 0; i < values.length; i++) values[i] = Math.fround(values[i]);
}

/**
 * Run a case through the spec's float64 reference (`referenceStep`). For a float32 case the reference
 * keeps float32 storage: each step runs in float64 from the float32 state, and θ and every state buffer are rounded
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
      for (const name of STATE_BUFFER_NAMES) roundAll(state[name]);
    }
    history.push(Float64Array.from(params));
  });
  return {
    params: history,
    finalState: stateArrays(({ name }) => state[name]?.slice() ?? null),
  };
}
