export { createGpujsBackend, isModeSupported } from './create-gpujs-backend.js';
export type { GpujsBackendOptions } from './create-gpujs-backend.js';
export { GpujsBackend, GPUJS_BACKEND_NAME, GPU_MODES } from './gpujs-backend.js';
export type { GpujsMode } from './gpujs-backend.js';
export { GpujsSlot } from './gpujs-slot.js';
export { updateKernelSource, SCALAR_ARGUMENTS } from './update-kernel-source.js';
export type { KernelShape } from './update-kernel-source.js';
