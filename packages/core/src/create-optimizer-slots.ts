import type { BackendSlot } from './backend.js';
import { createAllSlots } from './create-all-slots.js';
import type { FloatArray } from './dtype.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import type { ParameterGroupsPlan } from './plan-parameter-groups.js';
import type { RMSPropConfig } from './rmsprop-config.js';

/** A group as the optimizer holds it; `config` changes when a state dict is loaded. */
export interface OptimizerGroup {
  readonly name: string;
  config: Readonly<RMSPropConfig>;
  readonly schedule: LearningRateSchedule | undefined;
  readonly slots: OptimizerSlot[];
}

/** The hyperparameters of a slot's update, rewritten in place at every step. */
export interface MutableHyper {
  config: Readonly<RMSPropConfig>;
  learningRate: number;
  step: number;
}

/** A parameter as the optimizer holds it: its backend slot, its t, and its update object (reused every step). */
export interface OptimizerSlot {
  readonly name: string;
  readonly group: OptimizerGroup;
  readonly backendSlot: BackendSlot;
  step: number;
  readonly update: { slot: BackendSlot; grads: FloatArray; hyper: MutableHyper };
}

/**
 * The backend's slots for every planned parameter (all or none, see `createAllSlots`), wrapped with their
 * groups: the groups in plan order, and every slot in group order, at t = 0 with η of its config.
 */
export function createOptimizerSlots(plan: ParameterGroupsPlan): { groups: OptimizerGroup[]; slots: OptimizerSlot[] } {
  const backendSlots = createAllSlots(plan.backend, plan.requests);
  const groups: OptimizerGroup[] = [];
  const slots: OptimizerSlot[] = [];
  let k = 0;
  for (const planned of plan.groups) {
    const group: OptimizerGroup = { name: planned.name, config: planned.config, schedule: planned.schedule, slots: [] };
    groups.push(group);
    for (const { name, values } of planned.params) {
      const backendSlot = backendSlots[k++];
      const hyper: MutableHyper = { config: planned.config, learningRate: planned.config.learningRate, step: 0 };
      const slot: OptimizerSlot = { name, group, backendSlot, step: 0, update: { slot: backendSlot, grads: values, hyper } };
      group.slots.push(slot);
      slots.push(slot);
    }
  }
  return { groups, slots };
}
