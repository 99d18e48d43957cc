/**
 * Type-level tests of BackendRegistry's types (compiled by tsc in type-tests.test.ts; each also runs as an
 * ordinary test): `select()` resolves to the type of a backend registered in the chain, so an optimizer
 * made with it has the backend's capabilities type.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createReferenceBackend } from './__fixtures__/reference-backend.js';
import type { BackendCapabilities, RMSPropBackend } from './backend.js';
import { BackendRegistry, type BackendSelection } from './backend-registry.js';
import { RMSPropOptimizer } from './rmsprop-optimizer.js';

type HostBackend = RMSPropBackend<BackendCapabilities<{ readonly kernel: 'host' }, true>>;
type DeviceBackend = RMSPropBackend<BackendCapabilities<{ readonly mode: 'device' }, false>>;

const createHostBackend = async (): Promise<HostBackend> => createReferenceBackend({ name: 'host' }) as RMSPropBackend as HostBackend;
const createDeviceBackend = async (): Promise<DeviceBackend> => createReferenceBackend({ name: 'device', hostVisible: false }) as RMSPropBackend as DeviceBackend;

describe('BackendRegistry types', () => {
  it('select() resolves to a backend registered in the chain', async () => {
    const { backend } = await new BackendRegistry().register('host', createHostBackend, 1).select();
    expectTypeOf(backend).toEqualTypeOf<HostBackend>();
    expectTypeOf(backend.capabilities.details.kernel).toEqualTypeOf<'host'>();
    const optimizer = new RMSPropOptimizer({ backend, params: { w: new Float32Array(2) }, inPlace: false });
    const grad = optimizer.gradientBuffer('w');
    grad.fill(1); // non-null: the root README's example under strict
    expect(optimizer.step()).toBe(true);
  });

  it('several backends: their union, so host buffers are typed nullable unless all have them', async () => {
    const registry = new BackendRegistry().register('device', createDeviceBackend, 2).register('host', createHostBackend, 1);
    expectTypeOf(registry).toEqualTypeOf<BackendRegistry<DeviceBackend | HostBackend>>();
    const selection = await registry.select();
    expectTypeOf(selection).toEqualTypeOf<BackendSelection<DeviceBackend | HostBackend>>();
    expect(selection.name).toBe('device');
    const optimizer = new RMSPropOptimizer({ backend: selection.backend, params: { w: new Float32Array(2) } });
    expectTypeOf(optimizer.gradientBuffer('w')).toEqualTypeOf<Float32Array | null>();
    expect(optimizer.gradientBuffer('w')).toBeNull();
  });

  it('a registry registered to in separate statements selects any RMSPropBackend; every registry is a BackendRegistry', async () => {
    const registry = new BackendRegistry();
    registry.register('host', createHostBackend, 1);
    expectTypeOf(registry).toEqualTypeOf<BackendRegistry>();
    expectTypeOf((await registry.select()).backend).toEqualTypeOf<RMSPropBackend>();
    const registries: BackendRegistry[] = [registry, new BackendRegistry().register('device', createDeviceBackend).register('host', createHostBackend)];
    expect(registries).toHaveLength(2);
  });
});
