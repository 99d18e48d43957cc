export { createGpujsBackend, isModeSupported } from './create-gpujs-backend.js';
export type { GpujsBackendOptions } from './create-gpujs-backend.js';
export { GpujsBackend, GPUJS_BACKEND_NAME, GPU_MODES } from './gpujs-backend.js';
export type { GpujsBackendCapabilities, GpujsBackendDetails, GpujsMode } from './gpujs-backend.js';
export { GpujsSlot } from './gpujs-slot.js';
export { UPDATE_KERNELS } from './update-kernels.generated.js';
export type { UpdateKernel } from './update-kernels.generated.js';
