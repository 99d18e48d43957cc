// Writes the WebAssembly text of the CPU backend's SIMD kernels from @rmsprop/core's update program: one
// function per variant (UPDATE_VARIANTS, 36) and per dtype (float32 through f32x4, float64 through f64x2).
// Each function is the program's statements, in order, as typed ops: the float64 functions give bit for bit
// the reference's (and the generated JS loops') results; the float32 functions round every operation to
// float32, with decoupled weight decay folded into θ's last subtraction (ProgramOptions).
//
// Every function walks a table of slot descriptors (DESCRIPTOR_FIELDS as i32: θ, g and each state buffer's
// byte offset, 0 where absent, then the length n) and runs, per slot, a SIMD loop over pairs of whole
// vectors, one more vector, and a scalar loop over the tail, with the same operations.
// It takes three integers (the table, the count, the byte offset of the constants block, KERNEL_CONSTANTS
// as float64): passing doubles from JavaScript to a call site shared by many exports made V8 allocate on
// every call.
import { KERNEL_CONSTANT, KERNEL_CONSTANTS, STATE_BUFFER_NAMES, UPDATE_VARIANTS, updateProgram } from '@rmsprop/core';

/** The i32 fields of a slot descriptor: each buffer's byte offset (0: absent), then the length. */
export const DESCRIPTOR_FIELDS = ['param', 'grad', ...STATE_BUFFER_NAMES, 'length'];

/** Bytes per slot descriptor. */
export const DESCRIPTOR_BYTES = 4 * DESCRIPTOR_FIELDS.length;

/** Bytes of a constants block: KERNEL_CONSTANTS as float64. */
export const CONSTANTS_BYTES = 8 * KERNEL_CONSTANTS.length;

/** The export name of a variant's function for a dtype. */
export function kernelName(index, dtype) {
  return `k${index}_${dtype === 'float32' ? 'f32' : 'f64'}`;
}

/** The largest finite value of `dtype` as an exact hexadecimal literal. */
function largestLiteral(dtype) {
  return dtype === 'float32' ? '0x1.fffffep+127' : '0x1.fffffffffffffp+1023';
}

/**
 * Typed ops for SIMD (`simd` true: f32x4/f64x2 on v128) or scalars (f32/f64); loads and stores at `offset`
 * bytes past each pointer (the unrolled loop's second vector).
 */
function ops(dtype, simd, offset = 0) {
  const scalar = dtype === 'float32' ? 'f32' : 'f64';
  const T = simd ? (dtype === 'float32' ? 'f32x4' : 'f64x2') : scalar;
  const suffix = simd ? 'v' : 's';
  const splat = (x) => `(v128.const ${T} ${Array(dtype === 'float32' ? 4 : 2).fill(x).join(' ')})`;
  // The largest finite value, as an exact hexadecimal literal.
  const largest = largestLiteral(dtype);
  return {
    suffix,
    load: (buffer) => (simd ? `(v128.load offset=${offset} (local.get $p_${buffer}))` : `(${scalar}.load (local.get $p_${buffer}))`),
    store: (buffer, expr) =>
      simd ? `(v128.store offset=${offset} (local.get $p_${buffer}) ${expr})` : `(${scalar}.store (local.get $p_${buffer}) ${expr})`,
    binary: (op, a, b) => `(${T}.${op} ${a} ${b})`,
    sqrt: (a) => `(${T}.sqrt ${a})`,
    // max(x, 0) as Math.max: NaN stays NaN. In SIMD, pmax (x < 0 ? 0 : x: one maxps/maxpd on x86, where max
    // takes about ten instructions to order −0 below +0): the same bits here, since the program's operand is
    // never −0 (see updateProgram), and NaN < 0 is false.
    max0: (a) => (simd ? `(${T}.pmax ${a} ${splat('0')})` : `(${T}.max ${a} (${T}.const 0))`),
    // a clamped to [−M, M] keeping NaN: in SIMD pmax(a, −M) is a < −M ? −M : a and pmin(·, M) is M < · ? M : ·
    // (one maxps and one minps, NaN and −0 pass through); in scalars min and max keep NaN and order −0.
    // The SIMD bounds are locals, set once before the loops.
    saturate: (a, nonNegative) => {
      if (simd) return `(${T}.pmin ${nonNegative ? a : `(${T}.pmax ${a} (local.get $lowest_v))`} (local.get $largest_v))`;
      return `(${T}.min ${nonNegative ? a : `(${T}.max ${a} (${T}.const -${largest}))`} (${T}.const ${largest}))`;
    },
    // a finite ? scale·a : a as pmax(a − M, scale·a), exact for a scale in [0, 1] (see the program's
    // scaleFinite); scalars: a select on a − a = 0.
    scaleFinite: (a, product) =>
      simd ? `(${T}.pmax (${T}.sub ${a} (local.get $largest_v)) ${product})` : `(select ${product} ${a} (${T}.eq (${T}.sub ${a} ${a}) (${T}.const 0)))`,
    // test − test is 0 for a finite test and NaN for ±∞ and NaN.
    whereFinite: (test, a, b) =>
      simd ? `(v128.bitselect ${a} ${b} (${T}.eq (${T}.sub ${test} ${test}) (local.get $zero_v)))` : `(select ${a} ${b} (${T}.eq (${T}.sub ${test} ${test}) (${T}.const 0)))`,
  };
}

/** An expression of the program as WAT. */
function expression(e, t) {
  switch (e.op) {
    case 'load':
      return t.load(e.buffer);
    case 'constant':
      return `(local.get $c_${e.name}_${t.suffix})`;
    case 'local':
      return `(local.get $${e.name}_${t.suffix})`;
    case 'sqrt':
      return t.sqrt(expression(e.a, t));
    case 'max0':
      return t.max0(expression(e.a, t));
    case 'saturate':
      return t.saturate(expression(e.a, t), e.nonNegative === true);
    case 'scaleFinite':
      return t.scaleFinite(expression(e.a, t), t.binary('mul', `(local.get $c_${e.scale}_${t.suffix})`, expression(e.a, t)));
    case 'whereFinite':
      return t.whereFinite(expression(e.test, t), expression(e.a, t), expression(e.b, t));
    default:
      return t.binary(e.op, expression(e.a, t), expression(e.b, t));
  }
}

/** The program's statements as WAT instructions. */
function body(program, t) {
  return program.statements
    .map((s) => (s.kind === 'let' ? `(local.set $${s.name}_${t.suffix} ${expression(s.value, t)})` : t.store(s.buffer, expression(s.value, t))))
    .join('\n          ');
}

/** One exported function: the descriptor walk, the SIMD loop and the scalar tail for a variant in `dtype`. */
function kernelFunction(index, dtype) {
  const program = updateProgram(UPDATE_VARIANTS[index], { foldDecoupledDecay: dtype === 'float32' });
  const scalar = dtype === 'float32' ? 'f32' : 'f64';
  const simdType = dtype === 'float32' ? 'f32x4' : 'f64x2';
  const bytes = dtype === 'float32' ? 4 : 8;
  const lanes = 16 / bytes;
  const pointers = program.buffers;

  const locals = [
    ...program.constants.map((c) => `(local $c_${c}_v v128) (local $c_${c}_s ${scalar})`),
    ...program.locals.map((l) => `(local $${l}_v v128) (local $${l}_s ${scalar})`),
    ...pointers.map((p) => `(local $p_${p} i32)`),
    // The saturation bounds (set below) and a zero vector (never set: WebAssembly locals start at zero).
    '(local $lowest_v v128) (local $largest_v v128) (local $zero_v v128)',
    '(local $d i32) (local $n i32) (local $i i32) (local $vecEnd i32)',
  ].join('\n    ');
  // The constants are read from memory (float64 at $scalars), so that calls pass integers only.
  const load = (c) => `(f64.load offset=${8 * KERNEL_CONSTANT[c]} (local.get $scalars))`;
  const toScalar = (c) => (dtype === 'float32' ? `(f32.demote_f64 ${load(c)})` : load(c));
  const init = [
    ...program.constants.map((c) => `(local.set $c_${c}_s ${toScalar(c)}) (local.set $c_${c}_v (${simdType}.splat (local.get $c_${c}_s)))`),
    `(local.set $largest_v (${simdType}.splat (${scalar}.const ${largestLiteral(dtype)})))`,
    `(local.set $lowest_v (${simdType}.splat (${scalar}.const -${largestLiteral(dtype)})))`,
  ].join('\n    ');
  const loadPointers = pointers.map((p) => `(local.set $p_${p} (i32.load offset=${4 * DESCRIPTOR_FIELDS.indexOf(p)} (local.get $d)))`).join('\n      ');
  const advance = (step) => pointers.map((p) => `(local.set $p_${p} (i32.add (local.get $p_${p}) (i32.const ${step})))`).join(' ');
  const simdBody = body(program, ops(dtype, true));
  const simdBodyNext = body(program, ops(dtype, true, 16));
  const scalarBody = body(program, ops(dtype, false));
  return `
  (func (export "${kernelName(index, dtype)}") (param $table i32) (param $count i32) (param $scalars i32)
    ${locals}
    ${init}
    (local.set $d (local.get $table))
    (block $slotsDone (loop $slots
      (br_if $slotsDone (i32.eqz (local.get $count)))
      ${loadPointers}
      (local.set $n (i32.load offset=${4 * DESCRIPTOR_FIELDS.indexOf('length')} (local.get $d)))
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
 * −1. The fast path has no branch per element: x·0 is ±0 for every finite x and NaN for NaN and ±∞, so four
 * accumulators of x·0 stay ±0 over a clean gradient (four vectors per iteration, 16 or 8 values). Only when
 * one of them ends NaN, and for the few values after the last whole iteration, does the exact scan
 * (`$exact_…`) look for the first index.
 */
function nonFiniteFunction(dtype) {
  const f32 = dtype === 'float32';
  const suffix = f32 ? 'f32' : 'f64';
  const T = f32 ? 'f32x4' : 'f64x2';
  const bytes = f32 ? 4 : 8;
  const lanes = 16 / bytes;
  const mask = f32 ? '(v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)' : '(v128.const i64x2 0x7ff0000000000000 0x7ff0000000000000)';
  const eq = f32 ? 'i32x4.eq' : 'i64x2.eq';
  const scalarTest = f32
    ? '(i32.eq (i32.and (i32.load (local.get $p)) (i32.const 0x7f800000)) (i32.const 0x7f800000))'
    : '(i64.eq (i64.and (i64.load (local.get $p)) (i64.const 0x7ff0000000000000)) (i64.const 0x7ff0000000000000))';
  const acc = (name, offset) => `(local.set $${name} (${T}.add (local.get $${name}) (${T}.mul (v128.load offset=${offset} (local.get $q)) (local.get $zero))))`;
  return `
  ;; The exact scan: whole vectors tested at once; a vector with a hit (and the tail) element by element.
  (func $exact_${suffix} (param $p i32) (param $n i32) (result i32)
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
    (i32.const -1))
  (func (export "nonfinite_${suffix}") (param $p i32) (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $q i32) (local $found i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $zero v128)
    (local.set $q (local.get $p))
    (local.set $end (i32.sub (local.get $n) (i32.const ${4 * lanes - 1})))
    (block $done (loop $blocks
      (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
      ${acc('a', 0)}
      ${acc('b', 16)}
      ${acc('c', 32)}
      ${acc('d', 48)}
      (local.set $q (i32.add (local.get $q) (i32.const 64)))
      (local.set $i (i32.add (local.get $i) (i32.const ${4 * lanes})))
      (br $blocks)))
    (local.set $a (${T}.add (${T}.add (local.get $a) (local.get $b)) (${T}.add (local.get $c) (local.get $d))))
    (if (v128.any_true (${T}.ne (local.get $a) (local.get $a))) (then (return (call $exact_${suffix} (local.get $p) (local.get $i)))))
    (local.set $found (call $exact_${suffix} (local.get $q) (i32.sub (local.get $n) (local.get $i))))
    (if (i32.ge_s (local.get $found) (i32.const 0)) (then (return (i32.add (local.get $found) (local.get $i)))))
    (i32.const -1))`;
}

/**
 * The whole module. `shared` declares the imported memory shared (growth then never detaches views
 * handed out); the other build imports an ordinary memory.
 */
export function kernelModuleWat({ shared }) {
  const functions = [];
  for (let index = 0; index < UPDATE_VARIANTS.length; index++) for (const dtype of ['float32', 'float64']) functions.push(kernelFunction(index, dtype));
  functions.push(nonFiniteFunction('float32'), nonFiniteFunction('float64'));
  return `(module
  (import "env" "memory" (memory 1 65536${shared ? ' shared' : ''}))
${functions.join('\n')}
)
`;
}
