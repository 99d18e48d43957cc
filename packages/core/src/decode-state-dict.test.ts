/**
 * decodeStateDict on its own: what it returns for a valid dict, and that it checks against the layout it
 * is given. Every error message, with an optimizer left unchanged: state-dict.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { decodeStateDict, type StateDictLayoutGroup } from './decode-state-dict.js';
import { StateDictError } from './errors.js';
import { encodeStateDict, type RMSPropStateDict } from './state-dict.js';
import { resolveConfig } from './validate-config.js';

const layout: StateDictLayoutGroup[] = [
  { config: resolveConfig({ momentum: 0.5 }), params: [{ name: 'w', length: 2, dtype: 'float64' }] },
  { config: resolveConfig({ centered: true }), params: [{ name: 'b', length: 1, dtype: 'float32' }, { name: 'c', length: 1, dtype: 'float32' }] },
];

function saved(): RMSPropStateDict {
  const z = (n: number) => new Float64Array(n);
  return encodeStateDict(3, [
    { name: 'g0', config: resolveConfig({ momentum: 0.9, learningRate: 0.5 }), params: [{ name: 'w', dtype: 'float64', length: 2, step: 3, state: { meanSquare: Float64Array.of(1, NaN), meanGrad: null, momentum: Float64Array.of(-Infinity, 2) } }] },
    {
      name: 'g1',
      config: resolveConfig({ centered: true, rho: 0.5 }),
      params: [
        { name: 'b', dtype: 'float32', length: 1, step: 2, state: { meanSquare: Float32Array.of(0.25), meanGrad: Float32Array.of(-0.5), momentum: null } },
        { name: 'c', dtype: 'float32', length: 1, step: 0, state: { meanSquare: z(1), meanGrad: z(1), momentum: null } },
      ],
    },
  ]);
}

function pathOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StateDictError);
    return (error as StateDictError).path;
  }
  throw new Error('expected a StateDictError');
}

describe('decodeStateDict', () => {
  it('returns the step, each group\'s resolved config from the dict, and every parameter\'s state as float64, in layout order', () => {
    const dict = JSON.parse(JSON.stringify(saved())) as RMSPropStateDict;
    const decoded = decodeStateDict(dict, layout);
    expect(decoded.step).toBe(3);
    expect(decoded.configs).toEqual([resolveConfig({ momentum: 0.9, learningRate: 0.5 }), resolveConfig({ centered: true, rho: 0.5 })]);
    expect(Object.isFrozen(decoded.configs[0])).toBe(true);
    expect(decoded.parameters).toEqual([
      { name: 'w', step: 3, state: { meanSquare: Float64Array.of(1, NaN), meanGrad: null, momentum: Float64Array.of(-Infinity, 2) } },
      { name: 'b', step: 2, state: { meanSquare: Float64Array.of(0.25), meanGrad: Float64Array.of(-0.5), momentum: null } },
      { name: 'c', step: 0, state: { meanSquare: Float64Array.of(0), meanGrad: Float64Array.of(0), momentum: null } },
    ]);
    expect(dict).toEqual(JSON.parse(JSON.stringify(saved()))); // the dict is only read
  });

  it('checks against the layout: group count, names and order, lengths, state buffers', () => {
    expect(pathOf(() => decodeStateDict(saved(), layout.slice(0, 1)))).toBe('.groups');
    const renamed = [layout[0], { ...layout[1], params: [{ name: 'c', length: 1, dtype: 'float32' as const }, { name: 'b', length: 1, dtype: 'float32' as const }] }];
    expect(pathOf(() => decodeStateDict(saved(), renamed))).toBe('.groups[1].params');
    const longer = [layout[0], { ...layout[1], params: [{ name: 'b', length: 1, dtype: 'float32' as const }, { name: 'c', length: 2, dtype: 'float32' as const }] }];
    expect(pathOf(() => decodeStateDict(saved(), longer))).toBe('.state["c"].length');
    const plain = [{ ...layout[0], config: resolveConfig({}) }, layout[1]];
    expect(pathOf(() => decodeStateDict(saved(), plain))).toBe('.groups[0].config');
  });

  it('checks each value against its buffer and the layout\'s dtype: meanSquare ≥ 0, and finite values stay finite when rounded', () => {
    const negative = saved();
    negative.state.w.meanSquare[0] = -0.5;
    expect(pathOf(() => decodeStateDict(negative, layout))).toBe('.state["w"].meanSquare[0]');
    const overflows = saved();
    overflows.state.b.meanGrad![0] = 1e39;
    expect(pathOf(() => decodeStateDict(overflows, layout))).toBe('.state["b"].meanGrad[0]');
    // The same value is fine where the layout says float64.
    const wide = [layout[0], { ...layout[1], params: [{ name: 'b', length: 1, dtype: 'float64' as const }, layout[1].params[1]] }];
    expect(decodeStateDict(overflows, wide).parameters[1].state.meanGrad).toEqual(Float64Array.of(1e39));
  });

  it('reports group problems before state problems, and the first parameter\'s before a later one\'s', () => {
    const dict = saved() as unknown as { groups: { config: Record<string, unknown> }[]; state: Record<string, Record<string, unknown>> };
    dict.state.w.step = -1;
    dict.state.b.length = 5;
    expect(pathOf(() => decodeStateDict(dict as unknown as RMSPropStateDict, layout))).toBe('.state["w"].step');
    dict.groups[1].config.rho = 2;
    expect(pathOf(() => decodeStateDict(dict as unknown as RMSPropStateDict, layout))).toBe('.groups[1].config');
  });
});
