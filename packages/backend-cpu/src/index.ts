export { CPU_BACKEND_NAME, CpuBackend } from './cpu-backend.js';
export { createCpuBackend } from './create-cpu-backend.js';
export type { CpuBackendOptions, CpuKernelChoice } from './create-cpu-backend.js';
export type { CpuSlot } from './cpu-slot.js';
export { WasmCpuBackend } from './wasm/wasm-backend.js';
export type { WasmSlot } from './wasm/wasm-slot.js';
