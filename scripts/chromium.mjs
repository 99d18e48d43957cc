// Debian's Chromium for every browser test in the repository (never a downloaded browser), and the flags
// it runs with. Shared by the vitest browser configs (backend-tfjs, backend-gpujs) and the playground's
// page tests.

/** Debian's Chromium (`apt-get install chromium`). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Measured with Chromium 156 (Debian 12), headless, no GPU: WebGL2 is ANGLE on SwiftShader (Vulkan) with
 * EXT_color_buffer_float, and `navigator.gpu.requestAdapter()` returns Dawn's SwiftShader adapter
 * (vendor "google", architecture "swiftshader"). Only --enable-unsafe-webgpu is required for WebGPU
 * (without it the adapter is null). The SwiftShader flags ask for the software renderer explicitly, so
 * that a machine with a real GPU should run on the same renderer as CI (not checked on one). With or
 * without --disable-gpu both APIs work here; it is left out.
 */
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  // Quiet and offline: without these Chromium floods a closed network with refused connections.
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
