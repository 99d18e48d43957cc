// Every generated file of the package, as path (relative to the package) → text.
import { compileKernelModules, renderKernelBinaryModule } from './compile-wasm-kernels.mjs';
import { renderJsKernels } from './js-kernels-source.mjs';
import { renderKernelAbi } from './kernel-abi-source.mjs';

export async function generatedFiles() {
  const { shared, unshared } = await compileKernelModules();
  return {
    'src/js-kernels.generated.ts': renderJsKernels(),
    'src/wasm/kernel-abi.generated.ts': renderKernelAbi(),
    'src/wasm/shared-memory-kernels.generated.ts': renderKernelBinaryModule('SHARED_MEMORY_KERNELS', shared, true),
    'src/wasm/unshared-memory-kernels.generated.ts': renderKernelBinaryModule('UNSHARED_MEMORY_KERNELS', unshared, false),
  };
}
