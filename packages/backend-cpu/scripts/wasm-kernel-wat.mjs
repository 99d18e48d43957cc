// Writes the WebAssembly text of the CPU backend's SIMD kernels: one function per variant of the spec
// (momentum none/heavy-ball/nesterov × centered × bias correction × weight decay none/coupled/decoupled = 36)
// and per dtype (float32 through f32x4, float64 through f64x2). Each follows the JS loops in src/*-kernels.ts
// operation by operation, in the same order, with the same folded constants (src/kernel-scalars.ts), so the
// float64 functions give bit for bit the JS loops' (and the reference's) results. The float32 functions
// round every operation to float32.
//
// Every function walks a table of slot descriptors (6 × i32: θ, g, v, m, b offsets and the length n) and
// runs, per slot, a SIMD loop over pairs of whole vectors, one more vector, and a scalar loop over the tail,
// with the same operations.
// It takes three integers (the table, the count, the offset of the 12 float64 constants in SCALARS order):
// passing doubles from JavaScript to a call site shared by many exports made V8 allocate on every call.
// Used by generate-wasm-kernels.mjs (the build) and by the test that checks the committed binary is current.

/** The per-call constants, in the order of the functions' parameters (see src/kernel-scalars.ts). */
export const SCALARS = [
  'gradientSign',
  'learningRate',
  'rho',
  'oneMinusRho',
  'epsilonInside',
  'epsilonOutside',
  'weightDecay',
  'decoupledDecay',
  'correction',
  'momentum',
  'momentumInputScale',
  'momentumOutputScale',
];

/** Bytes per slot descriptor: θ, g, v, m, b offsets and n, as i32. */
export const DESCRIPTOR_BYTES = 24;

/** The variant's index, as select-kernel.ts orders its tables: momentum kind × 12 + centered × 6 + bias × 3 + weight decay. */
export function variantIndex({ momentum, centered, biasCorrection, weightDecay }) {
  return momentum * 12 + (centered ? 6 : 0) + (biasCorrection ? 3 : 0) + weightDecay;
}

/** The export name of a variant's function for a dtype. */
export function kernelName(index, dtype) {
  return `k${index}_${dtype === 'float32' ? 'f32' : 'f64'}`;
}

/** Every variant: momentum 0 none, 1 heavy ball, 2 nesterov; weightDecay 0 none, 1 coupled, 2 decoupled. */
export function allVariants() {
  const out = [];
  for (let momentum = 0; momentum < 3; momentum++) {
    for (const centered of [false, true]) {
      for (const biasCorrection of [false, true]) {
        for (let weightDecay = 0; weightDecay < 3; weightDecay++) out.push({ momentum, centered, biasCorrection, weightDecay });
      }
    }
  }
  return out;
}

/**
 * The per-element program of a variant as a list of steps, written with `t` (typed ops for one
 * representation: SIMD or scalar). Mirrors the JS loops line by line, with one exception in float32
 * (`foldDecay`): decoupled weight decay is folded into the last subtraction, θ ← θ₀ − ((η·wd)·θ₀ + step),
 * instead of rounding the decayed θ₀ − (η·wd)·θ₀ to float32 on its own. With η·wd·|θ| below an ulp of θ
 * that separate rounding moves θ the same way every step (measured: 49 ulps over 100 steps); folded, the
 * decay is rounded together with the update, as the spec's exact arithmetic adds them.
 */
function elementProgram(variant, t, foldDecay) {
  const { momentum, centered, biasCorrection, weightDecay } = variant;
  const K = (name) => t.k(name);
  const out = [];
  const set = (name, expr) => out.push(t.set(name, expr));
  // const th0 = p[i];  decoupled: th = th0 − lrWd·th0
  set('th0', t.load('th'));
  const fold = foldDecay && weightDecay === 2;
  if (weightDecay === 2 && !fold) set('th', t.sub(t.get('th0'), t.mul(K('decoupledDecay'), t.get('th0'))));
  else set('th', t.get('th0'));
  // θ − step, or with the decay folded in, θ₀ − ((η·wd)·θ₀ + step).
  const minus = (step) => (fold ? t.sub(t.get('th0'), t.add(t.mul(K('decoupledDecay'), t.get('th0')), step)) : t.sub(t.get('th'), step));
  // const g = gs·gr[i] (+ wd·th when coupled)
  if (weightDecay === 1) set('g', t.add(t.mul(K('gradientSign'), t.load('g')), t.mul(K('weightDecay'), t.get('th'))));
  else set('g', t.mul(K('gradientSign'), t.load('g')));
  // const vi = rho·v[i] + rho1·g·g;  v[i] = vi
  set('vi', t.add(t.mul(K('rho'), t.load('v')), t.mul(t.mul(K('oneMinusRho'), t.get('g')), t.get('g'))));
  out.push(t.store('v', t.get('vi')));
  let s;
  if (centered) {
    // const mi = rho·m[i] + rho1·g;  m[i] = mi
    set('mi', t.add(t.mul(K('rho'), t.load('m')), t.mul(K('oneMinusRho'), t.get('g'))));
    out.push(t.store('m', t.get('mi')));
    if (biasCorrection) {
      // const mh = mi / c;  max(vi / c − mh·mh, 0)
      set('mh', t.div(t.get('mi'), K('correction')));
      s = t.max0(t.sub(t.div(t.get('vi'), K('correction')), t.mul(t.get('mh'), t.get('mh'))));
    } else {
      s = t.max0(t.sub(t.get('vi'), t.mul(t.get('mi'), t.get('mi'))));
    }
  } else {
    s = biasCorrection ? t.div(t.get('vi'), K('correction')) : t.get('vi');
  }
  // const u = g / (√(s + epsIn) + epsOut)
  set('u', t.div(t.get('g'), t.add(t.sqrt(t.add(s, K('epsilonInside'))), K('epsilonOutside'))));
  if (momentum === 0) {
    // p[i] = th − lr·u
    out.push(t.store('th', minus(t.mul(K('learningRate'), t.get('u')))));
  } else {
    // const bi = mu·b[i] + inScale·u;  b[i] = bi
    set('bi', t.add(t.mul(K('momentum'), t.load('b')), t.mul(K('momentumInputScale'), t.get('u'))));
    out.push(t.store('b', t.get('bi')));
    if (momentum === 1) {
      // p[i] = th − outScale·bi
      out.push(t.store('th', minus(t.mul(K('momentumOutputScale'), t.get('bi')))));
    } else {
      // p[i] = th − outScale·(inScale·u + mu·bi)
      out.push(
        t.store('th', minus(t.mul(K('momentumOutputScale'), t.add(t.mul(K('momentumInputScale'), t.get('u')), t.mul(K('momentum'), t.get('bi')))))),
      );
    }
  }
  return out;
}

const LOCALS = ['th0', 'th', 'g', 'vi', 'mi', 'mh', 'u', 'bi'];
const POINTERS = ['th', 'g', 'v', 'm', 'b'];

/**
 * Typed ops for SIMD (`simd` true: f32x4/f64x2 on v128) or scalars (f32/f64); loads and stores at `offset`
 * bytes past each pointer (the unrolled loop's second vector).
 */
function ops(dtype, simd, offset = 0) {
  const scalar = dtype === 'float32' ? 'f32' : 'f64';
  const T = simd ? (dtype === 'float32' ? 'f32x4' : 'f64x2') : scalar;
  const suffix = simd ? 'v' : 's';
  const bin = (name) => (a, b) => `(${T}.${name} ${a} ${b})`;
  return {
    k: (name) => `(local.get $${name}_${suffix})`,
    get: (name) => `(local.get $${name}_${suffix})`,
    set: (name, expr) => `(local.set $${name}_${suffix} ${expr})`,
    load: (ptr) => (simd ? `(v128.load offset=${offset} (local.get $p_${ptr}))` : `(${scalar}.load (local.get $p_${ptr}))`),
    store: (ptr, expr) => (simd ? `(v128.store offset=${offset} (local.get $p_${ptr}) ${expr})` : `(${scalar}.store (local.get $p_${ptr}) ${expr})`),
    add: bin('add'),
    sub: bin('sub'),
    mul: bin('mul'),
    div: bin('div'),
    sqrt: (a) => `(${T}.sqrt ${a})`,
    // max(x, 0) as Math.max: NaN stays NaN. In SIMD, pmax (x < 0 ? 0 : x: one maxps/maxpd on x86, where max
    // takes about ten instructions to order −0 below +0): the same bits here, since x = v − m² (or
    // v/c − m̂²) is never −0 (v is ρ·v + (1 − ρ)·g² ≥ +0, and +0 − +0 is +0), and NaN < 0 is false.
    max0: (a) => (simd ? `(${T}.pmax ${a} (v128.const ${T} ${dtype === 'float32' ? '0 0 0 0' : '0 0'}))` : `(${T}.max ${a} (${T}.const 0))`),
  };
}

/** The pointers a variant reads: θ, g, v always; m when centered; b with momentum. */
function pointersOf(variant) {
  return POINTERS.filter((p) => (p === 'm' ? variant.centered : p === 'b' ? variant.momentum > 0 : true));
}

/** One exported function: the descriptor walk, the SIMD loop and the scalar tail for `variant` in `dtype`. */
function kernelFunction(variant, dtype) {
  const index = variantIndex(variant);
  const scalar = dtype === 'float32' ? 'f32' : 'f64';
  const simdType = dtype === 'float32' ? 'f32x4' : 'f64x2';
  const bytes = dtype === 'float32' ? 4 : 8;
  const lanes = 16 / bytes;
  const pointers = pointersOf(variant);

  const locals = [
    ...SCALARS.map((s) => `(local $${s}_v v128) (local $${s}_s ${scalar})`),
    ...LOCALS.map((l) => `(local $${l}_v v128) (local $${l}_s ${scalar})`),
    ...POINTERS.map((p) => `(local $p_${p} i32)`),
    '(local $d i32) (local $n i32) (local $i i32) (local $vecEnd i32)',
  ].join('\n    ');
  // The constants are read from memory (12 × f64 at $scalars), so that calls pass integers only.
  const load = (k) => `(f64.load offset=${8 * k} (local.get $scalars))`;
  const toScalar = (k) => (dtype === 'float32' ? `(f32.demote_f64 ${load(k)})` : load(k));
  const init = SCALARS.map((s, k) => `(local.set $${s}_s ${toScalar(k)}) (local.set $${s}_v (${simdType}.splat (local.get $${s}_s)))`).join('\n    ');
  const loadPointers = POINTERS.map((p, k) => `(local.set $p_${p} (i32.load offset=${4 * k} (local.get $d)))`)
    .filter((_, k) => pointers.includes(POINTERS[k]))
    .join('\n      ');
  const advance = (step) => pointers.map((p) => `(local.set $p_${p} (i32.add (local.get $p_${p}) (i32.const ${step})))`).join(' ');
  const foldDecay = dtype === 'float32';
  const simdBody = elementProgram(variant, ops(dtype, true), foldDecay).join('\n          ');
  const simdBodyNext = elementProgram(variant, ops(dtype, true, 16), foldDecay).join('\n          ');
  const scalarBody = elementProgram(variant, ops(dtype, false), foldDecay).join('\n          ');
  return `
  (func (export "${kernelName(index, dtype)}") (param $table i32) (param $count i32) (param $scalars i32)
    ${locals}
    ${init}
    (local.set $d (local.get $table))
    (block $slotsDone (loop $slots
      (br_if $slotsDone (i32.eqz (local.get $count)))
      ${loadPointers}
      (local.set $n (i32.load offset=20 (local.get $d)))
      (local.set $i (i32.const 0))
      ;; Two vectors per iteration (half the loop overhead), then at most one more, then the scalar tail.
      (local.set $vecEnd (i32.sub (local.get $n) (i32.const ${2 * lanes - 1})))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_s (local.get $i) (local.get $vecEnd)))
          ${simdBody}
          ${simdBodyNext}
        ${advance(32)}
        (local.set $i (i32.add (local.get $i) (i32.const ${2 * lanes})))
        (br $pairs)))
      (local.set $vecEnd (i32.sub (local.get $n) (i32.const ${lanes - 1})))
      (block $vecDone (loop $vec
        (br_if $vecDone (i32.ge_s (local.get $i) (local.get $vecEnd)))
          ${simdBody}
        ${advance(16)}
        (local.set $i (i32.add (local.get $i) (i32.const ${lanes})))
        (br $vec)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_s (local.get $i) (local.get $n)))
          ${scalarBody}
        ${advance(bytes)}
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))
      (local.set $d (i32.add (local.get $d) (i32.const ${DESCRIPTOR_BYTES})))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br $slots))))`;
}

/**
 * `nonfinite_f32(p, n)` / `nonfinite_f64(p, n)`: the index of the first NaN or ±∞ among n values at p, or
 * −1. A value is non-finite when its exponent bits are all ones. Whole vectors are tested at once; a
 * vector with a hit (and the tail) is scanned element by element, which finds the first index.
 */
function nonFiniteFunction(dtype) {
  const f32 = dtype === 'float32';
  const bytes = f32 ? 4 : 8;
  const lanes = 16 / bytes;
  const mask = f32 ? '(v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)' : '(v128.const i64x2 0x7ff0000000000000 0x7ff0000000000000)';
  const eq = f32 ? 'i32x4.eq' : 'i64x2.eq';
  const scalarTest = f32
    ? '(i32.eq (i32.and (i32.load (local.get $p)) (i32.const 0x7f800000)) (i32.const 0x7f800000))'
    : '(i64.eq (i64.and (i64.load (local.get $p)) (i64.const 0x7ff0000000000000)) (i64.const 0x7ff0000000000000))';
  return `
  (func (export "nonfinite_${f32 ? 'f32' : 'f64'}") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $vecEnd i32)
    (local.set $vecEnd (i32.sub (local.get $n) (i32.const ${lanes - 1})))
    (block $vecDone (loop $vec
      (br_if $vecDone (i32.ge_s (local.get $i) (local.get $vecEnd)))
      (br_if $vecDone (v128.any_true (${eq} (v128.and (v128.load (local.get $p)) ${mask}) ${mask})))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $i (i32.add (local.get $i) (i32.const ${lanes})))
      (br $vec)))
    (block $tailDone (loop $tail
      (br_if $tailDone (i32.ge_s (local.get $i) (local.get $n)))
      (if ${scalarTest} (then (return (local.get $i))))
      (local.set $p (i32.add (local.get $p) (i32.const ${bytes})))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $tail)))
    (i32.const -1))`;
}

/**
 * The whole module. `shared` declares the imported memory shared (growth then never detaches views
 * handed out); the other build imports an ordinary memory.
 */
export function kernelModuleWat({ shared }) {
  const functions = [];
  for (const variant of allVariants()) for (const dtype of ['float32', 'float64']) functions.push(kernelFunction(variant, dtype));
  functions.push(nonFiniteFunction('float32'), nonFiniteFunction('float64'));
  return `(module
  (import "env" "memory" (memory 1 65536${shared ? ' shared' : ''}))
${functions.join('\n')}
)
`;
}
