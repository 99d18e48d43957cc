/** The median: the middle value, or the mean of the two middle values for an even count. NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** max/min of positive values: 1 means every round agreed. NaN when empty. */
export function spread(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return Math.max(...values) / Math.min(...values);
}

/**
 * The order in which round `round` runs `count` implementations: every implementation once, rotated by one
 * place per round, so each one takes each position (first, after the allocating peer, …) equally often over
 * `count` rounds and no implementation always runs in the same neighbour's wake.
 */
export function interleavedOrder(count: number, round: number): number[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  if (!Number.isInteger(round) || round < 0) throw new RangeError(`round must be a whole number ≥ 0, got ${round}`);
  const start = count === 0 ? 0 : round % count;
  return Array.from({ length: count }, (_, i) => (start + i) % count);
}

/** Elements per second of one sample: n elements × steps in `seconds`. */
export function elementsPerSecond(n: number, steps: number, seconds: number): number {
  return (n * steps) / seconds;
}

/**
 * Steps for one sample to last about `targetSeconds`, from a measured time per step: at least 1, and at most
 * `maxSteps` (so a mis-measured tiny step cannot start an endless sample).
 */
export function stepsForTarget(secondsPerStep: number, targetSeconds: number, maxSteps = 10_000_000): number {
  if (!(secondsPerStep > 0) || !Number.isFinite(secondsPerStep)) return 1;
  // (less a hair, so 0.019 / 0.001 computed as 19.000000000000004 asks for 19)
  return Math.max(1, Math.min(maxSteps, Math.ceil(targetSeconds / secondsPerStep - 1e-9)));
}
