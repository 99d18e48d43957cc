// Whether this browser offers a WebGPU adapter, for the webgpu browser tests (this package's tsconfig has
// no DOM library, hence the minimal types). In __fixtures__ so that the build leaves it out of dist.

interface GpuAdapterInfo {
  vendor: string;
  architecture: string;
}
interface Gpu {
  requestAdapter(): Promise<{ info?: GpuAdapterInfo } | null>;
}

/** Why WebGPU cannot run here, or undefined when an adapter is available (then its vendor is logged). */
export async function webgpuUnavailable(): Promise<string | undefined> {
  const gpu = (globalThis as { navigator?: { gpu?: Gpu } }).navigator?.gpu;
  if (gpu === undefined) return 'navigator.gpu is undefined (WebGPU is off: Chromium needs --enable-unsafe-webgpu and a secure context)';
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return 'navigator.gpu.requestAdapter() returned null (this browser has no WebGPU adapter)';
    console.info(`WebGPU adapter: vendor "${adapter.info?.vendor}", architecture "${adapter.info?.architecture}"`);
    return undefined;
  } catch (error) {
    return `navigator.gpu.requestAdapter() threw ${String(error)}`;
  }
}
