/**
 * Type-level tests of RMSPropOptimizer's types (compiled by tsc in type-tests.test.ts; each also runs as an
 * ordinary test): names and dtypes follow `params` and `groups`, `gradientBuffer` is non-null where the
 * backend's capabilities type says `hostVisible: true`, and every optimizer is an `RMSPropOptimizer`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createReferenceBackend } from './__fixtures__/reference-backend.js';
import type { BackendCapabilities, RMSPropBackend } from './backend.js';
import type { FloatArray } from './dtype.js';
import { ParameterNameError } from './errors.js';
import type { ParameterGroup, ParameterMap, RMSPropOptimizerOptions } from './rmsprop-optimizer-options.js';
import { RMSPropOptimizer } from './rmsprop-optimizer.js';

/** Details of the reference backend, as a backend declares its own. */
type ReferenceDetails = { readonly kernel: 'referenceStep' };
/** A backend whose slots always have host views (the reference backend's default), typed as such. */
type HostBackend = RMSPropBackend<BackendCapabilities<ReferenceDetails, true>>;
/** A backend whose slots never have host views (the reference backend with `hostVisible: false`). */
type DeviceBackend = RMSPropBackend<BackendCapabilities<ReferenceDetails, false>>;

const hostBackend = (): HostBackend => createReferenceBackend() as RMSPropBackend as HostBackend;
const deviceBackend = (): DeviceBackend => createReferenceBackend({ hostVisible: false }) as RMSPropBackend as DeviceBackend;

describe('RMSPropOptimizer types', () => {
  it('params: the names written, each parameter of its own dtype', async () => {
    const opt = new RMSPropOptimizer({ backend: hostBackend(), params: { w: new Float32Array(2), b: new Float64Array(1) } });
    expectTypeOf(opt.parameter('w')).toEqualTypeOf<Float32Array>();
    expectTypeOf(opt.parameter('b')).toEqualTypeOf<Float64Array>();
    expectTypeOf(opt.readParameter('w')).toEqualTypeOf<Float32Array>();
    expectTypeOf(await opt.readParameterAsync('b')).toEqualTypeOf<Float64Array>();
    expectTypeOf(opt.parameterNames).toEqualTypeOf<('w' | 'b')[]>();
    expectTypeOf(opt.groups[0].params).toEqualTypeOf<('w' | 'b')[]>();
    expectTypeOf(opt.backend).toEqualTypeOf<HostBackend>();
    expect(opt.parameter('w')).toBeInstanceOf(Float32Array);
    expect(opt.readParameter('b')).toBeInstanceOf(Float64Array);
    // @ts-expect-error -- not a parameter of this optimizer
    expect(() => opt.parameter('x')).toThrow(ParameterNameError);
    // @ts-expect-error -- nor here
    expect(() => opt.writeParameter('x', [1])).toThrow(ParameterNameError);
    // @ts-expect-error -- nor here
    expect(() => opt.configOf('x')).toThrow(ParameterNameError);
  });

  it('gradientBuffer is non-null where the capabilities type says hostVisible: true, and nullable elsewhere', () => {
    const host = new RMSPropOptimizer({ backend: hostBackend(), params: { w: new Float32Array(2) }, inPlace: false });
    const grad = host.gradientBuffer('w');
    expectTypeOf(grad).toEqualTypeOf<Float32Array>();
    grad[0] += 1; // the root README's loop, under strict
    expect(host.step()).toBe(true);

    const device = new RMSPropOptimizer({ backend: deviceBackend(), params: { w: new Float64Array(2) } });
    expectTypeOf(device.gradientBuffer('w')).toEqualTypeOf<Float64Array | null>();
    expect(device.gradientBuffer('w')).toBeNull();

    const backend: RMSPropBackend = hostBackend();
    const untyped = new RMSPropOptimizer({ backend, params: { w: new Float64Array(2) } });
    expectTypeOf(untyped.gradientBuffer('w')).toEqualTypeOf<Float64Array | null>();

    const either: HostBackend | DeviceBackend = deviceBackend();
    const mixed = new RMSPropOptimizer({ backend: either, params: { w: new Float32Array(2) } });
    expectTypeOf(mixed.gradientBuffer('w')).toEqualTypeOf<Float32Array | null>();
  });

  it('step takes every name with an array of its dtype, or a Map', () => {
    const opt = new RMSPropOptimizer({ backend: hostBackend(), params: { w: new Float32Array(1), b: new Float64Array(1) } });
    expect(opt.step({ w: new Float32Array(1), b: new Float64Array(1) })).toBe(true);
    expect(opt.step(new Map<string, FloatArray>([['w', new Float32Array(1)], ['b', new Float64Array(1)]]))).toBe(true);
    // @ts-expect-error -- b is missing
    expect(() => opt.step({ w: new Float32Array(1) })).toThrow(ParameterNameError);
    // @ts-expect-error -- w is float32
    expect(() => opt.step({ w: new Float64Array(1), b: new Float64Array(1) })).toThrow();
  });

  it('groups written out: the names of every group, each of its own dtype; group fields are checked', () => {
    const weights = new Float32Array(4);
    const biases = new Float64Array(2);
    const opt = new RMSPropOptimizer({
      backend: hostBackend(),
      groups: [
        { name: 'weights', params: { weights }, weightDecay: 1e-4 },
        { name: 'biases', params: { biases }, rho: 0.5 },
      ],
    });
    expectTypeOf(opt.parameter('weights')).toEqualTypeOf<Float32Array>();
    expectTypeOf(opt.parameter('biases')).toEqualTypeOf<Float64Array>();
    expectTypeOf(opt.parameterNames).toEqualTypeOf<('weights' | 'biases')[]>();
    expectTypeOf(opt.gradientBuffer('biases')).toEqualTypeOf<Float64Array>();
    expect(opt.parameterNames).toEqual(['weights', 'biases']);
    // @ts-expect-error -- not a parameter of any group
    expect(() => opt.parameter('w')).toThrow(ParameterNameError);
    // @ts-expect-error -- a misspelt config field in a group is refused, as by the constructor
    expect(() => new RMSPropOptimizer({ backend: hostBackend(), groups: [{ params: { weights }, weightdecay: 1 }] })).toThrow();
  });

  it('groups built at run time, and params of type ParameterMap: any name, either dtype', () => {
    const groups: ParameterGroup[] = ['a', 'b'].map((name) => ({ name, params: { [name]: new Float32Array(1) } }));
    const fromGroups = new RMSPropOptimizer({ backend: hostBackend(), groups });
    expectTypeOf(fromGroups.parameter('a')).toEqualTypeOf<FloatArray>();
    expectTypeOf(fromGroups.parameterNames).toEqualTypeOf<string[]>();

    const params: ParameterMap = { w: new Float64Array(1) };
    const fromMap = new RMSPropOptimizer({ backend: hostBackend(), params });
    expectTypeOf(fromMap.parameter('w')).toEqualTypeOf<FloatArray>();
    expectTypeOf(fromMap.step).parameter(0).toEqualTypeOf<Readonly<Record<string, FloatArray>> | ReadonlyMap<string, FloatArray> | undefined>();

    const options: RMSPropOptimizerOptions = { backend: hostBackend(), params };
    const fromOptions = new RMSPropOptimizer(options);
    expectTypeOf(fromOptions.parameter('w')).toEqualTypeOf<FloatArray>();
    expectTypeOf(fromOptions.gradientBuffer('w')).toEqualTypeOf<FloatArray | null>();
  });

  it('every optimizer is an RMSPropOptimizer; without type arguments: names are strings', () => {
    const opt = new RMSPropOptimizer({ backend: hostBackend(), params: { w: new Float32Array(1) } });
    const grouped = new RMSPropOptimizer({ backend: deviceBackend(), groups: [{ params: { a: new Float32Array(1) } }, { params: { b: new Float64Array(1) } }] });
    const any: RMSPropOptimizer[] = [opt, grouped];
    const first = any[0];
    expectTypeOf(first.parameterNames).toEqualTypeOf<string[]>();
    expectTypeOf(first.parameter('w')).toEqualTypeOf<FloatArray>();
    expectTypeOf(first.gradientBuffer('w')).toEqualTypeOf<FloatArray | null>();
    expectTypeOf(first.backend).toEqualTypeOf<RMSPropBackend>();
    const named: RMSPropOptimizer<{ w: Float32Array<ArrayBuffer> }, HostBackend> = opt;
    expectTypeOf(named.gradientBuffer('w')).toEqualTypeOf<Float32Array>();
    expect(any.map((o) => o.parameterNames)).toEqual([['w'], ['a', 'b']]);
  });
});
