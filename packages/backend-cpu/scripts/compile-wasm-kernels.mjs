// Compiles the kernel module's text (wasm-kernel-wat.mjs) to binaries with wabt (a build-time dependency).
import wabtInit from 'wabt';
import { generatedHeader } from './js-kernels-source.mjs';
import { kernelModuleWat } from './wasm-kernel-wat.mjs';

/** Both binaries: `shared` imports a shared memory, `unshared` an ordinary one. */
export async function compileKernelModules() {
  const wabt = await wabtInit();
  const compile = (shared) => {
    const module = wabt.parseWat(`rmsprop-kernels${shared ? '-shared' : ''}.wat`, kernelModuleWat({ shared }), { simd: true, threads: true });
    try {
      const binary = new Uint8Array(module.toBinary({ log: false, write_debug_names: false }).buffer);
      // wabt's own validator does not take the threads feature; the engine's does.
      if (!WebAssembly.validate(binary)) throw new Error(`the generated kernel module (shared: ${shared}) does not validate`);
      return binary;
    } finally {
      module.destroy();
    }
  };
  return { shared: compile(true), unshared: compile(false) };
}

/** The generated module's text. */
export function renderGeneratedFile(shared, unshared) {
  return `${generatedHeader("The CPU backend's WebAssembly SIMD kernels (scripts/wasm-kernel-wat.mjs), base64-encoded: for a shared memory, and for an ordinary one.")}
/** The module importing a shared memory (${shared.length} bytes). */
export const SHARED_MEMORY_KERNELS = '${Buffer.from(shared).toString('base64')}';

/** The module importing an ordinary memory (${unshared.length} bytes). */
export const UNSHARED_MEMORY_KERNELS = '${Buffer.from(unshared).toString('base64')}';
`;
}
