/** The name the CPU backend (both kernels) registers under and reports. */
export const CPU_BACKEND_NAME = 'cpu';
