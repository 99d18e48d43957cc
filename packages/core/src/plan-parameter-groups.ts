import type { RMSPropBackend, SlotRequest } from './backend.js';
import { initialState } from './state-buffers.js';
import { dtypeOf, type FloatArray } from './dtype.js';
import { ArgumentError, describeNames, describeValue, ParameterNameError, ShapeError } from './errors.js';
import { findOverlappingViews } from './find-overlapping-views.js';
import type { LearningRateSchedule } from './learning-rate-schedule.js';
import { CONFIG_FIELDS, SPEC_VERSION, type RMSPropConfig } from './rmsprop-config.js';
import type { NonFiniteGradientPolicy, ParameterGroup, RMSPropOptimizerOptions } from './rmsprop-optimizer-options.js';
import { resolveConfig } from './validate-config.js';

/** One parameter of a planned group. */
export interface PlannedParameter {
  readonly name: string;
  /** Where it was given, for messages (`options.params.w`, `options.groups[1].params.b`). */
  readonly path: string;
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

/** An object of named arrays, as `params` must be: not null, an array, a Map or a typed array. */
function isNamedArrays(params: unknown): params is Readonly<Record<string, unknown>> {
  return params !== null && typeof params === 'object' && !Array.isArray(params) && !(params instanceof Map) && !ArrayBuffer.isView(params);
}

/** Throws an ArgumentError naming the later of two parameters whose arrays share memory, and the earlier. */
function checkNoSharedMemory(params: readonly PlannedParameter[]): void {
  const pair = findOverlappingViews(params.map((p) => p.values));
  if (pair === null) return;
  const [earlier, later] = [params[pair[0]], params[pair[1]]];
  const range = (values: FloatArray) => `${values.byteOffset} to ${values.byteOffset + values.byteLength}`;
  const other = `parameter ${describeValue(earlier.name)} (${earlier.path})`;
  const how =
    earlier.values === later.values
      ? `an array of its own, not the one ${other} has`
      : `an array of its own: its bytes ${range(later.values)} overlap bytes ${range(earlier.values)} of ${other} in the same buffer`;
  throw new ArgumentError(later.path, later.values, `${how}; give each parameter its own array, or pass inPlace: false to copy the values in`);
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
  const capabilities = backend.capabilities;
  if (capabilities === null || typeof capabilities !== 'object' || !Array.isArray(capabilities.dtypes)) {
    throw new ArgumentError('options.backend.capabilities', capabilities, 'the backend\'s capabilities, with the dtypes it supports');
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
    const where = options.groups === undefined ? 'options' : `options.groups[${index}]`;
    if (spec === null || typeof spec !== 'object') throw new ArgumentError(where, spec, 'a parameter group object');
    if (spec.name !== undefined && (typeof spec.name !== 'string' || spec.name === '')) {
      throw new ArgumentError(`${where}.name`, spec.name, `a non-empty string (or absent, for group${index})`);
    }
    const name = spec.name ?? `group${index}`;
    const overrides = pickConfig(spec, GROUP_KEYS, where);
    const config = resolveConfig(base, overrides);
    if (spec.schedule !== undefined && typeof spec.schedule !== 'function') {
      throw new ArgumentError(`${where}.schedule`, spec.schedule, 'a function of the step t returning η');
    }
    if (!isNamedArrays(spec.params)) {
      throw new ArgumentError(`${where}.params`, spec.params, 'an object of named typed arrays');
    }
    const params: PlannedParameter[] = [];
    for (const [pname, values] of Object.entries(spec.params)) {
      if (seen.has(pname)) {
        throw new ParameterNameError('UNKNOWN_PARAMETER', pname, `parameter ${describeValue(pname)} is given twice; each name may appear in one group only`);
      }
      seen.add(pname);
      const dtype = dtypeOf(values);
      if (dtype === undefined) {
        throw new ShapeError('DTYPE_MISMATCH', pname, `parameter ${describeValue(pname)} is ${describeValue(values)}; expected a Float32Array or Float64Array`);
      }
      if (!capabilities.dtypes.includes(dtype)) {
        throw new ShapeError(
          'DTYPE_MISMATCH',
          pname,
          `parameter ${describeValue(pname)} is ${dtype}, which backend ${describeValue(backend.name)} does not support here; it supports ${describeNames(capabilities.dtypes)}`,
        );
      }
      params.push({ name: pname, path: `${where}.params.${pname}`, values });
    }
    groups.push({ name, config, schedule: spec.schedule, params });
  });
  // Where the arrays are the live values (or their mirror), two parameters must not share memory: each
  // step would update it once per parameter, or once, depending on the backend. Copied in once, they may.
  if (inPlace !== false) checkNoSharedMemory(groups.flatMap((group) => group.params));

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
