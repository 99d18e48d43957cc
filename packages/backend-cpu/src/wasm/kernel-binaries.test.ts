/**
 * The generated kernel binaries (src/wasm/shared-memory-kernels.generated.ts and
 * unshared-memory-kernels.generated.ts) are what the generator makes from
 * scripts/wasm-kernel-wat.mjs today, they validate, and they export what the backend looks up: 36 variants
 * in each dtype (k0_f32 … k35_f64, 3 integer parameters each: the descriptor table, the count, the constants' offset) and the two non-finite scans, over one imported
 * memory (shared in one build, ordinary in the other). The generator's variant numbering, descriptor layout
 * and constant order are the backend's.
 */
import { KERNEL_CONSTANTS, UPDATE_VARIANTS, createKernelConstants, resolveConfig, setKernelConstants, variantIndex, variantIndexOf, type RMSPropConfig, type UpdateVariant } from '@rmsprop/core';
import { describe, expect, it } from 'vitest';
import { JS_KERNELS } from '../js-kernels.generated.js';
import { selectKernel } from '../select-kernel.js';
import { slotRequest, wasmTestBackend } from './__fixtures__/wasm-fixtures.js';
import { CONSTANTS_BYTES, DESCRIPTOR_BYTES, DESCRIPTOR_FIELDS, KERNEL_EXPORTS, VARIANT_COUNT } from './kernel-abi.generated.js';
import { SHARED_MEMORY_KERNELS } from './shared-memory-kernels.generated.js';
import { UNSHARED_MEMORY_KERNELS } from './unshared-memory-kernels.generated.js';

/** What scripts/compile-wasm-kernels.mjs exports (a build script, loaded as it is, without types). */
interface CompileScript {
  compileKernelModules(): Promise<{ shared: Uint8Array; unshared: Uint8Array }>;
}

/** What scripts/wasm-kernel-wat.mjs exports. */
interface WatScript {
  DESCRIPTOR_FIELDS: string[];
  DESCRIPTOR_BYTES: number;
  CONSTANTS_BYTES: number;
  kernelName(index: number, dtype: 'float32' | 'float64'): string;
  kernelModuleWat(options: { shared: boolean }): string;
}

const scriptUrl = (name: string) => new URL(`../../scripts/${name}`, import.meta.url).href;
const loadCompileScript = async () => (await import(/* @vite-ignore */ scriptUrl('compile-wasm-kernels.mjs'))) as CompileScript;
const loadWatScript = async () => (await import(/* @vite-ignore */ scriptUrl('wasm-kernel-wat.mjs'))) as WatScript;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const bytes = Buffer.from(base64, 'base64');
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

/** Every kernel export name, in variant order: k0_f32, k0_f64, …, k35_f64. */
const KERNEL_NAMES = Array.from({ length: 36 }, (_, i) => [`k${i}_f32`, `k${i}_f64`]).flat();

/** A config with the structural switches of `variant` and the other fields arbitrary but valid. */
function configOf(variant: UpdateVariant, extra: Partial<RMSPropConfig> = {}): Readonly<RMSPropConfig> {
  return resolveConfig({
    momentum: variant.momentum === 'none' ? 0 : 0.5,
    nesterov: variant.momentum === 'nesterov',
    centered: variant.centered,
    biasCorrection: variant.biasCorrection,
    weightDecay: variant.weightDecay === 'none' ? 0 : 0.01,
    decoupledWeightDecay: variant.weightDecay === 'decoupled',
    ...extra,
  });
}

describe('the generated binaries', () => {
  it('decode to what compileKernelModules makes from the current WAT generator', async () => {
    const { shared, unshared } = await (await loadCompileScript()).compileKernelModules();
    expect(Buffer.compare(decode(SHARED_MEMORY_KERNELS), shared)).toBe(0);
    expect(Buffer.compare(decode(UNSHARED_MEMORY_KERNELS), unshared)).toBe(0);
    // The two builds differ (the memory import's shared flag), and nowhere else in size.
    expect(Buffer.compare(shared, unshared)).not.toBe(0);
    expect(shared.length).toBe(unshared.length);
  });

  it.each([
    ['shared', SHARED_MEMORY_KERNELS],
    ['unshared', UNSHARED_MEMORY_KERNELS],
  ])('%s: validates, imports only env.memory, exports the 72 kernels (3 parameters) and the 2 scans', async (build, base64) => {
    const bytes = decode(base64);
    expect(WebAssembly.validate(bytes)).toBe(true);
    const module = new WebAssembly.Module(bytes);
    expect(WebAssembly.Module.imports(module)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const exports = WebAssembly.Module.exports(module);
    expect(exports.every((e) => e.kind === 'function')).toBe(true);
    expect(exports.map((e) => e.name)).toEqual([...KERNEL_NAMES, 'nonfinite_f32', 'nonfinite_f64']);
    expect(KERNEL_NAMES).toHaveLength(2 * VARIANT_COUNT);
    const memory = new WebAssembly.Memory(build === 'shared' ? { initial: 1, maximum: 65536, shared: true } : { initial: 1, maximum: 1 });
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    for (const name of KERNEL_NAMES) expect((instance.exports[name] as (...args: number[]) => void).length, name).toBe(3);
    expect((instance.exports.nonfinite_f32 as () => number).length).toBe(2);
    expect((instance.exports.nonfinite_f64 as () => number).length).toBe(2);
  });

  it('the shared build links only to a shared memory, the other only to an ordinary one', () => {
    const shared = new WebAssembly.Module(decode(SHARED_MEMORY_KERNELS));
    const unshared = new WebAssembly.Module(decode(UNSHARED_MEMORY_KERNELS));
    const sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const ordinaryMemory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
    expect(() => new WebAssembly.Instance(shared, { env: { memory: sharedMemory } })).not.toThrow();
    expect(() => new WebAssembly.Instance(unshared, { env: { memory: ordinaryMemory } })).not.toThrow();
    expect(() => new WebAssembly.Instance(shared, { env: { memory: ordinaryMemory } })).toThrow(WebAssembly.LinkError);
    expect(() => new WebAssembly.Instance(unshared, { env: { memory: sharedMemory } })).toThrow(WebAssembly.LinkError);
  });

  it('the generator emits one function per variant and dtype, SIMD and scalar loops in each', async () => {
    const wat = await loadWatScript();
    for (const shared of [false, true]) {
      const text = wat.kernelModuleWat({ shared });
      expect(text.includes('(memory 1 65536 shared)')).toBe(shared);
      for (const name of KERNEL_NAMES) expect(text.split(`(export "${name}")`).length - 1, name).toBe(1);
      expect(text.split('(block $vecDone').length - 1).toBe(72 + 2);
      expect(text.split('(block $tailDone').length - 1).toBe(72 + 2);
    }
  });
});

describe('the generator and the backend agree', () => {
  it('on variant numbering: variantIndexOf(config), the export names and the JS loops use the update program\'s order', async () => {
    const wat = await loadWatScript();
    expect(UPDATE_VARIANTS).toHaveLength(VARIANT_COUNT);
    UPDATE_VARIANTS.forEach((variant, index) => {
      expect(variantIndex(variant)).toBe(index);
      expect(KERNEL_EXPORTS.float32[index]).toBe(wat.kernelName(index, 'float32'));
      expect(KERNEL_EXPORTS.float64[index]).toBe(wat.kernelName(index, 'float64'));
      // The folded switches never change the variant.
      for (const extra of [{}, { maximize: true, epsilonPlacement: 'inside' as const, learningRateInMomentum: true, initialMeanSquare: 1 }]) {
        const config = configOf(variant, extra);
        expect(variantIndexOf(config), JSON.stringify(variant)).toBe(index);
        expect(selectKernel(config)).toBe(JS_KERNELS[index]);
      }
    });
    expect(new Set(JS_KERNELS).size).toBe(VARIANT_COUNT);
    // Switches that are off by value: wd = 0 with decoupled set, μ = 0 (nesterov must then be false).
    expect(variantIndexOf(resolveConfig({ weightDecay: 0, decoupledWeightDecay: true }))).toBe(0);
    expect(variantIndexOf(resolveConfig({ momentum: 0, centered: true }))).toBe(6);
  });

  it('on the descriptor layout and the order of the per-call constants', async () => {
    const wat = await loadWatScript();
    expect(wat.DESCRIPTOR_FIELDS).toEqual(DESCRIPTOR_FIELDS);
    expect(wat.DESCRIPTOR_BYTES).toBe(DESCRIPTOR_BYTES);
    expect(DESCRIPTOR_BYTES).toBe(4 * DESCRIPTOR_FIELDS.length);
    expect(wat.CONSTANTS_BYTES).toBe(CONSTANTS_BYTES);
    expect(CONSTANTS_BYTES).toBe(8 * KERNEL_CONSTANTS.length);
    const { backend, calls } = await wasmTestBackend();
    const config = resolveConfig({
      learningRate: 0.3,
      rho: 0.7,
      epsilon: 1e-3,
      epsilonPlacement: 'inside',
      momentum: 0.6,
      learningRateInMomentum: true,
      centered: true,
      weightDecay: 0.02,
      decoupledWeightDecay: true,
      maximize: true,
      biasCorrection: true,
    });
    const slot = backend.createSlot(slotRequest('w', new Float64Array([1, 2, 3]), config));
    backend.step([{ slot, grads: new Float64Array([0.1, 0.2, 0.3]), hyper: { config, learningRate: 0.25, step: 7 } }]);
    const expected = createKernelConstants();
    setKernelConstants(expected, { config, learningRate: 0.25, step: 7 });
    expect(calls).toHaveLength(1);
    expect(calls[0].scalars).toEqual(Array.from(expected));
    const offsets = (slot as unknown as { offsets: Record<string, number> }).offsets;
    expect(calls[0].descriptors).toEqual([[...DESCRIPTOR_FIELDS.slice(0, -1).map((field) => offsets[field]), 3]]);
    expect(DESCRIPTOR_FIELDS.at(-1)).toBe('length');
  });
});
