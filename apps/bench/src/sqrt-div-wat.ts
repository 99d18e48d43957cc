/**
 * The arithmetic bound in WebAssembly text: the one square root and one division every RMSProp variant
 * needs per element, u = g / (√v + ε), and nothing else of the update, in SIMD (f32x4 / f64x2).
 *
 * `sqrtdiv_f32(pg, pv, pu, bytes, passes)` (and `_f64`) reads g and v and writes u over `bytes` bytes at
 * each pointer, `passes` times: buffers of a few KiB stay in the L1 cache, so memory does not limit it and
 * the time is the divider's. IEEE square roots and divisions are correctly rounded and cannot be replaced by
 * cheaper approximations without changing results, so no exact kernel on this CPU updates more elements per
 * second than this function processes (on one thread).
 */
function kernel(dtype: 'float32' | 'float64'): string {
  const T = dtype === 'float32' ? 'f32x4' : 'f64x2';
  const name = dtype === 'float32' ? 'sqrtdiv_f32' : 'sqrtdiv_f64';
  // Two independent vectors per iteration, as the CPU backend's kernel does, so the divider is kept busy.
  const vector = (offset: number): string =>
    `(v128.store offset=${offset} (local.get $u) (${T}.div (v128.load offset=${offset} (local.get $g)) (${T}.add (${T}.sqrt (v128.load offset=${offset} (local.get $v))) (local.get $eps))))`;
  return `  (func (export "${name}") (param $pg i32) (param $pv i32) (param $pu i32) (param $bytes i32) (param $passes i32)
    (local $g i32) (local $v i32) (local $u i32) (local $end i32) (local $eps v128)
    (local.set $eps (${T}.splat (${dtype === 'float32' ? 'f32' : 'f64'}.const 1e-8)))
    (block $passesDone (loop $pass
      (br_if $passesDone (i32.eqz (local.get $passes)))
      (local.set $g (local.get $pg)) (local.set $v (local.get $pv)) (local.set $u (local.get $pu))
      (local.set $end (i32.add (local.get $pg) (i32.and (local.get $bytes) (i32.const -32))))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $g) (local.get $end)))
        ${vector(0)}
        ${vector(16)}
        (local.set $g (i32.add (local.get $g) (i32.const 32)))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (local.set $u (i32.add (local.get $u) (i32.const 32)))
        (br $pairs)))
      (if (i32.and (local.get $bytes) (i32.const 16)) (then ${vector(0)}))
      (local.set $passes (i32.sub (local.get $passes) (i32.const 1)))
      (br $pass))))`;
}

/** The module: imports its memory as env.memory and exports sqrtdiv_f32 and sqrtdiv_f64. */
export function sqrtDivWat(): string {
  return `(module
  (import "env" "memory" (memory 1))
${kernel('float32')}
${kernel('float64')}
)
`;
}
