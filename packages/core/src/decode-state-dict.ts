import { LARGEST_FINITE, type DType } from './dtype.js';
import { describeList, describeValue, StateDictError } from './errors.js';
import { CONFIG_FIELDS, SPEC_VERSION, type RMSPropConfig } from './rmsprop-config.js';
import { decodeNumber, STATE_DICT_FORMAT, type ParameterStateEntry, type RMSPropStateDict } from './state-dict.js';
import { mapStateBuffers, STATE_BUFFERS, type StateArrays, type StateBuffer } from './state-buffers.js';
import { resolveConfig } from './validate-config.js';

/** What a state dict must match: the optimizer's groups, in order, with their configs and parameters. */
export interface StateDictLayoutGroup {
  readonly config: Readonly<RMSPropConfig>;
  /** Each parameter's name, length and dtype (the dtype its state is held in: values must fit it). */
  readonly params: readonly { readonly name: string; readonly length: number; readonly dtype: DType }[];
}


/** `x` rounded to nearest in `dtype`. */
function roundTo(dtype: DType, x: number): number {
  return dtype === 'float32' ? Math.fround(x) : x;
}

/** One parameter's state, decoded to float64 (the backend's `writeState` rounds to its dtype). */
export interface DecodedParameterState {
  readonly name: string;
  /** t. */
  readonly step: number;
  readonly state: StateArrays<Float64Array>;
}

/** A state dict checked against a layout: nothing in it is left unchecked. */
export interface DecodedStateDict {
  readonly step: number;
  /** Each group's resolved config from the dict, in layout order. */
  readonly configs: readonly Readonly<RMSPropConfig>[];
  /** Every parameter's state, in layout order (the groups' `params` flattened). */
  readonly parameters: readonly DecodedParameterState[];
}

function fail(path: string, message: string): never {
  throw new StateDictError(path, message);
}

/** The path of a parameter's entry in `.state`, its name quoted (and bounded) by `describeValue`. */
function statePath(name: string): string {
  return `.state[${describeValue(name)}]`;
}

/**
 * Check a `rmsprop-state/1` dict against `layout` and decode it: the format and spec version, the step,
 * the same parameter names in the same groups, each group's complete config (resolved and validated; it
 * must need the same state buffers as the layout's, centered and momentum > 0 alike), no state for an
 * unknown parameter, and per parameter its length, dtype, t and exactly the state arrays its config
 * needs, every number decoded and checked (meanSquare never negative, a finite value finite in the
 * layout's dtype). Messages quote values only through `describeValue`/`describeList`, so they stay short
 * whatever the dict holds. Throws a `StateDictError` naming the path of the first problem; writes
 * nothing anywhere.
 */
export function decodeStateDict(dict: RMSPropStateDict, layout: readonly StateDictLayoutGroup[]): DecodedStateDict {
  if (dict === null || typeof dict !== 'object') fail('', `is ${describeValue(dict)}; expected an object`);
  if (dict.format !== STATE_DICT_FORMAT) fail('.format', `is ${describeValue(dict.format)}; expected "${STATE_DICT_FORMAT}"`);
  if (dict.specVersion !== SPEC_VERSION) fail('.specVersion', `is ${describeValue(dict.specVersion)}; expected "${SPEC_VERSION}"`);
  if (!Number.isInteger(dict.step) || dict.step < 0) fail('.step', `is ${describeValue(dict.step)}; expected an integer ≥ 0`);
  if (!Array.isArray(dict.groups) || dict.groups.length !== layout.length) {
    fail('.groups', `has ${Array.isArray(dict.groups) ? dict.groups.length : describeValue(dict.groups)} groups; expected ${layout.length}`);
  }
  const configs = layout.map((group, gi) => decodeGroupConfig(dict.groups[gi], group, `.groups[${gi}]`));
  if (dict.state === null || typeof dict.state !== 'object') fail('.state', `is ${describeValue(dict.state)}; expected an object keyed by parameter name`);
  const known = new Set(layout.flatMap((group) => group.params.map((p) => p.name)));
  for (const key of Object.keys(dict.state)) {
    if (!known.has(key)) fail(statePath(key), `is for a parameter this optimizer does not have`);
  }
  const parameters: DecodedParameterState[] = [];
  layout.forEach((group, gi) => {
    for (const { name, length, dtype } of group.params) parameters.push(decodeParameterState(Object.hasOwn(dict.state, name) ? dict.state[name] : undefined, name, length, dtype, configs[gi]));
  });
  return { step: dict.step, configs, parameters };
}

/** A saved group's config, checked against the layout's group (same parameter names, same state buffers). */
function decodeGroupConfig(saved: RMSPropStateDict['groups'][number], group: StateDictLayoutGroup, path: string): Readonly<RMSPropConfig> {
  if (saved === null || typeof saved !== 'object') fail(path, `is ${describeValue(saved)}; expected a group object`);
  const names = group.params.map((p) => p.name);
  if (!Array.isArray(saved.params) || saved.params.length !== names.length || saved.params.some((n, i) => n !== names[i])) {
    const shown = Array.isArray(saved.params) ? describeList(saved.params) : describeValue(saved.params);
    fail(`${path}.params`, `is ${shown}; expected ${describeList(names)}`);
  }
  if (saved.config === null || typeof saved.config !== 'object') {
    fail(`${path}.config`, `is ${describeValue(saved.config)}; expected an object with every RMSPropConfig field`);
  }
  const missing = CONFIG_FIELDS.filter((field) => !(field in saved.config));
  if (missing.length > 0) fail(`${path}.config`, `lacks ${missing.join(', ')}; a saved config lists every RMSPropConfig field`);
  let config: Readonly<RMSPropConfig>;
  try {
    config = resolveConfig(saved.config);
  } catch (error) {
    return fail(`${path}.config`, (error as Error).message);
  }
  const current = group.config;
  if (STATE_BUFFERS.some((buffer) => buffer.neededBy(config) !== buffer.neededBy(current))) {
    const fields = STATE_BUFFERS.flatMap((buffer) => (buffer.switchedBy === null ? [] : [buffer.switchedBy.field]));
    const settings = (c: Readonly<RMSPropConfig>) => fields.map((field) => `${field} ${c[field]}`).join(', ');
    fail(
      `${path}.config`,
      `needs state buffers (${settings(config)}) that differ from this optimizer's ` +
        `(${settings(current)}); create the optimizer with the same ${fields.join(' and ')} settings`,
    );
  }
  return config;
}

/**
 * One parameter's saved entry, checked (length, dtype, t, the state arrays `config` needs, every value) and
 * decoded. A value is a number or "NaN", "Infinity", "-Infinity"; never negative in a `nonNegative` buffer
 * (meanSquare; -0 is not negative); and, where finite, finite once rounded to `dtype` (the slot's: 1e39 in
 * float32 state would silently become Infinity).
 */
function decodeParameterState(
  entry: ParameterStateEntry | undefined,
  name: string,
  length: number,
  dtype: DType,
  config: Readonly<RMSPropConfig>,
): DecodedParameterState {
  const path = statePath(name);
  if (entry === undefined || entry === null || typeof entry !== 'object') fail(path, 'is missing');
  if (entry.length !== length) fail(`${path}.length`, `is ${describeValue(entry.length)}; expected ${length}`);
  if (entry.dtype !== 'float32' && entry.dtype !== 'float64') fail(`${path}.dtype`, `is ${describeValue(entry.dtype)}; expected "float32" or "float64"`);
  if (!Number.isInteger(entry.step) || entry.step < 0) fail(`${path}.step`, `is ${describeValue(entry.step)}; expected an integer ≥ 0`);
  const read = (buffer: StateBuffer): Float64Array | null => {
    const field = buffer.name;
    const values: unknown = entry[field];
    if (!buffer.neededBy(config)) {
      if (values !== undefined) fail(`${path}.${field}`, `is present but the group's config has no ${field} state`);
      return null;
    }
    if (!Array.isArray(values) || values.length !== length) {
      fail(`${path}.${field}`, `is ${describeValue(values)}; expected an array of ${length} numbers`);
    }
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      const x = decodeNumber(values[i]);
      if (x === undefined) fail(`${path}.${field}[${i}]`, `is ${describeValue(values[i])}; expected a number or "NaN", "Infinity", "-Infinity"`);
      if (buffer.nonNegative && x < 0) {
        fail(`${path}.${field}[${i}]`, `is ${describeValue(values[i])}; expected a number ≥ 0, "NaN" or "Infinity" (${field}, ${buffer.description}, is never negative)`);
      }
      if (Number.isFinite(x) && !Number.isFinite(roundTo(dtype, x))) {
        fail(
          `${path}.${field}[${i}]`,
          `is ${describeValue(x)}, which ${dtype} (the parameter's dtype) rounds to ${roundTo(dtype, x)}; ` +
            `expected a finite number of magnitude ≤ ${LARGEST_FINITE[dtype]} (or "NaN", "Infinity", "-Infinity")`,
        );
      }
      out[i] = x;
    }
    return out;
  };
  return { name, step: entry.step, state: mapStateBuffers(read) as StateArrays<Float64Array> };
}
