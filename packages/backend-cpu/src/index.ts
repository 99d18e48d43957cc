export { CPU_BACKEND_NAME } from './cpu-backend-name.js';
export { JsLoopBackend } from './js-loop-backend.js';
export type { JsLoopBackendCapabilities, JsLoopBackendDetails } from './js-loop-backend.js';
export { createCpuBackend } from './create-cpu-backend.js';
export type { CpuBackendDetails, CpuBackendOptions, CpuKernelChoice } from './create-cpu-backend.js';
export type { JsLoopSlot } from './js-loop-slot.js';
export { WasmSimdBackend } from './wasm/wasm-simd-backend.js';
export type { WasmSimdBackendCapabilities, WasmSimdBackendDetails } from './wasm/wasm-simd-backend.js';
export type { WasmSlot } from './wasm/wasm-slot.js';
