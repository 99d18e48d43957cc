// Shared helpers for the JavaScript golden-vector generators (generate-tfjs.mjs, generate-reference.mjs).
// Writes the `rmsprop-golden/1` format described in docs/conformance.md. Run from packages/conformance.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEFAULT_CONFIG, CONFIG_FIELDS, createReferenceState, referenceStep, STATE_BUFFER_NAMES } from '@rmsprop/core';

const require = createRequire(import.meta.url);

export const GOLDEN_FORMAT = 'rmsprop-golden/1';

/** The installed version of a package, e.g. version('@tensorflow/tfjs-core') → '4.22.0'. */
export function version(name) {
  return require(`${name}/package.json`).version;
}

/** mulberry32: a tiny seeded PRNG giving uniform doubles in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform value in [lo, hi) from `rand`, rounded to float32 when dtype is float32. */
export function uniform(rand, lo, hi, dtype) {
  const x = lo + (hi - lo) * rand();
  return dtype === 'float32' ? Math.fround(x) : x;
}

/** A vector of `n` uniform values in [lo, hi). */
export function vector(rand, n, lo, hi, dtype) {
  return Array.from({ length: n }, () => uniform(rand, lo, hi, dtype));
}

/** Plain JSON numbers; non-finite values become "NaN", "Infinity", "-Infinity". */
export function encode(values) {
  return Array.from(values, (x) => (Number.isFinite(x) ? x : Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity'));
}

/** The config fields that differ from the spec's defaults (a missing field means the default). */
export function configFields(config) {
  const out = {};
  for (const key of CONFIG_FIELDS) {
    if (!Object.is(config[key], DEFAULT_CONFIG[key])) out[key] = config[key];
  }
  return out;
}

function roundAll(values) {
  if (values === null) return;
  for (let i = 0; i < values.length; i++) values[i] = Math.fround(values[i]);
}

/**
 * Run the spec's float64 reference over `grads`. For float32 the state is kept in float32 storage: each
 * step runs in float64 from the float32 values of θ, v, m, b, which are rounded to float32 after it.
 * `onStep(step, before)` (optional) sees the state before each step, for instrumentation.
 * Returns θ after each step and the final state.
 */
export function runReference(config, params, grads, { dtype, schedule, onStep } = {}) {
  const theta = Float64Array.from(params);
  const state = createReferenceState(config, theta.length);
  const expected = [];
  grads.forEach((g, step) => {
    const eta = schedule ? schedule[step] : config.learningRate;
    if (onStep) onStep(step, { theta: Float64Array.from(theta), state, g, eta });
    referenceStep(config, theta, g, state, eta);
    if (dtype === 'float32') {
      roundAll(theta);
      for (const name of STATE_BUFFER_NAMES) roundAll(state[name]);
    }
    expected.push(Float64Array.from(theta));
  });
  return { expected, state };
}

/**
 * A finalState object from reference state: each state buffer (`STATE_BUFFER_NAMES`, the format's
 * finalState fields) only where the config has it.
 */
export function finalStateOf(state) {
  const out = {};
  for (const name of STATE_BUFFER_NAMES) if (state[name] !== null) out[name] = encode(state[name]);
  return out;
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
function orderedFloat32(x) {
  f32[0] = x;
  const bits = i32[0];
  return bits < 0 ? -(bits & 0x7fffffff) : bits;
}

/** Float32 ulps between two float32 values (NaN vs NaN and equal infinities: 0; NaN vs other: Infinity). */
export function ulps32(a, b) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(orderedFloat32(a) - orderedFloat32(b));
}

/** The float32 ulp of |x| (subnormal spacing below the smallest normal). */
function ulpOf32(x) {
  const ax = Math.abs(x);
  if (!Number.isFinite(ax)) return Infinity;
  let e = ax === 0 ? -126 : Math.max(-126, Math.floor(Math.log2(ax)));
  if (e > -126 && 2 ** e > ax) e -= 1;
  else if (2 ** (e + 1) <= ax) e += 1;
  return 2 ** (e - 23);
}

/** |a − b| in float32 ulps of max(|scale|, |b|), as the conformance runner measures it. */
export function scaledUlps32(a, b, scale) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / ulpOf32(Math.max(Math.abs(scale), Math.abs(b)));
}

/** The shortest decimal that rounds to the float32 `x` (for messages). */
export function float32String(x) {
  if (!Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/** Check a case against the format's rules before writing (the parser in src/ checks them too). */
function checkCase(c) {
  const n = c.params.length;
  const isF32 = c.dtype === 'float32';
  const check = (label, arr) => {
    if (arr.length !== n) throw new Error(`${c.name}: ${label} has ${arr.length} values, expected ${n}`);
    for (const x of arr) {
      if (typeof x === 'number' && isF32 && Math.fround(x) !== x) throw new Error(`${c.name}: ${label} holds ${x}, not a float32`);
      if (typeof x !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(x)) throw new Error(`${c.name}: ${label} holds ${x}`);
    }
  };
  check('params', c.params);
  c.grads.forEach((g, i) => check(`grads[${i}]`, g));
  if (c.expected.length !== c.grads.length) throw new Error(`${c.name}: ${c.expected.length} expected rows for ${c.grads.length} steps`);
  c.expected.forEach((e, i) => check(`expected[${i}]`, e));
  if (c.learningRateSchedule && c.learningRateSchedule.length !== c.grads.length) throw new Error(`${c.name}: schedule length`);
  for (const [k, v] of Object.entries(c.finalState ?? {})) check(`finalState.${k}`, v);
}

/** Write a golden file, after checking every case and that names are unique. */
export function writeGoldenFile(url, cases) {
  const names = new Set();
  for (const c of cases) {
    if (names.has(c.name)) throw new Error(`duplicate case name ${c.name}`);
    names.add(c.name);
    checkCase(c);
  }
  writeFileSync(url, formatGolden(cases));
}

const FIELD_ORDER = ['name', 'source', 'dtype', 'config', 'learningRateSchedule', 'params', 'grads', 'expected', 'finalState', 'tolerance'];

/** One field per line, one step per line (the layout golden_json.py writes): compact, yet diffable. */
export function formatGolden(cases) {
  const j = (x) => JSON.stringify(x);
  const lines = ['{', `  "format": ${j(GOLDEN_FORMAT)},`, '  "cases": ['];
  cases.forEach((c, ci) => {
    const unknown = Object.keys(c).filter((k) => !FIELD_ORDER.includes(k));
    if (unknown.length > 0) throw new Error(`${c.name}: unknown fields ${unknown.join(', ')}`);
    const keys = FIELD_ORDER.filter((k) => c[k] !== undefined);
    lines.push('    {');
    keys.forEach((key, ki) => {
      const comma = ki < keys.length - 1 ? ',' : '';
      const value = c[key];
      if (key === 'grads' || key === 'expected') {
        lines.push(`      ${j(key)}: [`);
        value.forEach((row, ri) => lines.push(`        ${j(row)}${ri < value.length - 1 ? ',' : ''}`));
        lines.push(`      ]${comma}`);
      } else if (key === 'finalState') {
        const sk = Object.keys(value);
        lines.push(`      ${j(key)}: {`);
        sk.forEach((k, si) => lines.push(`        ${j(k)}: ${j(value[k])}${si < sk.length - 1 ? ',' : ''}`));
        lines.push(`      }${comma}`);
      } else {
        lines.push(`      ${j(key)}: ${j(value)}${comma}`);
      }
    });
    lines.push(`    }${ci < cases.length - 1 ? ',' : ''}`);
  });
  lines.push('  ]', '}');
  const text = `${lines.join('\n')}\n`;
  JSON.parse(text);
  return text;
}
