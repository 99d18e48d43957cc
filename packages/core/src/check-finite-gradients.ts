import type { BackendSlot, RMSPropBackend } from './backend.js';
import type { FloatArray } from './dtype.js';
import { NonFiniteGradientError } from './errors.js';
import { findNonFinite } from './find-non-finite.js';

/**
 * Whether every gradient is finite: `grads[i]` belongs to `targets[i]`, scanned by the backend's own
 * `findNonFinite` where it has one. At the first NaN or ±Infinity, returns false under the 'skip' policy
 * and throws `NonFiniteGradientError` (naming the parameter, index and value) under 'error'. Allocates
 * nothing: it runs at every step.
 */
export function checkFiniteGradients(
  backend: RMSPropBackend,
  targets: readonly { readonly name: string; readonly backendSlot: BackendSlot }[],
  grads: readonly FloatArray[],
  policy: 'error' | 'skip',
): boolean {
  for (let i = 0; i < targets.length; i++) {
    const g = grads[i];
    const j = backend.findNonFinite === undefined ? findNonFinite(g) : backend.findNonFinite(targets[i].backendSlot, g);
    if (j >= 0) {
      if (policy === 'skip') return false;
      throw new NonFiniteGradientError(targets[i].name, j, g[j]);
    }
  }
  return true;
}
