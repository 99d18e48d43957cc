export { createTfjsBackend, TfjsBackend, TFJS_BACKEND_NAME } from './tfjs-backend.js';
export type { TfjsBackendCapabilities, TfjsBackendDetails, TfjsBackendOptions } from './tfjs-backend.js';
export { TfjsSlot } from './tfjs-slot.js';
export type { SlotVariables } from './tfjs-slot.js';
export { rmspropUpdate } from './tfjs-update.js';
export type { UpdateInputs, UpdateOutputs } from './tfjs-update.js';
export { RMSPropTfjsOptimizer, registerRMSPropTfjsOptimizer } from './rmsprop-tfjs-optimizer.js';
export type { RMSPropTfjsOptimizerOptions } from './rmsprop-tfjs-optimizer.js';
