import { seededRandom } from '@rmsprop/app-kit';

/** A dataset of 2-D points with 0/1 labels. */
export interface Dataset {
  readonly x: Float64Array; // 2 per point
  readonly label: Float64Array;
  readonly size: number;
}

/** Two interleaved spirals, `perClass` points each, 1.5 turns, radius up to 1, with a little noise. */
export function twoSpirals(perClass: number, seed = 7): Dataset {
  const random = seededRandom(seed);
  const size = 2 * perClass;
  const x = new Float64Array(2 * size);
  const label = new Float64Array(size);
  for (let k = 0; k < perClass; k++) {
    const u = (k + 0.5) / perClass;
    const angle = u * 3 * Math.PI;
    const r = 0.1 + 0.9 * u;
    for (let c = 0; c < 2; c++) {
      const i = 2 * k + c;
      const sign = c === 0 ? 1 : -1;
      x[2 * i] = sign * r * Math.cos(angle) + (random() - 0.5) * 0.04;
      x[2 * i + 1] = sign * r * Math.sin(angle) + (random() - 0.5) * 0.04;
      label[i] = c;
    }
  }
  return { x, label, size };
}
