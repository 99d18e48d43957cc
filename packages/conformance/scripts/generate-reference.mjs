// Golden vectors from the spec's float64 reference (@rmsprop/core referenceStep), for the switches of
// frameworks that cannot run here (Keras 3, optax, TF1) and for edge cases. Run from packages/conformance
// (`pnpm generate:reference`, after `pnpm build` at the root) → vectors/reference.json.
//
// float64 cases run referenceStep directly. float32 cases are "float64 reference with float32 storage":
// each step runs in float64 from the float32 θ, v, m, b, which are rounded to float32 (Math.fround) after
// it. Configs come from the presets, so each case means what its framework means.
import { kerasPreset, optaxPreset, resolveConfig, tf1Preset } from '@rmsprop/core';
import { configFields, encode, finalStateOf, mulberry32, runReference, vector, version, writeGoldenFile } from './golden-common.mjs';

const OUT = new URL('../vectors/reference.json', import.meta.url);
const CORE = `@rmsprop/core ${version('@rmsprop/core')}`;
const DTYPES = ['float64', 'float32'];

const STORAGE =
  'float64 reference with float32 storage: each step runs in float64 from the float32 θ, v, m, b, which are ' +
  'rounded to float32 (Math.fround) after it';

function sourceText(dtype, following, note) {
  const base = `${CORE} referenceStep (spec v1, float64), following ${following}`;
  return [base, dtype === 'float32' ? STORAGE : null, note ?? null].filter(Boolean).join('; ');
}

const round = (dtype) => (x) => (dtype === 'float32' ? Math.fround(x) : x);

/** A gradient with a random sign and a magnitude spread over 10^lo … 10^hi. */
function gradient(rand, dtype, lo = -2, hi = 1) {
  const sign = rand() < 0.5 ? -1 : 1;
  return round(dtype)(sign * 10 ** (lo + (hi - lo) * rand()));
}

function gradients(rand, dtype, steps, n) {
  return Array.from({ length: steps }, () => Array.from({ length: n }, () => gradient(rand, dtype)));
}

/** Where the spec's v̂ − m̂² (before the clamp) is negative, for centered configs: [step (1-based), element]. */
function negativeVariance(config) {
  const found = [];
  const onStep = (step, { state, g }) => {
    if (!config.centered) return;
    const ρ = config.rho;
    const correction = config.biasCorrection ? 1 - Math.pow(ρ, state.step + 1) : 1;
    for (let i = 0; i < g.length; i++) {
      // Same expressions as referenceStep (coupled weight decay, which changes g, is refused in add()).
      const gi = config.maximize ? -g[i] : g[i];
      const v = ρ * state.meanSquare[i] + (1 - ρ) * gi * gi;
      const m = ρ * state.meanGrad[i] + (1 - ρ) * gi;
      const s = v / correction - (m / correction) * (m / correction);
      if (s < 0) found.push({ step: step + 1, element: i, s });
    }
  };
  return { found, onStep };
}

/** "for element 0 at steps 9–20, element 3 at step 16": where v̂ − m̂² went negative, grouped by element. */
function wherePerElement(found) {
  const byElement = new Map();
  for (const { step, element } of found) byElement.set(element, [...(byElement.get(element) ?? []), step]);
  const parts = [...byElement].sort((a, b) => a[0] - b[0]).map(([element, steps]) => {
    const runs = [];
    for (const t of steps) {
      const last = runs.at(-1);
      if (last && t === last[1] + 1) last[1] = t;
      else runs.push([t, t]);
    }
    const text = runs.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ');
    return `element ${element} at step${steps.length > 1 ? 's' : ''} ${text}`;
  });
  return `for ${parts.join('; ')}`;
}

const cases = [];
const notes = [];

/**
 * One case per dtype. `make(dtype)` returns { params, grads, schedule? } with values of that dtype.
 * `note(dtype, found)` may add to the source (found: negative v̂ − m̂² before the clamp, centered only).
 */
function add(what, config, following, make, note) {
  if (config.centered && config.weightDecay > 0 && !config.decoupledWeightDecay) {
    throw new Error('negativeVariance does not model coupled weight decay');
  }
  for (const dtype of make.dtypes ?? DTYPES) {
    const { params, grads, schedule } = make(dtype);
    const probe = negativeVariance(config);
    const { expected, state } = runReference(config, params, grads, { dtype, schedule, onStep: probe.onStep });
    const name = `reference/${dtype}/${what}`;
    if (config.centered) notes.push({ name, negatives: probe.found });
    cases.push({
      name,
      source: sourceText(dtype, following, note?.(dtype, probe.found)),
      dtype,
      config: configFields(config),
      ...(schedule ? { learningRateSchedule: schedule } : {}),
      params: encode(params),
      grads: grads.map(encode),
      expected: expected.map(encode),
      finalState: finalStateOf(state),
    });
  }
}

const N = 8;
const STEPS = 10;

/** Random params in [−2, 2) and gradients, from `seed`, for either dtype (same draws, rounded for float32). */
const randomData = (seed, { n = N, steps = STEPS } = {}) => (dtype) => {
  const rand = mulberry32(seed);
  const params = vector(rand, n, -2, 2, dtype);
  return { params, grads: gradients(rand, dtype, steps, n) };
};

// Keras 3: decoupled weight decay θ ← θ − η·wd·θ before the update; ε inside; η in the buffer.
add('keras-weight-decay', kerasPreset({ learning_rate: 0.01, weight_decay: 0.004 }), 'Keras 3 RMSprop(learning_rate=0.01, weight_decay=0.004)', randomData(0x5e1));
add(
  'keras-weight-decay-momentum',
  kerasPreset({ learning_rate: 0.01, weight_decay: 0.004, momentum: 0.9 }),
  'Keras 3 RMSprop(learning_rate=0.01, momentum=0.9, weight_decay=0.004)',
  randomData(0x5e2),
);
add(
  'keras-centered-weight-decay',
  kerasPreset({ learning_rate: 0.01, weight_decay: 0.004, centered: true }),
  'Keras 3 RMSprop(learning_rate=0.01, centered=True, weight_decay=0.004)',
  randomData(0x5e3),
);

// optax
add(
  'optax-nesterov',
  optaxPreset({ learning_rate: 0.01, momentum: 0.9, nesterov: true }),
  'optax.rmsprop(learning_rate=0.01, momentum=0.9, nesterov=True)',
  randomData(0x5e4),
);
add('optax-bias-correction', optaxPreset({ learning_rate: 0.01, bias_correction: true }), 'optax.rmsprop(learning_rate=0.01, bias_correction=True)', randomData(0x5e5));
// optax with centered + bias_correction from ν = 0 is left out: at step 1 v̂ − m̂² is 0 in real arithmetic,
// so θ would depend on rounding noise (|noise|/ε), which no golden value can pin down. initial_scale avoids it.
add(
  'optax-bias-correction-centered-initial-scale',
  optaxPreset({ learning_rate: 0.01, bias_correction: true, centered: true, initial_scale: 0.1 }),
  'optax.rmsprop(learning_rate=0.01, initial_scale=0.1, centered=True, bias_correction=True)',
  randomData(0x5f2),
  () => 'optax divides ν by 1 − dᵗ even when it starts at initial_scale (so v̂ − m̂² ≈ initial_scale·d/(1 − d) at step 1, no cancellation); the spec does the same',
);
add('optax-eps-outside-sqrt', optaxPreset({ learning_rate: 0.01, eps_in_sqrt: false }), 'optax.rmsprop(learning_rate=0.01, eps_in_sqrt=False)', randomData(0x5e7));
add('optax-initial-scale', optaxPreset({ learning_rate: 0.01, initial_scale: 0.5 }), 'optax.rmsprop(learning_rate=0.01, initial_scale=0.5)', randomData(0x5e8));

// TF1: the mean square starts at 1; ε 1e-10 inside; η in the buffer.
add('tf1-initial-mean-square', tf1Preset({ learning_rate: 0.01 }), 'tf.compat.v1.train.RMSPropOptimizer(learning_rate=0.01)', randomData(0x5e9));
add('tf1-momentum', tf1Preset({ learning_rate: 0.01, momentum: 0.9 }), 'tf.compat.v1.train.RMSPropOptimizer(learning_rate=0.01, momentum=0.9)', randomData(0x5ea));

// The spec defaults under a learning-rate schedule; with momentum, η inside vs outside the buffer.
const SCHEDULE = [0.001, 0.002, 0.004, 0.004, 0.003, 0.002, 0.001, 0.0005, 0.00025, 0.0001];
const withSchedule = (seed) => (dtype) => ({ ...randomData(seed)(dtype), schedule: SCHEDULE });
add('spec-defaults-schedule', resolveConfig({}), 'the spec defaults (resolveConfig({})), η from a schedule', withSchedule(0x5eb));
add(
  'spec-momentum-lr-outside-buffer-schedule',
  resolveConfig({ momentum: 0.5 }),
  'the spec defaults with momentum 0.5, η outside the buffer (as PyTorch), η from a schedule; differs from ' +
    '…-lr-in-buffer-schedule only in learningRateInMomentum',
  withSchedule(0x5ec),
);
add(
  'spec-momentum-lr-in-buffer-schedule',
  resolveConfig({ momentum: 0.5, learningRateInMomentum: true }),
  'the spec defaults with momentum 0.5, η inside the buffer (as TensorFlow, Keras, tfjs, optax), η from a ' +
    'schedule; differs from …-lr-outside-buffer-schedule only in learningRateInMomentum',
  withSchedule(0x5ec),
);

// No case for the centered clamp (max(v̂ − m̂², 0)): wherever it matters v − m² is rounding noise and θ
// follows that noise through √(v − m²), so golden values would only test an operation order. The clamp is
// covered by @rmsprop/core's reference-step tests and, with s = 0 exactly, by tfjs/float32/centered-zero-gradient.

// float32 edge cases (the spec defaults, ε outside, learningRate 0.01).
const EDGE = resolveConfig({ learningRate: 0.01 });
{
  // 1e30² = 1e60 is finite in float64 but v = 0.1·1e60 rounds to Infinity in float32 storage; 1e20 likewise
  // (1e39 > 3.4e38); 1e18 stays finite (v ≈ 1e35). Once v is Infinity, u = g/∞ = 0 and θ stops moving.
  const make = (dtype) => {
    const rand = mulberry32(0x5ee);
    const params = vector(rand, 7, -2, 2, dtype);
    const grads = Array.from({ length: 8 }, (_, t) => [
      1e30,
      t === 0 ? -1e30 : gradient(rand, dtype),
      1e20,
      1e18,
      t === 3 ? 1e30 : gradient(rand, dtype),
      gradient(rand, dtype),
      gradient(rand, dtype),
    ].map(round(dtype)));
    return { params, grads };
  };
  make.dtypes = ['float32'];
  add('huge-gradient', EDGE, 'the spec defaults with learningRate 0.01', make, () =>
    'gradients 1e30 and 1e20: g² is finite in float64, but v rounds to Infinity in float32 storage after the first ' +
    'such step (the step itself uses the float64 v, so θ moves once), after which u = g/∞ = 0; 1e18 stays finite. ' +
    'An implementation that squares in float32 overflows within the step itself (u = 0 already then)');
}
{
  // 1e-40 and 1e-45 are subnormal float32 values; v = 0.1·g² underflows to 0 in float32 storage, and θ near
  // 1e-30 shows the η·g/ε step.
  const make = (dtype) => {
    const rand = mulberry32(0x5ef);
    const params = [1e-30, -1e-30, 1e-39, 1e-36, 0.5, -0.25, 0].map(round(dtype));
    const grads = Array.from({ length: 8 }, (_, t) => [
      1e-40,
      -1e-40,
      1e-45,
      t % 2 === 0 ? 1e-40 : -3e-41,
      1e-40,
      gradient(rand, dtype),
      t < 4 ? 1e-45 : gradient(rand, dtype),
    ].map(round(dtype)));
    return { params, grads };
  };
  make.dtypes = ['float32'];
  add('subnormal-gradient', EDGE, 'the spec defaults with learningRate 0.01', make, () =>
    'subnormal float32 gradients (1e-40, −3e-41, 1e-45 ≈ 1.4e-45) and parameters (1e-39): v = 0.1·g² underflows ' +
    'to 0 in float32 storage, and θ ≈ 1e-30 shows the step η·g/ε ≈ 1e-34. Hardware that flushes subnormals to ' +
    'zero sees no step');
}
{
  const make = (dtype) => {
    const { params, grads } = randomData(0x5f0)(dtype);
    return { params, grads: grads.map((g) => g.map((x, i) => round(dtype)(i === 0 ? x * 1e3 : x))) };
  };
  add('epsilon-large', resolveConfig({ learningRate: 0.01, epsilon: 1e3 }), 'the spec defaults with epsilon 1e3 and learningRate 0.01', make, () =>
    'ε = 1e3 dominates √v, so the step is close to η·g/ε (element 0 has gradients up to 1e4, where √v matters)');
}
{
  // Zero gradients (0/ε = 0), tiny ones (√v ≈ |g| ≫ ε: a sign-like step), and ordinary ones.
  const make = (dtype) => {
    const rand = mulberry32(0x5f1);
    const params = vector(rand, 7, -2, 2, dtype);
    const grads = Array.from({ length: STEPS }, (_, t) => [
      0,
      t % 3 === 0 ? 0 : 1e-20,
      -3e-21,
      1e-22,
      gradient(rand, dtype),
      gradient(rand, dtype),
      t % 2 === 0 ? 0 : gradient(rand, dtype),
    ].map(round(dtype)));
    return { params, grads };
  };
  add('epsilon-tiny', resolveConfig({ learningRate: 0.01, epsilon: 1e-30 }), 'the spec defaults with epsilon 1e-30 and learningRate 0.01', make, (dtype) =>
    'zero gradients (0/ε = 0), tiny gradients 1e-20 … 1e-22 (√v ≈ |g| ≫ ε: a sign-like step)' +
    (dtype === 'float32' ? '; in float32 storage v = 0.1·g² ≈ 1e-41 … 1e-45 is subnormal and keeps few bits' : ''));
}

writeGoldenFile(OUT, cases);
console.log(`wrote ${cases.length} cases to ${OUT.pathname}`);
for (const { name, negatives } of notes) {
  console.log(`${name}: v̂ − m̂² < 0 before the clamp at ${negatives.length} (step, element) pairs${negatives.length ? ': ' : ''}${negatives.map((f) => `(${f.step},${f.element}: ${f.s.toExponential(2)})`).join(' ')}`);
}
