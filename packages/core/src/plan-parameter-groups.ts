import type { RMSPropBackend, SlotRequest } from './backend.js';
import { initialState } from './state-buffers.js';
import { dtypeOf, type FloatArray } from './dtype.js';
import { ArgumentError, describeValue, ParameterNameError, ShapeError } from './errors.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { CONFIG_FIELDS, SPEC_VERSION, type RMSPropConfig } from './rmsprop-config.js';
import type { NonFiniteGradientPolicy, ParameterGroup, RMSPropOptimizerOptions } from './rmsprop-optimizer-options.js';
import { resolveConfig } from './validate-config.js';

/** One parameter of a planned group. */
export interface PlannedParameter {
  readonly name: string;
  /** The caller's array: the initial values (and, where adopted, the live storage). */
  readonly values: FloatArray;
}

/** One parameter group, resolved. */
export interface PlannedGroup {
  readonly name: string;
  readonly config: Readonly<RMSPropConfig>;
  readonly schedule: LearningRateSchedule | undefined;
  readonly params: readonly PlannedParameter[];
}

/** The optimizer's options, checked and resolved; nothing is allocated on the backend yet. */
export interface ParameterGroupsPlan {
  readonly backend: RMSPropBackend;
  readonly nonFiniteGradients: NonFiniteGradientPolicy;
  readonly schedule: LearningRateSchedule | undefined;
  readonly groups: readonly PlannedGroup[];
  /** One slot request per parameter, in group order (the order of `groups[…].params` flattened). */
  readonly requests: readonly SlotRequest[];
}

const NON_FINITE_POLICIES: readonly NonFiniteGradientPolicy[] = ['error', 'skip', 'propagate'];
const GROUP_KEYS = new Set(['name', 'params', 'schedule']);
const OPTION_KEYS = new Set(['backend', 'params', 'groups', 'schedule', 'nonFiniteGradients', 'inPlace']);

function pickConfig(source: object, ignore: Set<string>, where: string): Partial<RMSPropConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (ignore.has(key)) continue;
    if (!(CONFIG_FIELDS as readonly string[]).includes(key)) {
      throw new ArgumentError(`${where}.${key}`, value, `a config field (${CONFIG_FIELDS.join(', ')}) or one of ${[...ignore].join(', ')}`);
    }
    out[key] = value;
  }
  return out as Partial<RMSPropConfig>;
}

/**
 * Check `RMSPropOptimizer`'s options and resolve them into a plan: the backend, the non-finite policy,
 * the schedule, each group's name, resolved config, schedule and parameters, and per parameter the slot
 * request (dtype, length, which state buffers). Throws the first problem found (`ArgumentError`,
 * `ConfigError`, `ParameterNameError`, `ShapeError`); asks the backend for nothing.
 */
export function planParameterGroups(options: RMSPropOptimizerOptions): ParameterGroupsPlan {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError('options', options, 'an object with a backend and params or groups');
  }
  const { backend } = options;
  if (backend === null || typeof backend !== 'object' || typeof backend.createSlot !== 'function') {
    throw new ArgumentError('options.backend', backend, 'a ready RMSPropBackend (from BackendRegistry.select)');
  }
  if (backend.specVersion !== SPEC_VERSION) {
    throw new ArgumentError('options.backend.specVersion', backend.specVersion, `'${SPEC_VERSION}'`);
  }
  const policy = options.nonFiniteGradients ?? 'error';
  if (!NON_FINITE_POLICIES.includes(policy)) {
    throw new ArgumentError('options.nonFiniteGradients', policy, "'error', 'skip' or 'propagate'");
  }
  if (options.schedule !== undefined && typeof options.schedule !== 'function') {
    throw new ArgumentError('options.schedule', options.schedule, 'a function of the step t returning η');
  }
  const inPlace = options.inPlace === undefined ? true : options.inPlace;
  if (inPlace !== true && inPlace !== false && inPlace !== 'read-only') {
    throw new ArgumentError('options.inPlace', inPlace, "true, false or 'read-only'");
  }
  const base = pickConfig(options, OPTION_KEYS, 'options');
  resolveConfig(base, { nesterov: false }); // reports a bad optimizer-level field under its own name (nesterov is checked per group)

  let groupSpecs: readonly ParameterGroup[];
  if (options.groups !== undefined) {
    if (options.params !== undefined) throw new ArgumentError('options.params', options.params, 'absent when options.groups is given');
    if (!Array.isArray(options.groups) || options.groups.length === 0) {
      throw new ArgumentError('options.groups', options.groups, 'a non-empty array of parameter groups');
    }
    groupSpecs = options.groups;
  } else {
    if (options.params === undefined) throw new ArgumentError('options.params', undefined, 'an object of named typed arrays (or options.groups)');
    groupSpecs = [{ params: options.params }];
  }

  const groups: PlannedGroup[] = [];
  const seen = new Set<string>();
  groupSpecs.forEach((spec, index) => {
    const where = `options.groups[${index}]`;
    if (spec === null || typeof spec !== 'object') throw new ArgumentError(where, spec, 'a parameter group object');
    const name = spec.name ?? `group${index}`;
    const overrides = pickConfig(spec, GROUP_KEYS, where);
    const config = resolveConfig(base, overrides);
    if (spec.schedule !== undefined && typeof spec.schedule !== 'function') {
      throw new ArgumentError(`${where}.schedule`, spec.schedule, 'a function of the step t returning η');
    }
    if (spec.params === null || typeof spec.params !== 'object') {
      throw new ArgumentError(`${where}.params`, spec.params, 'an object of named typed arrays');
    }
    const params: PlannedParameter[] = [];
    for (const [pname, values] of Object.entries(spec.params)) {
      if (seen.has(pname)) {
        throw new ParameterNameError('UNKNOWN_PARAMETER', pname, `parameter "${pname}" is given twice; each name may appear in one group only`);
      }
      seen.add(pname);
      const dtype = dtypeOf(values);
      if (dtype === undefined) {
        throw new ShapeError('DTYPE_MISMATCH', pname, `parameter "${pname}" is ${describeValue(values)}; expected a Float32Array or Float64Array`);
      }
      if (!backend.capabilities.dtypes.includes(dtype)) {
        throw new ShapeError(
          'DTYPE_MISMATCH',
          pname,
          `parameter "${pname}" is ${dtype}, which backend "${backend.name}" does not support here; it supports ${backend.capabilities.dtypes.join(', ')}`,
        );
      }
      params.push({ name: pname, values });
    }
    groups.push({ name, config, schedule: spec.schedule, params });
  });

  const requests: SlotRequest[] = [];
  for (const group of groups) {
    for (const { name, values } of group.params) {
      requests.push({
        name,
        dtype: dtypeOf(values)!,
        length: values.length,
        values,
        adopt: inPlace,
        state: initialState(group.config),
      });
    }
  }
  return { backend, nonFiniteGradients: policy, schedule: options.schedule, groups, requests };
}
