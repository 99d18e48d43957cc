import type { BackendSlot, RMSPropBackend, SlotRequest } from './backend.js';

/**
 * The backend's slots for `requests`, in order: through `createSlots` where the backend has it (one
 * layout for all), else one `createSlot` each. All or none: where one fails, those made are disposed.
 */
export function createAllSlots(backend: RMSPropBackend, requests: readonly SlotRequest[]): BackendSlot[] {
  if (typeof backend.createSlots === 'function') {
    const slots = backend.createSlots(requests);
    if (!Array.isArray(slots) || slots.length !== requests.length) {
      throw new TypeError(`backend "${backend.name}": createSlots returned ${Array.isArray(slots) ? `${slots.length} slots` : String(slots)} for ${requests.length} requests`);
    }
    return slots;
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
