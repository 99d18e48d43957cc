/** createOptimizerSlots: the backend's slots wrapped with their groups and reusable update objects. */
import { describe, expect, it } from 'vitest';
import { createReferenceBackend } from './__fixtures__/reference-backend.js';
import type { RMSPropBackend } from './backend.js';
import { createOptimizerSlots } from './create-optimizer-slots.js';
import { planParameterGroups } from './plan-parameter-groups.js';

const f64 = (...xs: number[]) => Float64Array.from(xs);

describe('createOptimizerSlots', () => {
  it('one slot per planned parameter, in group order, each with its group, t = 0 and an update for its backend slot', () => {
    const backend = createReferenceBackend();
    const [a, b, c] = [f64(1), f64(2, 3), f64(4)];
    const plan = planParameterGroups({ backend, groups: [{ name: 'body', params: { a, b }, learningRate: 0.5 }, { params: { c }, momentum: 0.5 }] });
    const { groups, slots } = createOptimizerSlots(plan);
    expect(groups.map((g) => [g.name, g.slots.map((s) => s.name)])).toEqual([
      ['body', ['a', 'b']],
      ['group1', ['c']],
    ]);
    expect(slots.map((s) => s.name)).toEqual(['a', 'b', 'c']);
    expect(slots[1].group).toBe(groups[0]);
    expect(slots[2].group).toBe(groups[1]);
    expect(groups[1].config).toBe(plan.groups[1].config);
    for (const [i, slot] of slots.entries()) {
      expect(slot.step).toBe(0);
      expect(slot.backendSlot.name).toBe(slot.name);
      expect(slot.update.slot).toBe(slot.backendSlot);
      expect(slot.update.grads).toBe(plan.groups[i < 2 ? 0 : 1].params[i < 2 ? i : 0].values);
      expect(slot.update.hyper).toEqual({ config: slot.group.config, learningRate: slot.group.config.learningRate, step: 0 });
    }
    expect(slots[0].update.hyper).not.toBe(slots[1].update.hyper); // each slot's own, rewritten per step
    expect(backend.requests).toEqual(plan.requests);
  });

  it('creates nothing when the backend fails (all or none)', () => {
    const backend = createReferenceBackend();
    const plan = planParameterGroups({ backend, params: { a: f64(1), b: f64(2) } });
    const failing = { ...backend, createSlots: () => { throw new Error('lost context'); } } as unknown as RMSPropBackend;
    expect(() => createOptimizerSlots({ ...plan, backend: failing })).toThrow('lost context');
    expect(backend.requests).toEqual([]);
  });
});
