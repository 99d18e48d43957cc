import type { BackendSlot, RMSPropBackend, SlotRequest } from './backend.js';
import { describeValue } from './errors.js';

/**
 * The backend's slots for `requests`, in order: through `createSlots` where the backend has it (one
 * layout for all), else one `createSlot` each. All or none: where one fails, those made are disposed (and
 * where `createSlots` returns the wrong number of slots, those it returned). A backend that returns no
 * array, or the wrong number of slots, is broken: that is a TypeError.
 */
export function createAllSlots(backend: RMSPropBackend, requests: readonly SlotRequest[]): BackendSlot[] {
  if (typeof backend.createSlots === 'function') {
    const slots: unknown = backend.createSlots(requests);
    if (!Array.isArray(slots) || slots.length !== requests.length) {
      if (Array.isArray(slots)) {
        for (const slot of slots as unknown[]) {
          if (slot !== null && typeof slot === 'object' && typeof (slot as BackendSlot).dispose === 'function') (slot as BackendSlot).dispose();
        }
      }
      const returned = Array.isArray(slots) ? `${slots.length} slots` : describeValue(slots);
      throw new TypeError(`backend ${describeValue(backend.name)}: createSlots returned ${returned} for ${requests.length} requests`);
    }
    return slots as BackendSlot[];
  }
  const slots: BackendSlot[] = [];
  try {
    for (const request of requests) slots.push(backend.createSlot(request));
  } catch (error) {
    for (const slot of slots) slot.dispose();
    throw error;
  }
  return slots;
}
