import { seededRandom } from '@rmsprop/app-kit';

/**
 * Fills `target` with values of magnitude in [0.1, 1) and random sign. Staying away from zero keeps g² and
 * v far from subnormal numbers, which some CPUs process much more slowly and which would measure the CPU's
 * subnormal handling instead of the update.
 */
export function fillBenchValues(target: { length: number; [i: number]: number }, seed: number): void {
  const random = seededRandom(seed);
  for (let i = 0; i < target.length; i++) {
    const r = random();
    const magnitude = 0.1 + 0.9 * random();
    target[i] = r < 0.5 ? -magnitude : magnitude;
  }
}

/** Seeds for θ and g of parameter `index`, so every implementation starts from the same numbers. */
export function benchSeeds(index: number): { params: number; grads: number } {
  return { params: 1 + 2 * index, grads: 2 + 2 * index };
}
