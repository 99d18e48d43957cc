// Compiled by scripts/published-types.test.ts against the built packages, as a user's strict code: each
// backend's capabilities are typed with its own details, and host buffers follow hostVisible.
import { BackendRegistry, RMSPropOptimizer, type RMSPropBackend } from '@rmsprop/core';
import { createCpuBackend, type CpuBackendDetails, type JsLoopBackendDetails, type WasmSimdBackendDetails } from '@rmsprop/backend-cpu';
import { createGpujsBackend, type GpujsBackendDetails, type GpujsMode } from '@rmsprop/backend-gpujs';
import { createTfjsBackend, type TfjsBackendDetails } from '@rmsprop/backend-tfjs';
import { expectTypeOf } from 'vitest';

const cpu = await createCpuBackend();
expectTypeOf(cpu.capabilities.details).toEqualTypeOf<CpuBackendDetails>();
expectTypeOf<CpuBackendDetails>().toEqualTypeOf<JsLoopBackendDetails | WasmSimdBackendDetails>();
expectTypeOf(cpu.capabilities.hostVisible).toEqualTypeOf<true>();
expectTypeOf(cpu.capabilities.details.kernel).toEqualTypeOf<'js' | 'wasm-simd'>();
expectTypeOf(cpu.capabilities.details.threads).toEqualTypeOf<1 | 2>();
expectTypeOf(cpu.capabilities.details.fallbackReason).toEqualTypeOf<string | undefined>();
if (cpu.capabilities.details.kernel === 'wasm-simd') {
  expectTypeOf(cpu.capabilities.details.memory).toEqualTypeOf<'shared' | 'fixed'>();
  expectTypeOf(cpu.capabilities.details.arenaCapacityBytes).toEqualTypeOf<number>();
}
// @ts-expect-error -- not a detail of the CPU backend
void cpu.capabilities.details.mode;
const generic: RMSPropBackend = cpu; // every backend is an RMSPropBackend
expectTypeOf(generic.capabilities.details.kernel).toEqualTypeOf<string | number | boolean | undefined>();

const tfjs = await createTfjsBackend();
expectTypeOf(tfjs.capabilities.details).toEqualTypeOf<TfjsBackendDetails>();
expectTypeOf(tfjs.capabilities.details.syncReadBack).toEqualTypeOf<boolean>();
expectTypeOf(tfjs.capabilities.hostVisible).toEqualTypeOf<false>();

const gpujs = await createGpujsBackend({ mode: 'cpu' });
expectTypeOf(gpujs.capabilities.details).toEqualTypeOf<GpujsBackendDetails>();
expectTypeOf(gpujs.capabilities.details.mode).toEqualTypeOf<GpujsMode>();
expectTypeOf(gpujs.capabilities.details.modeReason).toEqualTypeOf<string | undefined>();

// The CPU backend always has gradient buffers; tfjs and gpu.js never do.
const onCpu = new RMSPropOptimizer({ backend: cpu, params: { w: new Float32Array(2) }, inPlace: false });
expectTypeOf(onCpu.gradientBuffer('w')).toEqualTypeOf<Float32Array>();
const onTfjs = new RMSPropOptimizer({ backend: tfjs, params: { w: new Float32Array(2) } });
expectTypeOf(onTfjs.gradientBuffer('w')).toEqualTypeOf<Float32Array | null>();

// select() resolves to the types registered in the chain: a name narrows them.
const { backend } = await new BackendRegistry().register('gpujs', () => createGpujsBackend(), 200).register('cpu', createCpuBackend, 100).select();
if (backend.name === 'gpujs') expectTypeOf(backend.capabilities.details.mode).toEqualTypeOf<GpujsMode>();
else expectTypeOf(backend.capabilities.details.kernel).toEqualTypeOf<'js' | 'wasm-simd'>();
const { backend: onlyCpu } = await new BackendRegistry().register('cpu', createCpuBackend, 100).select();
expectTypeOf(new RMSPropOptimizer({ backend: onlyCpu, params: { w: new Float64Array(1) } }).gradientBuffer('w')).toEqualTypeOf<Float64Array>();
