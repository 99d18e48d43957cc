export { CPU_BACKEND_NAME, CpuBackend, createCpuBackend } from './cpu-backend.js';
export type { CpuSlot } from './cpu-slot.js';
