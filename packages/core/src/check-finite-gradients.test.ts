/** checkFiniteGradients: the per-step NaN/±Infinity scan under the 'error' and 'skip' policies. */
import { describe, expect, it } from 'vitest';
import type { BackendSlot, RMSPropBackend } from './backend.js';
import { checkFiniteGradients } from './check-finite-gradients.js';
import { NonFiniteGradientError } from './errors.js';

const slot = (name: string) => ({ name }) as BackendSlot;
const targets = [
  { name: 'w', backendSlot: slot('w') },
  { name: 'b', backendSlot: slot('b') },
];
const plain = {} as RMSPropBackend;

describe('checkFiniteGradients', () => {
  it('true when every gradient is finite', () => {
    expect(checkFiniteGradients(plain, targets, [Float64Array.of(1, -2), Float32Array.of(1e30)], 'error')).toBe(true);
    expect(checkFiniteGradients(plain, targets, [Float64Array.of(1, -2), Float32Array.of(1e30)], 'skip')).toBe(true);
  });

  it("'skip': false at the first non-finite value", () => {
    expect(checkFiniteGradients(plain, targets, [Float64Array.of(1, 2), Float32Array.of(-Infinity)], 'skip')).toBe(false);
  });

  it("'error': throws naming the first parameter, index and value", () => {
    let caught: unknown;
    try {
      checkFiniteGradients(plain, targets, [Float64Array.of(1, NaN), Float32Array.of(Infinity)], 'error');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NonFiniteGradientError);
    expect((caught as NonFiniteGradientError).parameter).toBe('w');
    expect((caught as NonFiniteGradientError).index).toBe(1);
    expect((caught as Error).message).toMatch(/^gradient of "w" has a non-finite value NaN at index 1; expected finite numbers/);
  });

  it("uses the backend's findNonFinite, with the slot, where it has one", () => {
    const seen: string[] = [];
    const backend = {
      findNonFinite: (s: BackendSlot, g: ArrayLike<number>) => {
        seen.push(s.name);
        return s.name === 'b' ? g.length - 1 : -1; // claims the last element of b, whatever it is
      },
    } as unknown as RMSPropBackend;
    expect(checkFiniteGradients(backend, targets, [Float64Array.of(NaN), Float32Array.of(1, 2)], 'skip')).toBe(false);
    expect(seen).toEqual(['w', 'b']);
  });
});
