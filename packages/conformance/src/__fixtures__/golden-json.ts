/** Builders for golden-vector JSON in tests. */

/** A file in the format `rmsprop-golden/1` holding `cases`. */
export function goldenFile(...cases: unknown[]): { format: string; cases: unknown[] } {
  return { format: 'rmsprop-golden/1', cases };
}

/**
 * Plain RMSProp (spec defaults except η, ρ: ε outside the root, no momentum, not centered), float64,
 * computed here from the formula written out by hand, independent of `referenceStep`:
 * v ← ρ·v + (1 − ρ)·g², θ ← θ − η·g / (√v + ε).
 */
export function handComputedPlainCase(name = 'user/float64/plain-two-steps'): {
  name: string;
  source: string;
  dtype: 'float64';
  config: { learningRate: number; rho: number; epsilon: number };
  params: number[];
  grads: number[][];
  expected: number[][];
  finalState: { meanSquare: number[] };
} {
  const learningRate = 0.01;
  const rho = 0.9;
  const epsilon = 1e-8;
  const params = [1, -2, 0.5];
  const grads = [
    [0.5, -1, 0],
    [0.25, 2, -3],
  ];
  const theta = [...params];
  const v = [0, 0, 0];
  const expected: number[][] = [];
  for (const g of grads) {
    for (let i = 0; i < theta.length; i++) {
      v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
      theta[i] = theta[i] - (learningRate * g[i]) / (Math.sqrt(v[i]) + epsilon);
    }
    expected.push([...theta]);
  }
  return {
    name,
    source: 'computed by hand in the test from v ← ρv + (1−ρ)g², θ ← θ − ηg/(√v + ε)',
    dtype: 'float64',
    config: { learningRate, rho, epsilon },
    params,
    grads,
    expected,
    finalState: { meanSquare: [...v] },
  };
}
