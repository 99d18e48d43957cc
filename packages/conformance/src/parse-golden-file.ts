import { ConfigError, DTYPES, decodeNumber, describeValue, resolveConfig, STATE_BUFFER_NAMES, STATE_BUFFERS, type DType, type RMSPropConfig, type StateBufferName } from '@rmsprop/core';
import { hasControlCharacters } from './escape-control-characters.js';
import { GOLDEN_FORMAT, type CaseTolerance, type GoldenCase, type GoldenFinalState } from './golden-case.js';
import { GoldenFileError } from './golden-file-error.js';
import { resolveGoldenFileLimits, type GoldenFileLimits } from './golden-file-limits.js';

const CASE_KEYS = new Set([
  'name',
  'source',
  'dtype',
  'config',
  'learningRateSchedule',
  'params',
  'grads',
  'expected',
  'finalState',
  'tolerance',
]);
/** The fields of a case's finalState: the state buffers' names (see `GoldenFinalState`). */
const STATE_KEYS: readonly string[] = STATE_BUFFER_NAMES;
/** The most characters of a case's name: names head the rows of the CLI's table and its messages. */
const MAX_NAME_CHARACTERS = 200;

/** What the cases parsed so far hold, against the file's limits. */
interface Totals {
  readonly limits: Readonly<GoldenFileLimits>;
  steps: number;
  numbers: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Parse and check a golden-vector file already read as JSON. `file` names it in error messages. Every
 * problem throws a {@link GoldenFileError} naming the file, the case and the field: the format tag, a
 * missing or misspelled field, a name that is longer than 200 characters or holds a control or bidi
 * formatting character, a config the spec rejects, arrays of the wrong length, a value that is not a
 * number (or "NaN"/"Infinity"/"-Infinity"), a float32 case value that is not exactly a float32, a
 * schedule whose length differs from the number of steps, a final state the config has no buffer for,
 * duplicate case names, and more cases, steps or numbers than `limits` allow (`maxCases`, `maxSteps`,
 * `maxNumbers`; the defaults are `GOLDEN_FILE_LIMITS`). The counts are checked before the arrays
 * of a case are made, so a file over a limit is refused without the memory it asks for. `maxBytes` is for
 * the text: bound it before `JSON.parse` (`parseGoldenJson` does). Bad `limits` throw an `ArgumentError`.
 */
export function parseGoldenFile(json: unknown, file: string, limits?: Partial<GoldenFileLimits>): GoldenCase[] {
  const totals: Totals = { limits: resolveGoldenFileLimits(limits), steps: 0, numbers: 0 };
  const fail = (field: string, problem: string): never => {
    throw new GoldenFileError(file, '', field, problem);
  };
  if (!isObject(json)) fail('(root)', `is ${describeValue(json)}; expected an object with "format" and "cases"`);
  const root = json as Record<string, unknown>;
  if (root.format !== GOLDEN_FORMAT) fail('format', `is ${describeValue(root.format)}; expected "${GOLDEN_FORMAT}"`);
  if (!Array.isArray(root.cases) || root.cases.length === 0) {
    fail('cases', `is ${describeValue(root.cases)}; expected a non-empty array of cases`);
  }
  const count = (root.cases as unknown[]).length;
  if (count > totals.limits.maxCases) {
    throw new GoldenFileError(file, '', 'cases', `has ${count} cases; at most ${totals.limits.maxCases} are allowed in a file (limit maxCases)`, { limit: 'maxCases' });
  }
  const names = new Set<string>();
  return (root.cases as unknown[]).map((raw, index) => {
    const parsed = parseCase(raw, index, file, totals);
    if (names.has(parsed.name)) throw new GoldenFileError(file, parsed.name, 'name', 'is used by an earlier case; names must be unique');
    names.add(parsed.name);
    return parsed;
  });
}

function parseCase(raw: unknown, index: number, file: string, totals: Totals): GoldenCase {
  let label = `cases[${index}]`;
  const fail = (field: string, problem: string): never => {
    throw new GoldenFileError(file, label, field, problem);
  };
  const over = (field: string, problem: string, limit: keyof GoldenFileLimits): never => {
    throw new GoldenFileError(file, label, field, `${problem}; at most ${totals.limits[limit]} are allowed in a file (limit ${limit})`, { limit });
  };
  if (!isObject(raw)) fail('(case)', `is ${describeValue(raw)}; expected an object`);
  const c = raw as Record<string, unknown>;
  if (typeof c.name !== 'string' || c.name.trim() === '') fail('name', `is ${describeValue(c.name)}; expected a non-empty string`);
  const name = c.name as string;
  if (name.length > MAX_NAME_CHARACTERS) fail('name', `is ${describeValue(name)}; expected at most ${MAX_NAME_CHARACTERS} characters`);
  if (hasControlCharacters(name)) {
    fail('name', `is ${describeValue(name)}; expected printable characters (it has a control or bidi formatting character, which a terminal would act on)`);
  }
  label = name;
  for (const key of Object.keys(c)) {
    if (!CASE_KEYS.has(key)) fail(key, `is not a field of a case; expected one of ${[...CASE_KEYS].join(', ')}`);
  }
  if (typeof c.source !== 'string' || c.source.trim() === '') {
    fail('source', `is ${describeValue(c.source)}; expected a non-empty string saying what produced the case`);
  }
  if (!DTYPES.includes(c.dtype as DType)) fail('dtype', `is ${describeValue(c.dtype)}; expected one of ${DTYPES.map((d) => `"${d}"`).join(', ')}`);
  const dtype = c.dtype as DType;

  const configFields = c.config === undefined ? {} : c.config;
  if (!isObject(configFields)) fail('config', `is ${describeValue(c.config)}; expected an object of RMSPropConfig fields`);
  let config: Readonly<RMSPropConfig>;
  try {
    config = resolveConfig(configFields as Partial<RMSPropConfig>);
  } catch (error) {
    if (error instanceof ConfigError) return fail(`config.${error.field}`, `is ${describeValue(error.value)}; expected ${error.allowed}`);
    throw error;
  }

  const numbers = (field: string, value: unknown, length?: number): Float64Array => {
    if (!Array.isArray(value)) return fail(field, `is ${describeValue(value)}; expected an array of numbers`);
    if (length !== undefined && value.length !== length) fail(field, `has ${value.length} values; expected ${length} (the length of params)`);
    const out = new Float64Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const x = decodeNumber(value[i]);
      if (x === undefined) fail(`${field}[${i}]`, `is ${describeValue(value[i])}; expected a number or "NaN", "Infinity", "-Infinity"`);
      if (dtype === 'float32' && !Number.isNaN(x) && Math.fround(x!) !== x) {
        fail(`${field}[${i}]`, `is ${describeValue(x)}, which is not a float32 value (nearest: ${Math.fround(x!)}); a float32 case holds exact float32 values`);
      }
      out[i] = x!;
    }
    return out;
  };
  const perStep = (field: string, value: unknown, steps: number | undefined, length: number): Float64Array[] => {
    if (!Array.isArray(value)) return fail(field, `is ${describeValue(value)}; expected an array with one array per step`);
    if (steps !== undefined && value.length !== steps) fail(field, `has ${value.length} steps; expected ${steps} (one per gradient)`);
    return value.map((row, step) => numbers(`${field}[${step}]`, row, length));
  };

  // The counts, before any array is made: the rows' lengths are checked against params as they are made,
  // so a case that passes these checks makes exactly the numbers counted here.
  const steps = Array.isArray(c.grads) ? c.grads.length : 0;
  const ofFile = (total: number, added: number): string => (total === added ? '' : `, making ${total} in the file`);
  totals.steps += steps;
  if (totals.steps > totals.limits.maxSteps) over('grads', `has ${steps} steps${ofFile(totals.steps, steps)}`, 'maxSteps');
  const length = Array.isArray(c.params) ? c.params.length : 0;
  const rows =
    1 +
    steps +
    (Array.isArray(c.expected) ? c.expected.length : 0) +
    (isObject(c.finalState) ? STATE_KEYS.filter((key) => (c.finalState as Record<string, unknown>)[key] !== undefined).length : 0);
  const caseNumbers = length * rows + (Array.isArray(c.learningRateSchedule) ? c.learningRateSchedule.length : 0);
  totals.numbers += caseNumbers;
  if (totals.numbers > totals.limits.maxNumbers) over('(case)', `holds ${caseNumbers} numbers${ofFile(totals.numbers, caseNumbers)}`, 'maxNumbers');

  const params = numbers('params', c.params);
  const grads = perStep('grads', c.grads, undefined, params.length);
  if (grads.length === 0) fail('grads', 'is empty; expected at least one step');
  const expected = perStep('expected', c.expected, grads.length, params.length);

  let learningRateSchedule: Float64Array | undefined;
  if (c.learningRateSchedule !== undefined) {
    if (!Array.isArray(c.learningRateSchedule)) fail('learningRateSchedule', `is ${describeValue(c.learningRateSchedule)}; expected an array with η for each step`);
    const schedule = c.learningRateSchedule as unknown[];
    if (schedule.length !== grads.length) fail('learningRateSchedule', `has ${schedule.length} values; expected ${grads.length} (one per step)`);
    learningRateSchedule = new Float64Array(schedule.length);
    schedule.forEach((eta, i) => {
      if (typeof eta !== 'number' || !Number.isFinite(eta) || eta < 0) fail(`learningRateSchedule[${i}]`, `is ${describeValue(eta)}; expected a finite number ≥ 0`);
      learningRateSchedule![i] = eta as number;
    });
  }

  let finalState: GoldenFinalState | undefined;
  if (c.finalState !== undefined) {
    if (!isObject(c.finalState)) fail('finalState', `is ${describeValue(c.finalState)}; expected an object with ${STATE_KEYS.slice(0, -1).join(', ')} and/or ${STATE_KEYS[STATE_KEYS.length - 1]}`);
    const fs = c.finalState as Record<string, unknown>;
    const state: { [K in StateBufferName]?: Float64Array } = {};
    for (const key of Object.keys(fs)) {
      if (!STATE_KEYS.includes(key)) fail(`finalState.${key}`, `is not a state buffer; expected one of ${STATE_KEYS.join(', ')}`);
    }
    for (const buffer of STATE_BUFFERS) {
      if (fs[buffer.name] !== undefined && !buffer.neededBy(config!)) {
        const { field, off } = buffer.switchedBy!;
        fail(`finalState.${buffer.name}`, `is given but the config has ${field} ${off}, so there is no ${buffer.name} buffer`);
      }
    }
    for (const key of STATE_BUFFER_NAMES) {
      if (fs[key] !== undefined) state[key] = numbers(`finalState.${key}`, fs[key], params.length);
    }
    finalState = state;
  }

  let tolerance: CaseTolerance | undefined;
  if (c.tolerance !== undefined) {
    if (!isObject(c.tolerance)) fail('tolerance', `is ${describeValue(c.tolerance)}; expected { "rel": r, "abs": a }`);
    const t = c.tolerance as Record<string, unknown>;
    for (const key of Object.keys(t)) if (key !== 'rel' && key !== 'abs') fail(`tolerance.${key}`, 'is not a tolerance field; expected rel and/or abs');
    const part = (key: 'rel' | 'abs'): number => {
      const v = t[key] ?? 0;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`tolerance.${key}`, `is ${describeValue(v)}; expected a finite number ≥ 0`);
      return v as number;
    };
    tolerance = { rel: part('rel'), abs: part('abs') };
  }

  return {
    name: c.name as string,
    source: c.source as string,
    dtype,
    configFields: configFields as Partial<RMSPropConfig>,
    config: config!,
    ...(learningRateSchedule ? { learningRateSchedule } : {}),
    params,
    grads,
    expected,
    ...(finalState ? { finalState } : {}),
    ...(tolerance ? { tolerance } : {}),
    file,
  };
}
