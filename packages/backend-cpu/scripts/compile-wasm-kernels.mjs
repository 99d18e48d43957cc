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

/**
 * The text of the generated module holding one binary, base64-encoded, as the one export `name`. Each binary
 * is a module of its own, which the backend imports dynamically (src/wasm/wasm-kernels.ts): bundlers put each
 * in a chunk of its own, and a page loads only the one its memory needs. The constant is declared `string`,
 * so that its declaration (.d.ts) is one line, not the literal's type (the whole base64 text).
 */
export function renderKernelBinaryModule(name, binary, shared) {
  const memory = shared ? 'a shared memory (cross-origin-isolated pages, Node)' : 'an ordinary memory (pages without cross-origin isolation)';
  return `${generatedHeader(`The CPU backend's WebAssembly SIMD kernels (scripts/wasm-kernel-wat.mjs) for ${memory}, base64-encoded.`)}
/** The kernel module importing ${shared ? 'a shared' : 'an ordinary'} memory (${binary.length} bytes), base64-encoded. */
export const ${name}: string = '${Buffer.from(binary).toString('base64')}';
`;
}
